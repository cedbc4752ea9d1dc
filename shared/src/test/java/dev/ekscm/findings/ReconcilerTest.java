package dev.ekscm.findings;

import dev.ekscm.model.Scope;
import dev.ekscm.model.Severity;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ekscm.findings.TestRuns.ADMIN_ROLE;
import static dev.ekscm.findings.TestRuns.API;
import static dev.ekscm.findings.TestRuns.CLUSTER;
import static dev.ekscm.findings.TestRuns.NODES;
import static dev.ekscm.findings.TestRuns.NODE_1;
import static dev.ekscm.findings.TestRuns.PODS;
import static dev.ekscm.findings.TestRuns.RBAC;
import static dev.ekscm.findings.TestRuns.T0;
import static dev.ekscm.findings.TestRuns.WEB;
import static dev.ekscm.findings.TestRuns.run;
import static org.assertj.core.api.Assertions.assertThat;

class ReconcilerTest {
    private final Reconciler reconciler = new Reconciler(Severity.LOW, Duration.ofDays(90));

    /** Applies a plan the way a store would, so the next reconcile sees it. */
    private static ClusterRecord apply(ClusterRecord before, ReconcilePlan plan) {
        var findings = new HashMap<>(before.findings());
        plan.writes().forEach(w -> findings.put(w.finding().findingKey(), w.finding()));
        return new ClusterRecord(before.cluster(), findings, plan.newState());
    }

