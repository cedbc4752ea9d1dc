package dev.ekscm.findings;

import dev.ekscm.model.ClusterId;
import dev.ekscm.model.Scope;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The run item: one per committed run, kept until {@code expiresAt} (TTL).
 *
 * @param attempts how many times the run read and reconciled (more than 1 when a concurrent run of
 *                 the same cluster committed first)
 */
public record RunRecord(ClusterId cluster, RunInfo info, Set<Scope> scopes, String team, RunCounts counts,
                        List<String> staleChecks, int attempts, Instant recordedAt, Instant expiresAt) {
    public RunRecord {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(info, "info");
        scopes = scopes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(scopes));
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(counts, "counts");
        staleChecks = List.copyOf(staleChecks);
        Objects.requireNonNull(recordedAt, "recordedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
