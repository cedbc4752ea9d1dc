package dev.ekscm.alerts;

import dev.ekscm.findings.AlertState;
import dev.ekscm.findings.Backoff;
import dev.ekscm.findings.Finding;
import dev.ekscm.findings.FindingsLedger;
import dev.ekscm.findings.InMemoryFindingStore;
import dev.ekscm.findings.MutableClock;
import dev.ekscm.findings.RecordOutcome;
import dev.ekscm.findings.TestRuns;
import dev.ekscm.findings.TransitionType;
import dev.ekscm.model.Severity;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static dev.ekscm.findings.TestRuns.API;
import static dev.ekscm.findings.TestRuns.CLUSTER;
import static dev.ekscm.findings.TestRuns.NODES;
import static dev.ekscm.findings.TestRuns.NODE_1;
import static dev.ekscm.findings.TestRuns.PODS;
import static dev.ekscm.findings.TestRuns.T0;
import static dev.ekscm.findings.TestRuns.TAGS;
import static dev.ekscm.findings.TestRuns.WEB;
import static dev.ekscm.findings.TestRuns.run;
import static org.assertj.core.api.Assertions.assertThat;

class AlertDispatcherTest {
    private final InMemoryFindingStore store = new InMemoryFindingStore();
    private final MutableClock clock = new MutableClock(T0);
    private final Backoff noWait = new Backoff(Duration.ZERO, Duration.ZERO, d -> { });
    private final FindingsLedger ledger = FindingsLedger.builder(store).withClock(clock).withBackoff(noWait).build();
    private final AlertDispatcher dispatcher = AlertDispatcher.builder(store).withClock(clock).withBackoff(noWait).build();

    private RecordOutcome record(String runId, Instant at, TestRuns.EvaluationBuilder eval) {
        clock.set(at);
        return ledger.record(CLUSTER, TAGS, eval.build(), run(runId, at));
    }

    @Test
    void deliver_should_send_each_transition_once_in_one_alert_per_cluster() {
        var notifier = new RecordingNotifier("sns", 0);
        var first = record("r1", T0, TestRuns.full().fail(PODS, API, "root").fail(NODES, NODE_1, "hop limit 2"));

        var outcome = dispatcher.deliver(first, List.of(notifier));

        assertThat(notifier.sent).singleElement().satisfies(alert -> {
            assertThat(alert.team()).isEqualTo("payments");
            assertThat(alert.transitions()).extracting(Finding::severity).containsExactly(Severity.CRITICAL, Severity.MEDIUM);
        });
        assertThat(outcome.allDelivered()).isTrue();
        assertThat(store.load(CLUSTER).pendingAlerts()).isEmpty();
        assertThat(store.load(CLUSTER).findings().values()).allSatisfy(f -> {
            assertThat(f.transition().alertState()).isEqualTo(AlertState.SENT);
            assertThat(f.transition().alertSentTo()).containsExactly("sns");
            assertThat(f.transition().alertSentAt()).contains(T0);
        });

        var second = record("r2", T0.plusSeconds(3600), TestRuns.full().fail(PODS, API, "root").fail(NODES, NODE_1, "hop limit 2"));
        var again = dispatcher.deliver(second, List.of(notifier));

        assertThat(again.pending()).isZero();
        assertThat(notifier.attempted).hasSize(1);
    }

    @Test
    void failing_notifier_should_leave_pending_and_next_run_should_send_only_to_it() {
        var sns = new RecordingNotifier("sns", 0);
        var slack = new RecordingNotifier("slack", 1);
        var first = record("r1", T0, TestRuns.full().fail(PODS, API, "root"));

        var outcome1 = dispatcher.deliver(first, List.of(sns, slack));

        assertThat(outcome1.stillPending()).isEqualTo(1);
        assertThat(outcome1.notifiers()).extracting(AlertOutcome.NotifierOutcome::failure)
                .containsExactly(java.util.Optional.empty(), java.util.Optional.of("slack is down"));
        Finding stored = store.load(CLUSTER).findings().values().iterator().next();
        assertThat(stored.transition().alertState()).isEqualTo(AlertState.PENDING);
        assertThat(stored.transition().alertSentTo()).containsExactly("sns");

        var second = record("r2", T0.plusSeconds(3600), TestRuns.full().fail(PODS, API, "root"));
        assertThat(second.transitions()).isEmpty();
        assertThat(second.pendingAlerts()).hasSize(1);
        var outcome2 = dispatcher.deliver(second, List.of(sns, slack));

        assertThat(outcome2.allDelivered()).isTrue();
        assertThat(sns.sentTransitionIds()).containsExactly(stored.transitionId());
        assertThat(slack.sentTransitionIds()).containsExactly(stored.transitionId());
        assertThat(slack.sent.get(0).runId()).isEqualTo("r2");
        assertThat(slack.sent.get(0).transitions().get(0).transition().runId()).isEqualTo("r1");
        assertThat(store.load(CLUSTER).pendingAlerts()).isEmpty();
    }

