package dev.ekscm.findings;

import dev.ekscm.checks.CheckMetadata;
import dev.ekscm.checks.CheckOutcome;
import dev.ekscm.checks.Evaluation;
import dev.ekscm.model.CheckResult;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Severity;
import dev.ekscm.model.Status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Compares a run's verdicts with the stored findings of its cluster and decides what to write. Pure:
 * no I/O and no clock (times come from the run and the caller).
 *
 * <p>Only checks that <em>ran</em> are reconciled: the check's scope is among the run's scopes, its
 * outcome is not NOT_APPLICABLE (its data was absent, which says nothing about its findings), and no
 * run that started later has already recorded it. A stored finding is resolved as "gone" only when
 * its check ran and its stored scope is among the run's scopes: a nodes-only recheck never touches
 * RBAC findings.
 *
 * <table>
 *   <caption>Lifecycle (stored status × verdict → transition)</caption>
 *   <tr><th></th><th>FAIL</th><th>EXEMPT</th><th>PASS or gone</th></tr>
 *   <tr><td>none</td><td>NEW</td><td>EXEMPTED</td><td>nothing stored</td></tr>
 *   <tr><td>OPEN</td><td>no write</td><td>EXEMPTED</td><td>RESOLVED</td></tr>
 *   <tr><td>EXEMPT</td><td>REGRESSED</td><td>no write</td><td>RESOLVED</td></tr>
 *   <tr><td>RESOLVED</td><td>REGRESSED</td><td>EXEMPTED</td><td>no write</td></tr>
 * </table>
 * A still-open finding whose severity, title, scope or message changed is refreshed (written, no
 * alert; for EXEMPT also a changed exemption reason); otherwise it costs no write.
 */
public final class Reconciler {
    static final int MAX_MESSAGE = 2_000;
    static final int MAX_EVIDENCE = 4_000;

    private final Severity minAlertSeverity;
    private final Duration resolvedRetention;

    /**
     * @param minAlertSeverity  transitions below it are stored with alert state SKIPPED
     * @param resolvedRetention how long a RESOLVED finding is kept (TTL) before DynamoDB deletes it
     */
    public Reconciler(Severity minAlertSeverity, Duration resolvedRetention) {
        this.minAlertSeverity = Objects.requireNonNull(minAlertSeverity, "minAlertSeverity");
        this.resolvedRetention = Objects.requireNonNull(resolvedRetention, "resolvedRetention");
    }

