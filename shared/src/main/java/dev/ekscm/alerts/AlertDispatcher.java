package dev.ekscm.alerts;

import dev.ekscm.findings.AlertMark;
import dev.ekscm.findings.AlertState;
import dev.ekscm.findings.Backoff;
import dev.ekscm.findings.ClusterRecord;
import dev.ekscm.findings.Finding;
import dev.ekscm.findings.FindingStore;
import dev.ekscm.findings.RecordOutcome;
import dev.ekscm.findings.Sleeper;
import dev.ekscm.findings.Transition;
import dev.ekscm.model.ClusterId;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Delivers the outbox of a recorded run: every PENDING transition of the cluster (this run's and
 * leftovers whose delivery failed before) goes to each configured notifier that has not delivered it
 * yet, one alert per cluster per notifier, and is marked per notifier right after that notifier
 * succeeded. A transition becomes SENT once every configured notifier has delivered it; a failing
 * notifier leaves it PENDING for the next run, which sends it only to the notifiers still missing.
 *
 * <p>Two runs of one cluster never send the same transition: delivery takes the cluster's alert lease
 * first (conditional on the outbox sequence the run read). A run whose view is stale re-reads once it
 * gets the lease; a run that cannot get it within its attempts leaves the alerts PENDING. A run
 * without anything pending costs no call at all.
 *
 * <p>Exactly-once needs the mark to follow the send; if the process dies between a successful send
 * and its mark, that transition is sent again by the next run (at-least-once in that one window).
 */
public final class AlertDispatcher {
    private final FindingStore store;
    private final Clock clock;
    private final Duration lease;
    private final int maxLeaseAttempts;
    private final Backoff backoff;

    private AlertDispatcher(Builder b) {
        this.store = b.store;
        this.clock = b.clock;
        this.lease = b.lease;
        this.maxLeaseAttempts = b.maxLeaseAttempts;
        this.backoff = b.backoff;
    }

    public static Builder builder(FindingStore store) {
        return new Builder(store);
    }

    public AlertOutcome deliver(RecordOutcome recorded, List<Notifier> notifiers) {
        ClusterId cluster = recorded.cluster();
        var names = new TreeSet<String>();
        for (Notifier n : notifiers) {
            if (!names.add(n.name())) {
                throw new IllegalArgumentException("two notifiers are named '" + n.name() + "': names must be unique");
            }
        }
        List<Finding> pending = recorded.pendingAlerts();
        if (pending.isEmpty()) {
            return new AlertOutcome(0, List.of(), 0, Optional.empty());
        }
        if (notifiers.isEmpty()) {
            return AlertOutcome.skipped(pending.size(), "no notifier configured: alerts stay pending");
        }
        String owner = recorded.runId();
        long seq = recorded.alertSeq();
        boolean acquired = false;
        for (int attempt = 1; attempt <= maxLeaseAttempts; attempt++) {
            Instant now = clock.instant();
            if (store.acquireAlertLease(cluster, owner, seq, now, now.plus(lease))) {
                acquired = true;
                break;
            }
            if (attempt == maxLeaseAttempts) {
                break;
            }
            backoff.pause(attempt);
            // Another run delivered or is delivering: look at the outbox again.
            ClusterRecord fresh = store.load(cluster);
            pending = fresh.pendingAlerts();
            seq = fresh.state().alertSeq();
            if (pending.isEmpty()) {
                return new AlertOutcome(0, List.of(), 0, Optional.empty());
            }
        }
        if (!acquired) {
            return AlertOutcome.skipped(pending.size(), "another run of cluster " + cluster
                    + " holds the alert lease: alerts stay pending for the next run");
        }
        try {
            // Under the lease, read the outbox again: a concurrent run may have delivered (and marked)
            // these transitions after our list was read, and they must not go out twice.
            List<Finding> current = store.load(cluster).pendingAlerts();
            if (current.isEmpty()) {
                return new AlertOutcome(0, List.of(), 0, Optional.empty());
            }
            return send(recorded, current, notifiers, names);
        } finally {
            store.releaseAlertLease(cluster, owner);
        }
    }

    private AlertOutcome send(RecordOutcome recorded, List<Finding> pending, List<Notifier> notifiers, TreeSet<String> names) {
        ClusterId cluster = recorded.cluster();
        var current = new LinkedHashMap<String, Finding>();
        pending.forEach(f -> current.put(f.transitionId(), f));
        // Sent already to every notifier configured now (the configuration shrank): nothing left to send.
        var done = current.values().stream().filter(f -> f.transition().alertSentTo().containsAll(names)).toList();
        if (!done.isEmpty()) {
            Instant now = clock.instant();
            store.markSent(cluster, done.stream()
                    .map(f -> new AlertMark(f.findingKey(), f.transition().runId(), names.first(), true, now)).toList());
            done.forEach(f -> current.remove(f.transitionId()));
        }
        var outcomes = new ArrayList<AlertOutcome.NotifierOutcome>();
        for (Notifier notifier : notifiers) {
            var todo = current.values().stream()
                    .filter(f -> !f.transition().alertSentTo().contains(notifier.name())).toList();
            if (todo.isEmpty()) {
                continue;
            }
            var alert = new Alert(cluster, recorded.team(), recorded.runId(), clock.instant(), todo);
            Delivery delivery;
            try {
                delivery = notifier.send(alert);
            } catch (RuntimeException e) {
                // A notifier should report, not throw; if it throws, assume nothing was delivered.
                delivery = Delivery.failed(Set.of(), 0, notifier.name() + " failed: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            }
            Instant now = clock.instant();
            var marks = new ArrayList<AlertMark>();
            for (Finding f : todo) {
                if (!delivery.delivered().contains(f.transitionId())) {
                    continue;
                }
                var sentTo = new HashSet<>(f.transition().alertSentTo());
                sentTo.add(notifier.name());
                boolean complete = sentTo.containsAll(names);
                marks.add(new AlertMark(f.findingKey(), f.transition().runId(), notifier.name(), complete, now));
                Transition t = f.transition().withAlert(complete ? AlertState.SENT : AlertState.PENDING, sentTo,
                        complete ? Optional.of(now) : Optional.empty());
                current.put(f.transitionId(), f.withTransition(t));
            }
            store.markSent(cluster, marks);
            outcomes.add(new AlertOutcome.NotifierOutcome(notifier.name(), marks.size(), delivery.messages(),
                    delivery.failure()));
        }
        int stillPending = (int) current.values().stream()
                .filter(f -> f.transition().alertState() == AlertState.PENDING).count();
        return new AlertOutcome(pending.size(), outcomes, stillPending, Optional.empty());
    }

    public static final class Builder {
        private final FindingStore store;
        private Clock clock = Clock.systemUTC();
        private Duration lease = Duration.ofMinutes(5);
        private int maxLeaseAttempts = 6;
        private Backoff backoff = Backoff.standard(Sleeper.REAL);

        private Builder(FindingStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        public Builder withClock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How long a delivering run holds the cluster's outbox; longer than the slowest delivery. */
        public Builder withLease(Duration lease) {
            this.lease = Objects.requireNonNull(lease, "lease");
            return this;
        }

        public Builder withMaxLeaseAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("maxLeaseAttempts must be at least 1");
            }
            this.maxLeaseAttempts = attempts;
            return this;
        }

        public Builder withBackoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        public AlertDispatcher build() {
            return new AlertDispatcher(this);
        }
    }
}
