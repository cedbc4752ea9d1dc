package dev.ekscm.findings;

import dev.ekscm.model.ClusterId;
import dev.ekscm.model.Severity;

import java.time.Instant;
import java.util.List;

/**
 * Findings, runs and state of clusters. The contract every adapter keeps:
 * <ul>
 *   <li>{@link #load} reads one cluster's findings and STATE in one read (one DynamoDB Query).</li>
 *   <li>{@link #commit} writes a run's finding writes and STATE only if the STATE version is still
 *       {@link Commit#expectedVersion()} and no other run holds an unexpired commit lease, else throws
 *       {@link ConcurrentRunException}; then writes the run item. Throttling is retried inside.</li>
 *   <li>The alert lease serialises delivery per cluster, so two runs never send the same transition.</li>
 * </ul>
 */
public interface FindingStore {
    ClusterRecord load(ClusterId cluster);

    /** @throws ConcurrentRunException when the STATE moved on since the read (re-read and reconcile again) */
    void commit(ClusterId cluster, Commit commit);

    /**
     * Takes the cluster's alert lease if it is free (or expired) and nobody took it since the caller
     * read {@code expectedAlertSeq}; increments the sequence.
     *
     * @return false when another run holds the lease or delivered meanwhile: re-read before trying again
     */
    boolean acquireAlertLease(ClusterId cluster, String owner, long expectedAlertSeq, Instant now, Instant until);

    /** Applies marks whose transition is still current; returns how many applied. */
    int markSent(ClusterId cluster, List<AlertMark> marks);

    /** Releases the alert lease if {@code owner} still holds it. */
    void releaseAlertLease(ClusterId cluster, String owner);

    /** OPEN findings of one severity across all clusters (the sparse index), for dashboards and reports. */
    List<ClusterFinding> openFindings(Severity severity);

    /** The latest run items of a cluster, newest first. */
    List<RunRecord> recentRuns(ClusterId cluster, int limit);
}
