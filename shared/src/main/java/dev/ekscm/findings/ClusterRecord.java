package dev.ekscm.findings;

import dev.ekscm.model.ClusterId;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** What one read of a cluster returns: its findings by finding key and its STATE. */
public record ClusterRecord(ClusterId cluster, Map<String, Finding> findings, ClusterState state) {
    public ClusterRecord {
        Objects.requireNonNull(cluster, "cluster");
        findings = Map.copyOf(findings);
        Objects.requireNonNull(state, "state");
    }

    public static ClusterRecord empty(ClusterId cluster) {
        return new ClusterRecord(cluster, Map.of(), ClusterState.initial());
    }

    /**
     * The last time a run saw this finding. An OPEN or EXEMPT finding is not rewritten by runs that
     * still see it, so its lastSeen is the later of the item's own lastSeen (written with its last
     * transition) and the last run in which its check ran ({@link ClusterState#checkRuns()}): had that
     * run not seen it failing, it would have resolved it. A RESOLVED finding's lastSeen is stored as
     * written when it resolved.
     */
    public Instant effectiveLastSeen(Finding finding) {
        if (!finding.isUnresolved()) {
            return finding.lastSeen();
        }
        return state.checkRunAt(finding.checkId()).filter(t -> t.isAfter(finding.lastSeen())).orElse(finding.lastSeen());
    }

    /** Findings whose latest transition still waits for a notifier, in finding-key order. */
    public List<Finding> pendingAlerts() {
        return pendingAlerts(findings);
    }

    static List<Finding> pendingAlerts(Map<String, Finding> findings) {
        return new TreeMap<>(findings).values().stream()
                .filter(f -> f.transition().alertState() == AlertState.PENDING)
                .sorted(Comparator.comparing(Finding::findingKey))
                .toList();
    }
}
