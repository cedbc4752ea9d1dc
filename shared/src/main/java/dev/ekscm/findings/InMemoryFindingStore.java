package dev.ekscm.findings;

import dev.ekscm.model.ClusterId;
import dev.ekscm.model.Severity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** The store in a map, with the same concurrency contract as the DynamoDB adapter. For unit tests. */
public final class InMemoryFindingStore implements FindingStore {
    private static final class Cluster {
        final Map<String, Finding> findings = new HashMap<>();
        ClusterState state = ClusterState.initial();
        final List<RunRecord> runs = new ArrayList<>();
    }

    private final Map<ClusterId, Cluster> clusters = new HashMap<>();

    @Override
    public synchronized ClusterRecord load(ClusterId cluster) {
        Cluster c = clusters.get(cluster);
        return c == null ? ClusterRecord.empty(cluster) : new ClusterRecord(cluster, c.findings, c.state);
    }

    @Override
    public synchronized void commit(ClusterId cluster, Commit commit) {
        Cluster c = clusters.computeIfAbsent(cluster, k -> new Cluster());
        if (c.state.version() != commit.expectedVersion()) {
            throw new ConcurrentRunException("cluster " + cluster + ": STATE is at version " + c.state.version()
                    + ", run " + commit.owner() + " read version " + commit.expectedVersion());
        }
        var lease = c.state.commitLease();
        if (lease.isPresent() && lease.get().activeFor(commit.owner(), commit.now())) {
            throw new ConcurrentRunException("cluster " + cluster + ": run " + lease.get().owner() + " is committing");
        }
        for (FindingWrite w : commit.writes()) {
            Finding f = w.finding();
            Finding current = c.findings.get(f.findingKey());
            c.findings.put(f.findingKey(), w.transition() || current == null ? f : f.withTransition(current.transition()));
        }
        // The commit owns version, runs and counts; the alert lease and sequence stay as they are.
        c.state = commit.newState().withCommitLease(Optional.empty()).withAlertLease(c.state.alertLease(), c.state.alertSeq());
        c.runs.add(commit.run());
    }

    @Override
    public synchronized boolean acquireAlertLease(ClusterId cluster, String owner, long expectedAlertSeq, Instant now,
                                                  Instant until) {
        Cluster c = clusters.computeIfAbsent(cluster, k -> new Cluster());
        var lease = c.state.alertLease();
        boolean free = lease.isEmpty() || lease.get().until().isBefore(now);
        if (!free || c.state.alertSeq() != expectedAlertSeq) {
            return false;
        }
        c.state = c.state.withAlertLease(Optional.of(new Lease(owner, until)), expectedAlertSeq + 1);
        return true;
    }

    @Override
    public synchronized int markSent(ClusterId cluster, List<AlertMark> marks) {
        Cluster c = clusters.get(cluster);
        if (c == null) {
            return 0;
        }
        int applied = 0;
        for (AlertMark m : marks) {
            Finding f = c.findings.get(m.findingKey());
            if (f == null || !f.transition().runId().equals(m.transitionRunId())
                    || f.transition().alertState() != AlertState.PENDING) {
                continue;
            }
            var sentTo = new TreeSet<>(f.transition().alertSentTo());
            sentTo.add(m.notifier());
            var t = f.transition().withAlert(m.complete() ? AlertState.SENT : AlertState.PENDING, sentTo,
                    m.complete() ? Optional.of(m.at()) : f.transition().alertSentAt());
            c.findings.put(m.findingKey(), f.withTransition(t));
            applied++;
        }
        return applied;
    }

    @Override
    public synchronized void releaseAlertLease(ClusterId cluster, String owner) {
        Cluster c = clusters.get(cluster);
        if (c != null && c.state.alertLease().map(l -> l.owner().equals(owner)).orElse(false)) {
            c.state = c.state.withAlertLease(Optional.empty(), c.state.alertSeq());
        }
    }

    @Override
    public synchronized List<ClusterFinding> openFindings(Severity severity) {
        var out = new ArrayList<ClusterFinding>();
        clusters.forEach((id, c) -> c.findings.values().stream()
                .filter(f -> f.status() == FindingStatus.OPEN && f.severity() == severity)
                .forEach(f -> out.add(new ClusterFinding(id, f))));
        out.sort(Comparator.comparing((ClusterFinding cf) -> cf.cluster().key()).thenComparing(cf -> cf.finding().findingKey()));
        return out;
    }

    @Override
    public synchronized List<RunRecord> recentRuns(ClusterId cluster, int limit) {
        Cluster c = clusters.get(cluster);
        if (c == null) {
            return List.of();
        }
        return c.runs.stream()
                .sorted(Comparator.comparing((RunRecord r) -> r.info().startedAt()).thenComparing(r -> r.info().runId()).reversed())
                .limit(limit)
                .toList();
    }
}