    private static TransitionType typeOf(ReconcilePlan plan, String key) {
        return plan.transitions().stream().filter(f -> f.findingKey().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no transition for " + key + " in " + plan.transitions()))
                .transition().type();
    }

    @Test
    void first_run_should_open_failures_and_record_exemptions_but_store_nothing_for_passes() {
        var eval = TestRuns.full().fail(PODS, API, "root").pass(PODS, WEB).exempt(RBAC, ADMIN_ROLE, "break-glass").build();

        var plan = reconciler.reconcile(ClusterRecord.empty(CLUSTER), eval, run("r1", T0), T0);

        assertThat(plan.writes()).hasSize(2).allMatch(FindingWrite::transition);
        assertThat(typeOf(plan, "pods-run-as-non-root#Deployment/payments/api")).isEqualTo(TransitionType.NEW);
        assertThat(typeOf(plan, "rbac-no-wildcard-roles#ClusterRole/ops-admin")).isEqualTo(TransitionType.EXEMPTED);
        var api = plan.after().get("pods-run-as-non-root#Deployment/payments/api");
        assertThat(api.status()).isEqualTo(FindingStatus.OPEN);
        assertThat(api.firstSeen()).isEqualTo(T0);
        assertThat(api.scope()).isEqualTo(Scope.WORKLOADS);
        assertThat(api.title()).isEqualTo("Title of pods-run-as-non-root");
        assertThat(api.transition().alertState()).isEqualTo(AlertState.PENDING);
        assertThat(plan.newState().version()).isEqualTo(1);
        assertThat(plan.newState().checkRuns()).containsEntry(PODS.id(), T0).containsEntry(RBAC.id(), T0);
        assertThat(plan.newState().openBySeverity()).containsEntry(Severity.MEDIUM, 1);
        assertThat(plan.newState().lastFullRunAt()).contains(T0);
        assertThat(plan.counts().passed()).isEqualTo(1);
        assertThat(plan.counts().failed()).isEqualTo(1);
        assertThat(plan.counts().exempt()).isEqualTo(1);
    }

    @Test
    void unchanged_run_should_write_no_finding_and_lastSeen_should_follow_the_check_runs() {
        var eval = TestRuns.full().fail(PODS, API, "root").build();
        var after1 = apply(ClusterRecord.empty(CLUSTER), reconciler.reconcile(ClusterRecord.empty(CLUSTER), eval, run("r1", T0), T0));
        Instant t1 = T0.plus(Duration.ofHours(1));

        var plan = reconciler.reconcile(after1, eval, run("r2", t1), t1);

        assertThat(plan.writes()).isEmpty();
        assertThat(plan.transitions()).isEmpty();
        var after2 = apply(after1, plan);
        Finding api = after2.findings().get("pods-run-as-non-root#Deployment/payments/api");
        assertThat(api.lastSeen()).isEqualTo(T0);
        assertThat(after2.effectiveLastSeen(api)).isEqualTo(t1);
    }

    @Test
    void fix_should_resolve_with_time_to_resolve_ttl_and_the_last_time_it_was_seen_failing() {
        var failing = TestRuns.full().fail(PODS, API, "root").build();
        var r1 = apply(ClusterRecord.empty(CLUSTER), reconciler.reconcile(ClusterRecord.empty(CLUSTER), failing, run("r1", T0), T0));
        Instant t1 = T0.plus(Duration.ofHours(1));
        var r2 = apply(r1, reconciler.reconcile(r1, failing, run("r2", t1), t1));
        Instant t2 = T0.plus(Duration.ofHours(5));

        var plan = reconciler.reconcile(r2, TestRuns.full().pass(PODS, API).build(), run("r3", t2), t2);

        Finding api = plan.transitions().get(0);
        assertThat(api.transition().type()).isEqualTo(TransitionType.RESOLVED);
        assertThat(api.status()).isEqualTo(FindingStatus.RESOLVED);
        assertThat(api.resolvedAt()).contains(t2);
        assertThat(api.timeToResolve()).contains(Duration.ofHours(5));
        assertThat(api.lastSeen()).isEqualTo(t1);
        assertThat(api.expiresAt()).contains(t2.plus(Duration.ofDays(90)));
        assertThat(api.resolution()).contains("Deployment/payments/api is fine");
        assertThat(api.message()).isEqualTo("root");
        assertThat(plan.newState().openBySeverity().values()).allMatch(n -> n == 0);
    }

    @Test
    void regression_should_reopen_keep_firstSeen_and_count_the_reopen() {
        var failing = TestRuns.full().fail(PODS, API, "root").build();
        var passing = TestRuns.full().pass(PODS, API).build();
        var s = ClusterRecord.empty(CLUSTER);
        s = apply(s, reconciler.reconcile(s, failing, run("r1", T0), T0));
        s = apply(s, reconciler.reconcile(s, passing, run("r2", T0.plusSeconds(60)), T0));
        Instant t3 = T0.plusSeconds(600);

        var plan = reconciler.reconcile(s, failing, run("r3", t3), t3);

        Finding api = plan.transitions().get(0);
        assertThat(api.transition().type()).isEqualTo(TransitionType.REGRESSED);
        assertThat(api.status()).isEqualTo(FindingStatus.OPEN);
        assertThat(api.reopenCount()).isEqualTo(1);
        assertThat(api.firstSeen()).isEqualTo(T0);
        assertThat(api.openedAt()).isEqualTo(t3);
        assertThat(api.resolvedAt()).isEmpty();
        assertThat(api.expiresAt()).isEmpty();
    }

    @Test
    void exemption_and_its_withdrawal_should_be_EXEMPTED_then_REGRESSED() {
        var s = ClusterRecord.empty(CLUSTER);
        s = apply(s, reconciler.reconcile(s, TestRuns.full().fail(RBAC, ADMIN_ROLE, "wildcard verbs").build(), run("r1", T0), T0));

        var exempted = reconciler.reconcile(s, TestRuns.full().exempt(RBAC, ADMIN_ROLE, "break-glass").build(),
                run("r2", T0.plusSeconds(60)), T0);
        assertThat(typeOf(exempted, "rbac-no-wildcard-roles#ClusterRole/ops-admin")).isEqualTo(TransitionType.EXEMPTED);
        assertThat(exempted.after().get("rbac-no-wildcard-roles#ClusterRole/ops-admin").status()).isEqualTo(FindingStatus.EXEMPT);
        assertThat(exempted.newState().exempt()).isEqualTo(1);
        s = apply(s, exempted);

        var withdrawn = reconciler.reconcile(s, TestRuns.full().fail(RBAC, ADMIN_ROLE, "wildcard verbs").build(),
                run("r3", T0.plusSeconds(120)), T0);
        Finding role = withdrawn.transitions().get(0);
        assertThat(role.transition().type()).isEqualTo(TransitionType.REGRESSED);
        assertThat(role.reopenCount()).isEqualTo(1);
        assertThat(role.openedAt()).as("OPEN -> EXEMPT -> OPEN is one unresolved period").isEqualTo(T0);
    }

    @Test
    void resource_gone_should_resolve_only_when_its_check_ran_in_a_covered_scope() {
        var s = ClusterRecord.empty(CLUSTER);
        s = apply(s, reconciler.reconcile(s, TestRuns.full().fail(PODS, API, "root").fail(RBAC, ADMIN_ROLE, "*")
                .fail(NODES, NODE_1, "hop limit 2").build(), run("r1", T0), T0));
        Instant t1 = T0.plusSeconds(300);

        // GIVEN a nodes-only recheck in which the node is gone, and a workloads check whose data was absent
        var nodesOnly = TestRuns.scopes(Scope.NODES, Scope.WORKLOADS).ran(NODES).notApplicable(PODS).build();
        var plan = reconciler.reconcile(s, nodesOnly, run("r2", t1), t1);

        // THEN only the node finding resolves: RBAC was not in scope, PODS did not run
        assertThat(plan.transitions()).extracting(Finding::findingKey).containsExactly("nodes-imds-hop-limit#Instance/i-0abc1");
        assertThat(plan.transitions().get(0).resolution().orElseThrow()).contains("not reported by this run");
        assertThat(plan.newState().checkRuns()).containsEntry(NODES.id(), t1).containsEntry(PODS.id(), T0).containsEntry(RBAC.id(), T0);
        assertThat(plan.newState().lastFullRunAt()).contains(T0);
        assertThat(plan.counts().checksNotApplicable()).isEqualTo(1);
    }

    @Test
    void run_that_started_before_the_last_recorded_one_should_not_undo_it() {
        var s = ClusterRecord.empty(CLUSTER);
        Instant later = T0.plusSeconds(60);
        s = apply(s, reconciler.reconcile(s, TestRuns.full().pass(PODS, API).build(), run("late", later), later));

        // GIVEN an older run (started before) that saw the pod failing commits afterwards
        var plan = reconciler.reconcile(s, TestRuns.full().fail(PODS, API, "root").build(), run("early", T0), later);

        assertThat(plan.transitions()).isEmpty();
        assertThat(plan.staleChecks()).containsExactly(PODS.id());
        assertThat(plan.newState().lastRunId()).contains("late");
        assertThat(plan.newState().checkRuns()).containsEntry(PODS.id(), later);
    }

    @Test
    void severity_change_of_an_open_finding_should_refresh_without_a_transition() {
        var s = ClusterRecord.empty(CLUSTER);
        s = apply(s, reconciler.reconcile(s, TestRuns.full().fail(PODS, API, "root").build(), run("r1", T0), T0));

        var plan = reconciler.reconcile(s, TestRuns.full().fail(PODS, API, Severity.HIGH, "root").build(),
                run("r2", T0.plusSeconds(60)), T0);

        assertThat(plan.transitions()).isEmpty();
        assertThat(plan.writes()).singleElement().satisfies(w -> {
            assertThat(w.transition()).isFalse();
            assertThat(w.finding().severity()).isEqualTo(Severity.HIGH);
        });
        assertThat(plan.counts().refreshed()).isEqualTo(1);
        assertThat(plan.newState().openBySeverity()).containsEntry(Severity.HIGH, 1).containsEntry(Severity.MEDIUM, 0);
    }

    @Test
    void transitions_below_the_threshold_should_be_recorded_as_SKIPPED() {
        var strict = new Reconciler(Severity.HIGH, Duration.ofDays(90));

        var plan = strict.reconcile(ClusterRecord.empty(CLUSTER),
                TestRuns.full().fail(PODS, API, "root").fail(NODES, NODE_1, "hop limit 2").build(), run("r1", T0), T0);

        assertThat(plan.after().get("pods-run-as-non-root#Deployment/payments/api").transition().alertState()).isEqualTo(AlertState.SKIPPED);
        assertThat(plan.after().get("nodes-imds-hop-limit#Instance/i-0abc1").transition().alertState()).isEqualTo(AlertState.PENDING);
    }

    @Test
    void transition_replacing_an_unsent_one_should_carry_it_in_supersedes() {
        var s = ClusterRecord.empty(CLUSTER);
        s = apply(s, reconciler.reconcile(s, TestRuns.full().fail(PODS, API, "root").build(), run("r1", T0), T0));

        var plan = reconciler.reconcile(s, TestRuns.full().pass(PODS, API).build(), run("r2", T0.plusSeconds(60)), T0);

        Transition t = plan.transitions().get(0).transition();
        assertThat(t.type()).isEqualTo(TransitionType.RESOLVED);
        assertThat(t.supersedes()).containsExactly(TransitionType.NEW);
        assertThat(t.alertState()).isEqualTo(AlertState.PENDING);
    }

    @Test
    void plan_should_count_transitions_by_type() {
        var eval = TestRuns.full().failMany(PODS, 3).exempt(RBAC, ADMIN_ROLE, "ok").build();

        var plan = reconciler.reconcile(ClusterRecord.empty(CLUSTER), eval, run("r1", T0), T0);

        assertThat(plan.counts().transitions()).containsEntry(TransitionType.NEW, 3).containsEntry(TransitionType.EXEMPTED, 1)
                .containsEntry(TransitionType.RESOLVED, 0);
        assertThat(plan.counts().transitionCount()).isEqualTo(4);
        assertThat(plan.counts().open()).isEqualTo(3);
        assertThat(List.copyOf(Map.copyOf(plan.after()).keySet())).hasSize(4);
    }
}
