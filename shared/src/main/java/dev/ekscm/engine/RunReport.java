package dev.ekscm.engine;

import dev.ekscm.alerts.AlertOutcome;
import dev.ekscm.checks.Evaluation;
import dev.ekscm.findings.RecordOutcome;
import dev.ekscm.model.ClusterSnapshot;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one run of the pipeline did: the snapshot it judged, the verdicts, its cost, and — when
 * findings are recorded — the transitions and the alerts sent.
 */
public record RunReport(String runId, String trigger, ClusterSnapshot snapshot, Evaluation evaluation,
                        SortedMap<String, Integer> apiCalls, Duration duration, Optional<RecordOutcome> recorded,
                        Optional<AlertOutcome> alerts) {
    public RunReport {
        apiCalls = new TreeMap<>(apiCalls);
    }

    public static SortedMap<String, Integer> sorted(Map<String, Integer> calls) {
        return new TreeMap<>(calls);
    }
}
