package dev.ekscm.findings;

import java.util.List;
import java.util.Map;

/**
 * The result of reconciling one run with the stored findings: what to write, the transitions among
 * those writes (what alerts), the new STATE, and every finding of the cluster after the run.
 */
public record ReconcilePlan(List<FindingWrite> writes, List<Finding> transitions, ClusterState newState,
                            RunCounts counts, Map<String, Finding> after, List<String> staleChecks) {
    public ReconcilePlan {
        writes = List.copyOf(writes);
        transitions = List.copyOf(transitions);
        after = Map.copyOf(after);
        staleChecks = List.copyOf(staleChecks);
    }
}