    @Test
    void unsent_NEW_then_RESOLVED_should_be_told_once_as_RESOLVED_superseding_NEW() {
        var down = new RecordingNotifier("sns", 1);
        dispatcher.deliver(record("r1", T0, TestRuns.full().fail(PODS, API, "root")), List.of(down));

        var fixed = record("r2", T0.plusSeconds(60), TestRuns.full().pass(PODS, API));
        dispatcher.deliver(fixed, List.of(down));

        assertThat(down.sent).singleElement().satisfies(alert -> assertThat(alert.transitions()).singleElement()
                .satisfies(f -> {
                    assertThat(f.transition().type()).isEqualTo(TransitionType.RESOLVED);
                    assertThat(f.transition().supersedes()).containsExactly(TransitionType.NEW);
                }));
    }

    @Test
    void transitions_below_threshold_should_not_be_sent_nor_stay_pending() {
        var strict = FindingsLedger.builder(store).withClock(clock).withBackoff(noWait).withMinAlertSeverity(Severity.HIGH).build();
        var notifier = new RecordingNotifier("sns", 0);

        var outcome = strict.record(CLUSTER, TAGS, TestRuns.full().fail(PODS, API, "root").fail(NODES, NODE_1, "hop").build(), run("r1", T0));
        dispatcher.deliver(outcome, List.of(notifier));

        assertThat(outcome.transitions()).hasSize(2);
        assertThat(notifier.sentTransitionIds()).containsExactly("nodes-imds-hop-limit#Instance/i-0abc1@r1");
        assertThat(store.load(CLUSTER).findings().get("pods-run-as-non-root#Deployment/payments/api").transition().alertState())
                .isEqualTo(AlertState.SKIPPED);
    }

    @Test
    void delivery_should_wait_for_another_run_holding_the_alert_lease_then_leave_pending() {
        var outcome = record("r1", T0, TestRuns.full().fail(PODS, API, "root"));
        assertThat(store.acquireAlertLease(CLUSTER, "other-run", 0, T0, T0.plusSeconds(300))).isTrue();
        var notifier = new RecordingNotifier("sns", 0);

        var result = dispatcher.deliver(outcome, List.of(notifier));

        assertThat(result.skipped()).get().asString().contains("holds the alert lease");
        assertThat(notifier.attempted).isEmpty();
        assertThat(store.load(CLUSTER).pendingAlerts()).hasSize(1);
    }

    @Test
    void delivery_with_a_stale_view_should_reread_and_not_resend() {
        var outcome = record("r1", T0, TestRuns.full().fail(PODS, API, "root").pass(PODS, WEB));
        var notifier = new RecordingNotifier("sns", 0);
        // GIVEN another run delivered the same outbox after this run read it
        var other = new RecordOutcome(CLUSTER, TAGS, "payments", run("r1b", T0), List.of(), outcome.counts(),
                outcome.pendingAlerts(), outcome.alertSeq(), outcome.stateVersion(), 1, List.of());
        dispatcher.deliver(other, List.of(notifier));

        dispatcher.deliver(outcome, List.of(notifier));

        assertThat(notifier.sent).hasSize(1);
    }

    @Test
    void no_notifier_should_leave_everything_pending() {
        var outcome = record("r1", T0, TestRuns.full().fail(PODS, API, "root"));

        var result = dispatcher.deliver(outcome, List.of());

        assertThat(result.stillPending()).isEqualTo(1);
        assertThat(store.load(CLUSTER).pendingAlerts()).hasSize(1);
    }

    @Test
    void notifier_that_throws_should_count_as_failed() {
        var outcome = record("r1", T0, TestRuns.full().fail(PODS, API, "root"));
        Notifier broken = new Notifier() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public Delivery send(Alert alert) {
                throw new IllegalStateException("boom");
            }
        };

        var result = dispatcher.deliver(outcome, List.of(broken));

        assertThat(result.notifiers()).singleElement().satisfies(n -> assertThat(n.failure()).get().asString().contains("boom"));
        assertThat(store.load(CLUSTER).pendingAlerts()).hasSize(1);
        assertThat(Set.copyOf(store.load(CLUSTER).pendingAlerts().get(0).transition().alertSentTo())).isEmpty();
    }
}
