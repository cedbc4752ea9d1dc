package dev.ekscm.engine;

import dev.ekscm.checks.Evaluation;
import dev.ekscm.model.ClusterSnapshot;

import java.time.Duration;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** What one run of the pipeline did: the snapshot it judged, the verdicts, its cost. */
public record RunReport(String runId, String trigger, ClusterSnapshot snapshot, Evaluation evaluation,
                        SortedMap<String, Integer> apiCalls, Duration duration) {
    public RunReport {
        apiCalls = new TreeMap<>(apiCalls);
    }

    public static SortedMap<String, Integer> sorted(Map<String, Integer> calls) {
        return new TreeMap<>(calls);
    }
}
