package dev.ekscm.alerts;

import dev.ekscm.findings.Finding;
import dev.ekscm.findings.TransitionType;
import dev.ekscm.model.ClusterId;
import dev.ekscm.model.Severity;

import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One alert: every transition of one cluster that a notifier has not delivered yet, most severe first
 * (within a severity: REGRESSED, NEW, EXEMPTED, RESOLVED; then check id and resource).
 *
 * @param runId       the run that sends it; each transition names the run that observed it
 * @param transitions findings whose latest transition is to be told (see {@link Finding#transition()})
 */
public record Alert(ClusterId cluster, String team, String runId, Instant generatedAt, List<Finding> transitions) {
    public static final Comparator<Finding> ORDER = Comparator
            .comparing((Finding f) -> f.severity(), Comparator.reverseOrder())
            .thenComparingInt(f -> f.transition().type().rank())
            .thenComparing(Finding::checkId)
            .thenComparing(Finding::resource);

    public Alert {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(generatedAt, "generatedAt");
        transitions = transitions.stream().sorted(ORDER).toList();
    }

    public Alert withTransitions(List<Finding> subset) {
        return new Alert(cluster, team, runId, generatedAt, subset);
    }

    public Severity highestSeverity() {
        return transitions.stream().map(Finding::severity).max(Comparator.naturalOrder()).orElse(Severity.LOW);
    }

    /** Severity → transitions, most severe first, only severities present. */
    public Map<Severity, List<Finding>> bySeverity() {
        var map = new LinkedHashMap<Severity, List<Finding>>();
        for (Severity s : List.of(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW)) {
            var list = transitions.stream().filter(f -> f.severity() == s).toList();
            if (!list.isEmpty()) {
                map.put(s, list);
            }
        }
        return map;
    }

    /** How many of each transition type, most important first, only types present. */
    public Map<TransitionType, Integer> countsByType() {
        var counts = new EnumMap<TransitionType, Integer>(TransitionType.class);
        transitions.forEach(f -> counts.merge(f.transition().type(), 1, Integer::sum));
        var ordered = new LinkedHashMap<TransitionType, Integer>();
        counts.keySet().stream().sorted(Comparator.comparingInt(TransitionType::rank))
                .forEach(t -> ordered.put(t, counts.get(t)));
        return ordered;
    }
}
