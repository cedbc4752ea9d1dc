package dev.ekscm.findings;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one run writes: its finding writes and new STATE, guarded by the STATE version it read, and
 * its run item.
 *
 * @param owner             the run id, owner of the commit lease when the writes do not fit one transaction
 * @param commitLeaseUntil  how long that lease holds if the run dies half way
 */
public record Commit(long expectedVersion, String owner, List<FindingWrite> writes, ClusterState newState,
                     RunRecord run, Instant now, Instant commitLeaseUntil) {
    public Commit {
        Objects.requireNonNull(owner, "owner");
        writes = List.copyOf(writes);
        Objects.requireNonNull(newState, "newState");
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(commitLeaseUntil, "commitLeaseUntil");
        if (newState.version() != expectedVersion + 1) {
            throw new IllegalArgumentException("a commit moves the STATE version by one: " + expectedVersion + " -> " + newState.version());
        }
    }
}