    public ReconcilePlan reconcile(ClusterRecord stored, Evaluation evaluation, RunInfo run, Instant now) {
        Instant at = run.startedAt();
        var scopes = evaluation.scopes();
        var ran = new LinkedHashMap<String, CheckMetadata>();
        var stale = new ArrayList<String>();
        int notApplicable = 0;
        var results = new LinkedHashMap<String, CheckResult>();
        for (CheckOutcome outcome : evaluation.outcomes()) {
            CheckMetadata meta = outcome.metadata();
            if (outcome.status() == Status.NOT_APPLICABLE) {
                notApplicable++;
                continue;
            }
            if (!scopes.contains(meta.scope())) {
                continue;
            }
            if (stored.state().checkRunAt(meta.id()).filter(last -> last.isAfter(at)).isPresent()) {
                // A run that started later already recorded this check: its view is newer than ours.
                stale.add(meta.id());
                continue;
            }
            ran.put(meta.id(), meta);
            for (CheckResult r : outcome.results()) {
                results.merge(r.findingKey(), r, Reconciler::worse);
            }
        }

        var findings = stored.findings();
        var after = new HashMap<>(findings);
        var writes = new ArrayList<FindingWrite>();
        var transitions = new ArrayList<Finding>();
        int passed = 0;
        int failed = 0;
        int exempt = 0;
        for (CheckResult r : results.values()) {
            switch (r.status()) {
                case PASS -> passed++;
                case FAIL -> failed++;
                case EXEMPT -> exempt++;
                default -> throw new IllegalStateException("unexpected result status " + r.status());
            }
            CheckMetadata meta = ran.get(r.checkId());
            if (meta == null) {
                // A result whose check id differs from its outcome's: reconcile it under the outcome's scope anyway.
                meta = metadataOf(evaluation, r);
            }
            Finding prev = findings.get(r.findingKey());
            Optional<FindingWrite> write = decide(prev, r, meta, stored, run, at);
            write.ifPresent(w -> {
                writes.add(w);
                after.put(w.finding().findingKey(), w.finding());
                if (w.transition()) {
                    transitions.add(w.finding());
                }
            });
        }
        for (Finding prev : new TreeMap<>(findings).values()) {
            if (!ran.containsKey(prev.checkId()) || !scopes.contains(prev.scope())
                    || results.containsKey(prev.findingKey()) || !prev.isUnresolved()) {
                continue;
            }
            Finding resolved = resolve(prev, "not reported by this run: the resource was deleted or is no longer judged",
                    stored, run, at);
            writes.add(FindingWrite.transition(resolved));
            after.put(resolved.findingKey(), resolved);
            transitions.add(resolved);
        }

        var openBySeverity = new EnumMap<Severity, Integer>(Severity.class);
        int exemptFindings = 0;
        for (Finding f : after.values()) {
            if (f.status() == FindingStatus.OPEN) {
                openBySeverity.merge(f.severity(), 1, Integer::sum);
            } else if (f.status() == FindingStatus.EXEMPT) {
                exemptFindings++;
            }
        }
        var byType = new EnumMap<TransitionType, Integer>(TransitionType.class);
        transitions.forEach(t -> byType.merge(t.transition().type(), 1, Integer::sum));
        int refreshed = (int) writes.stream().filter(w -> !w.transition()).count();
        var counts = new RunCounts(ran.size(), notApplicable, stale.size(), results.size(), passed, failed, exempt,
                byType, refreshed, openBySeverity, exemptFindings);
        return new ReconcilePlan(writes, transitions, newState(stored.state(), ran.keySet(), evaluation, run, now,
                openBySeverity, exemptFindings), counts, after, stale);
    }

    private Optional<FindingWrite> decide(Finding prev, CheckResult r, CheckMetadata meta, ClusterRecord stored,
                                          RunInfo run, Instant at) {
        if (r.status() == Status.PASS) {
            return prev != null && prev.isUnresolved()
                    ? Optional.of(FindingWrite.transition(resolve(prev, r.message(), stored, run, at)))
                    : Optional.empty();
        }
        FindingStatus target = r.status() == Status.FAIL ? FindingStatus.OPEN : FindingStatus.EXEMPT;
        if (prev == null) {
            TransitionType type = target == FindingStatus.OPEN ? TransitionType.NEW : TransitionType.EXEMPTED;
            return Optional.of(FindingWrite.transition(opened(null, r, meta, target, type, run, at, at)));
        }
        if (prev.status() == target) {
            return contentChanged(prev, r, meta) ? Optional.of(FindingWrite.refresh(refreshed(prev, r, meta))) : Optional.empty();
        }
        TransitionType type = target == FindingStatus.OPEN ? TransitionType.REGRESSED : TransitionType.EXEMPTED;
        // OPEN <-> EXEMPT continues the same unresolved period; from RESOLVED a new one starts.
        Instant openedAt = prev.status() == FindingStatus.RESOLVED ? at : prev.openedAt();
        return Optional.of(FindingWrite.transition(opened(prev, r, meta, target, type, run, at, openedAt)));
    }

    private Finding opened(Finding prev, CheckResult r, CheckMetadata meta, FindingStatus status, TransitionType type,
                           RunInfo run, Instant at, Instant openedAt) {
        var supersedes = supersededBy(prev);
        int reopen = prev == null ? 0 : prev.reopenCount() + (type == TransitionType.REGRESSED ? 1 : 0);
        return new Finding(r.checkId(), r.resource(), meta.scope(), status, r.severity(), meta.title(),
                clip(r.message(), MAX_MESSAGE), clip(r.evidence(), MAX_EVIDENCE),
                prev == null ? at : prev.firstSeen(), openedAt, at, Optional.empty(), Optional.empty(), Optional.empty(),
                reopen, Optional.empty(),
                Transition.of(type, run.runId(), at, alertState(r.severity(), supersedes), supersedes));
    }

