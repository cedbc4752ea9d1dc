package dev.ekscm.findings;

import dev.ekscm.model.ClusterId;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What recording a run did: its transitions, counts, and what is left in the outbox.
 *
 * @param team          the cluster's {@code ekscm:team} tag, {@code unassigned} without one
 * @param transitions   findings that changed status in this run (each carries its {@link Transition})
 * @param pendingAlerts every finding of the cluster whose alert is PENDING after this run, including
 *                      leftovers of earlier runs whose delivery failed
 * @param alertSeq      the alert sequence as read, for {@code FindingStore#acquireAlertLease}
 * @param attempts      reads and reconciliations it took (more than 1 after a concurrent run won)
 */
public record RecordOutcome(ClusterId cluster, Map<String, String> clusterTags, String team, RunInfo run,
                            List<Finding> transitions, RunCounts counts, List<Finding> pendingAlerts, long alertSeq,
                            long stateVersion, int attempts, List<String> staleChecks) {
    public static final String TEAM_TAG = "ekscm:team";
    public static final String UNASSIGNED_TEAM = "unassigned";

    public RecordOutcome {
        Objects.requireNonNull(cluster, "cluster");
        clusterTags = Map.copyOf(clusterTags);
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(run, "run");
        transitions = List.copyOf(transitions);
        Objects.requireNonNull(counts, "counts");
        pendingAlerts = List.copyOf(pendingAlerts);
        staleChecks = List.copyOf(staleChecks);
    }

    public String runId() {
        return run.runId();
    }

    /** The transition of a finding in this run, by {@code CheckResult.findingKey()}: for NEW / RESOLVED columns. */
    public Optional<TransitionType> transitionOf(String findingKey) {
        return transitions.stream().filter(f -> f.findingKey().equals(findingKey))
                .map(f -> f.transition().type()).findFirst();
    }

    public Map<String, TransitionType> transitionsByFindingKey() {
        var map = new LinkedHashMap<String, TransitionType>();
        transitions.forEach(f -> map.put(f.findingKey(), f.transition().type()));
        return map;
    }

    public static String teamOf(Map<String, String> clusterTags) {
        String team = clusterTags.get(TEAM_TAG);
        return team == null || team.isBlank() ? UNASSIGNED_TEAM : team.trim();
    }
}
