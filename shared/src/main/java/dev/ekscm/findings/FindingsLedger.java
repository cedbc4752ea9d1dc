package dev.ekscm.findings;

import dev.ekscm.checks.Evaluation;
import dev.ekscm.model.ClusterId;
import dev.ekscm.model.Severity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Records runs: reads a cluster once, reconciles the run's verdicts with the stored findings, and
 * commits the transitions, the STATE and the run item. When another run of the same cluster commits
 * first, it re-reads and reconciles again (bounded), so concurrent runs end consistent and no
 * transition is recorded twice. Delivering the resulting alerts is {@code dev.ekscm.alerts.AlertDispatcher}'s job.
 *
 * <pre>{@code
 * var ledger = FindingsLedger.builder(new DynamoDbFindingStore(dynamo, table))
 *         .withMinAlertSeverity(Severity.HIGH).build();
 * RecordOutcome recorded = ledger.record(cluster, tags, evaluation, runInfo);
 * }</pre>
 */
public final class FindingsLedger {
    public static final String MIN_SEVERITY_ENV = "ALERT_MIN_SEVERITY";
    public static final Duration DEFAULT_RESOLVED_RETENTION = Duration.ofDays(90);
    public static final Duration DEFAULT_RUN_RETENTION = Duration.ofDays(30);

    private final FindingStore store;
    private final Clock clock;
    private final Reconciler reconciler;
    private final Duration runRetention;
    private final Duration commitLease;
    private final int maxAttempts;
    private final Backoff backoff;

    private FindingsLedger(Builder b) {
        this.store = b.store;
        this.clock = b.clock;
        this.reconciler = new Reconciler(b.minAlertSeverity, b.resolvedRetention);
        this.runRetention = b.runRetention;
        this.commitLease = b.commitLease;
        this.maxAttempts = b.maxAttempts;
        this.backoff = b.backoff;
    }

    public static Builder builder(FindingStore store) {
        return new Builder(store);
    }

    /**
     * Records one run of one cluster.
     *
     * @param cluster     the cluster's key in the store (its name must match the evaluation's)
     * @param clusterTags the cluster's tags; {@code ekscm:team} routes its alerts
     * @throws ConcurrentRunException when other runs of the cluster kept winning for every attempt
     * @throws FindingStoreException  when the store failed for good (after retrying throttling)
     */
    public RecordOutcome record(ClusterId cluster, Map<String, String> clusterTags, Evaluation evaluation, RunInfo run) {
        Objects.requireNonNull(cluster, "cluster");
        if (!evaluation.cluster().name().equals(cluster.name())) {
            throw new IllegalArgumentException("evaluation is of cluster '" + evaluation.cluster().name()
                    + "' but the run is recorded for cluster '" + cluster.name() + "'");
        }
        String team = RecordOutcome.teamOf(clusterTags);
        String lastConflict = "";
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            ClusterRecord stored = store.load(cluster);
            Instant now = clock.instant();
            var lease = stored.state().commitLease();
            if (lease.isPresent() && lease.get().activeFor(run.runId(), now)) {
                lastConflict = "run " + lease.get().owner() + " is committing until " + lease.get().until();
                backoff.pause(attempt);
                continue;
            }
            ReconcilePlan plan = reconciler.reconcile(stored, evaluation, run, now);
            var runRecord = new RunRecord(cluster, run, evaluation.scopes(), team, plan.counts(), plan.staleChecks(),
                    attempt, now, run.startedAt().plus(runRetention));
            var commit = new Commit(stored.state().version(), run.runId(), plan.writes(), plan.newState(), runRecord,
                    now, now.plus(commitLease));
            try {
                store.commit(cluster, commit);
            } catch (ConcurrentRunException e) {
                lastConflict = e.getMessage();
                backoff.pause(attempt);
                continue;
            }
            return new RecordOutcome(cluster, clusterTags, team, run, plan.transitions(), plan.counts(),
                    ClusterRecord.pendingAlerts(plan.after()), stored.state().alertSeq(), plan.newState().version(),
                    attempt, plan.staleChecks());
        }
        throw new ConcurrentRunException("cluster " + cluster + ": run " + run.runId() + " not recorded after "
                + maxAttempts + " attempts, other runs kept committing first (" + lastConflict
                + "); the next run will record its verdicts");
    }

    public FindingStore store() {
        return store;
    }

    public Clock clock() {
        return clock;
    }

    public static final class Builder {
        private final FindingStore store;
        private Clock clock = Clock.systemUTC();
        private Severity minAlertSeverity = Severity.LOW;
        private Duration resolvedRetention = DEFAULT_RESOLVED_RETENTION;
        private Duration runRetention = DEFAULT_RUN_RETENTION;
        private Duration commitLease = Duration.ofMinutes(2);
        private int maxAttempts = 8;
        private Backoff backoff = Backoff.standard(Sleeper.REAL);

        private Builder(FindingStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        public Builder withClock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Transitions below this severity are recorded but not alerted (alert state SKIPPED). Default LOW: all. */
        public Builder withMinAlertSeverity(Severity severity) {
            this.minAlertSeverity = Objects.requireNonNull(severity, "severity");
            return this;
        }

        /** Reads {@code ALERT_MIN_SEVERITY} when set. */
        public Builder withEnvironment(Map<String, String> env) {
            String min = env.get(MIN_SEVERITY_ENV);
            if (min != null && !min.isBlank()) {
                try {
                    minAlertSeverity = Severity.parse(min);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(MIN_SEVERITY_ENV + ": " + e.getMessage(), e);
                }
            }
            return this;
        }

        public Builder withResolvedRetention(Duration retention) {
            this.resolvedRetention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        public Builder withRunRetention(Duration retention) {
            this.runRetention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        /** How long a run that must split its writes may hold the cluster before others may take over. */
        public Builder withCommitLease(Duration lease) {
            this.commitLease = Objects.requireNonNull(lease, "lease");
            return this;
        }

        public Builder withMaxAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1");
            }
            this.maxAttempts = attempts;
            return this;
        }

        public Builder withBackoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        public FindingsLedger build() {
            return new FindingsLedger(this);
        }
    }
}
