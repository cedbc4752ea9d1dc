package dev.ekscm.findings;

import dev.ekscm.model.Severity;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The STATE item of a cluster: the optimistic-concurrency version, when each check last ran (the
 * source of an open finding's lastSeen), current open counts, and the commit and alert leases.
 *
 * @param version    incremented by every committed run; a run commits only on the version it read
 * @param checkRuns  check id → start of the last run in which that check actually ran (not NOT_APPLICABLE)
 * @param alertSeq   incremented whenever a run takes the alert lease, so a run whose view of the outbox
 *                   predates another run's deliveries notices it and re-reads
 */
public record ClusterState(long version, Optional<String> lastRunId, Optional<Instant> lastRunAt,
                           Optional<Instant> lastFullRunAt, Map<String, Instant> checkRuns,
                           Map<Severity, Integer> openBySeverity, int exempt, Optional<Lease> commitLease,
                           Optional<Lease> alertLease, long alertSeq, Optional<Instant> updatedAt) {
    public ClusterState {
        Objects.requireNonNull(lastRunId, "lastRunId");
        Objects.requireNonNull(lastRunAt, "lastRunAt");
        Objects.requireNonNull(lastFullRunAt, "lastFullRunAt");
        checkRuns = Map.copyOf(new TreeMap<>(checkRuns));
        var counts = new EnumMap<Severity, Integer>(Severity.class);
        for (Severity s : Severity.values()) {
            counts.put(s, openBySeverity.getOrDefault(s, 0));
        }
        openBySeverity = Map.copyOf(counts);
        Objects.requireNonNull(commitLease, "commitLease");
        Objects.requireNonNull(alertLease, "alertLease");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** A cluster never recorded before. */
    public static ClusterState initial() {
        return new ClusterState(0, Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), Map.of(), 0,
                Optional.empty(), Optional.empty(), 0, Optional.empty());
    }

    public Optional<Instant> checkRunAt(String checkId) {
        return Optional.ofNullable(checkRuns.get(checkId));
    }

    public int open() {
        return openBySeverity.values().stream().mapToInt(Integer::intValue).sum();
    }

    public ClusterState withAlertLease(Optional<Lease> lease, long seq) {
        return new ClusterState(version, lastRunId, lastRunAt, lastFullRunAt, checkRuns, openBySeverity, exempt,
                commitLease, lease, seq, updatedAt);
    }

    public ClusterState withCommitLease(Optional<Lease> lease) {
        return new ClusterState(version, lastRunId, lastRunAt, lastFullRunAt, checkRuns, openBySeverity, exempt,
                lease, alertLease, alertSeq, updatedAt);
    }
}
