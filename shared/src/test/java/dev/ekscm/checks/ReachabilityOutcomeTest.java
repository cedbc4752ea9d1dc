package dev.ekscm.checks;

import dev.ekscm.model.ClusterId;
import dev.ekscm.model.ClusterSnapshot;
import dev.ekscm.model.ClusterSnapshot.CollectionProblem;
import dev.ekscm.model.Input;
import dev.ekscm.model.ResourceRef;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Severity;
import dev.ekscm.model.Status;
import dev.ekscm.model.aws.AwsClusterState;
import dev.ekscm.model.k8s.KubernetesState;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ReachabilityOutcomeTest {
    private static final ClusterId CLUSTER = new ClusterId("111122223333", "eu-west-1", "shop-dev");
    private final Evaluator evaluator = new Evaluator(List.of(), CheckConfig.defaults(java.time.LocalDate.of(2025, 6, 1)));

    private static ClusterSnapshot snapshot(Set<Input> available, List<CollectionProblem> problems, Set<Input> requested) {
        return new ClusterSnapshot(CLUSTER, available, AwsClusterState.empty(), KubernetesState.empty(), problems, Map.of(),
                requested);
    }

    @Test
    void evaluate_should_fail_on_the_cluster_with_reason_and_hint_when_kubernetes_was_unreachable() {
        var problem = new CollectionProblem(Input.Source.KUBERNETES, "kubernetes API https://ABC.gr7.eu-west-1.eks.amazonaws.com",
                "the API server rejected the monitor's credentials (HTTP 401 Unauthorized); grant the monitor's role an EKS "
                        + "access entry mapped to the ekscm-reader group: ekscm onboard --cluster shop-dev", true);
        var snapshot = snapshot(Set.of(Input.EKS_CLUSTER), List.of(problem), EnumSet.of(Input.EKS_CLUSTER, Input.K8S_WORKLOADS));

        var evaluation = evaluator.evaluate(snapshot, Set.of(Scope.NODES));

        var outcome = evaluation.outcomes().stream().filter(o -> o.metadata().id().equals("monitor-cannot-reach-cluster"))
                .findFirst().orElseThrow();
        assertThat(outcome.status()).isEqualTo(Status.FAIL);
        assertThat(outcome.results()).singleElement().satisfies(r -> {
            assertThat(r.resource()).isEqualTo(ResourceRef.cluster("shop-dev"));
            assertThat(r.severity()).isEqualTo(Severity.HIGH);
            assertThat(r.message()).contains("HTTP 401").contains("ekscm onboard --cluster shop-dev");
        });
        assertThat(evaluation.findings()).hasSize(1);
    }

    @Test
    void evaluate_should_pass_when_kubernetes_was_read() {
        var snapshot = snapshot(EnumSet.of(Input.K8S_WORKLOADS), List.of(), EnumSet.of(Input.K8S_WORKLOADS));

        var outcome = evaluator.evaluate(snapshot, Scope.all()).outcomes().get(0);

        assertThat(outcome.metadata().id()).isEqualTo(ReachabilityOutcome.ID);
        assertThat(outcome.status()).isEqualTo(Status.PASS);
        assertThat(outcome.results()).singleElement().extracting(r -> r.status()).isEqualTo(Status.PASS);
    }

    @Test
    void evaluate_should_say_nothing_when_no_kubernetes_input_was_requested() {
        var nodesOnly = snapshot(EnumSet.of(Input.INSTANCES), List.of(), EnumSet.of(Input.INSTANCES));
        var fromFiles = new ClusterSnapshot(CLUSTER, EnumSet.allOf(Input.class), AwsClusterState.empty(), KubernetesState.empty(),
                List.of(), Map.of());

        assertThat(evaluator.evaluate(nodesOnly, Scope.all()).outcomes()).isEmpty();
        assertThat(evaluator.evaluate(fromFiles, Scope.all()).outcomes()).isEmpty();
    }

    @Test
    void evaluate_should_apply_a_severity_override() {
        var config = CheckConfig.defaults(java.time.LocalDate.of(2025, 6, 1)).withSeverityOverrides(Map.of(ReachabilityOutcome.ID, Severity.CRITICAL));
        var problem = new CollectionProblem(Input.Source.KUBERNETES, "kubernetes API", "timed out", true);

        var outcome = new Evaluator(List.of(), config)
                .evaluate(snapshot(Set.of(), List.of(problem), EnumSet.of(Input.K8S_RBAC)), Scope.all()).outcomes().get(0);

        assertThat(outcome.results().get(0).severity()).isEqualTo(Severity.CRITICAL);
    }
}