    private Finding resolve(Finding prev, String resolution, ClusterRecord stored, RunInfo run, Instant at) {
        var supersedes = supersededBy(prev);
        Duration toResolve = Duration.between(prev.openedAt(), at);
        return new Finding(prev.checkId(), prev.resource(), prev.scope(), FindingStatus.RESOLVED, prev.severity(),
                prev.title(), prev.message(), prev.evidence(), prev.firstSeen(), prev.openedAt(),
                stored.effectiveLastSeen(prev), Optional.of(at),
                Optional.of(toResolve.isNegative() ? Duration.ZERO : toResolve),
                Optional.of(clip(resolution, MAX_MESSAGE)), prev.reopenCount(), Optional.of(at.plus(resolvedRetention)),
                Transition.of(TransitionType.RESOLVED, run.runId(), at, alertState(prev.severity(), supersedes), supersedes));
    }

    private static Finding refreshed(Finding prev, CheckResult r, CheckMetadata meta) {
        return new Finding(prev.checkId(), prev.resource(), meta.scope(), prev.status(), r.severity(), meta.title(),
                clip(r.message(), MAX_MESSAGE), clip(r.evidence(), MAX_EVIDENCE), prev.firstSeen(), prev.openedAt(),
                prev.lastSeen(), prev.resolvedAt(), prev.timeToResolve(), prev.resolution(), prev.reopenCount(),
                prev.expiresAt(), prev.transition());
    }

    private static boolean contentChanged(Finding prev, CheckResult r, CheckMetadata meta) {
        return prev.severity() != r.severity()
                || prev.scope() != meta.scope()
                || !prev.title().equals(meta.title())
                || !prev.message().equals(clip(r.message(), MAX_MESSAGE))
                // For EXEMPT the evidence is the exemption's reason: worth keeping current.
                || (prev.status() == FindingStatus.EXEMPT && !prev.evidence().equals(clip(r.evidence(), MAX_EVIDENCE)));
    }

    /** An earlier transition still PENDING is carried by the new one, not dropped. */
    private static List<TransitionType> supersededBy(Finding prev) {
        if (prev == null || prev.transition().alertState() != AlertState.PENDING) {
            return List.of();
        }
        var list = new ArrayList<>(prev.transition().supersedes());
        list.add(prev.transition().type());
        return list;
    }

    private AlertState alertState(Severity severity, List<TransitionType> supersedes) {
        return severity.atLeast(minAlertSeverity) || !supersedes.isEmpty() ? AlertState.PENDING : AlertState.SKIPPED;
    }

    private static ClusterState newState(ClusterState old, java.util.Set<String> ranChecks, Evaluation evaluation,
                                         RunInfo run, Instant now, Map<Severity, Integer> openBySeverity, int exempt) {
        var checkRuns = new HashMap<>(old.checkRuns());
        ranChecks.forEach(id -> checkRuns.put(id, run.startedAt()));
        Instant at = run.startedAt();
        boolean newest = old.lastRunAt().map(last -> !last.isAfter(at)).orElse(true);
        boolean full = evaluation.scopes().containsAll(Scope.all());
        Optional<Instant> lastFull = full && old.lastFullRunAt().map(t -> !t.isAfter(at)).orElse(true)
                ? Optional.of(at) : old.lastFullRunAt();
        return new ClusterState(old.version() + 1,
                newest ? Optional.of(run.runId()) : old.lastRunId(),
                newest ? Optional.of(at) : old.lastRunAt(),
                lastFull, checkRuns, openBySeverity, exempt, old.commitLease(), old.alertLease(), old.alertSeq(),
                Optional.of(now));
    }

    private static CheckMetadata metadataOf(Evaluation evaluation, CheckResult r) {
        return evaluation.outcomes().stream()
                .filter(o -> o.results().contains(r))
                .map(CheckOutcome::metadata)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("result " + r.findingKey() + " belongs to no outcome"));
    }

    private static CheckResult worse(CheckResult a, CheckResult b) {
        return rank(b.status()) > rank(a.status()) ? b : a;
    }

    private static int rank(Status s) {
        return switch (s) {
            case FAIL -> 2;
            case EXEMPT -> 1;
            default -> 0;
        };
    }

    static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
