package dev.ekscm.collect;

import dev.ekscm.checks.CheckCatalog;
import dev.ekscm.model.Input;
import dev.ekscm.model.Scope;
import dev.ekscm.testing.MotoServer;
import dev.ekscm.testing.MotoServerExtension;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The collection budget (issue: "AWS calls stay under 20 and Kubernetes calls are kinds needed ×
 * pages"), measured on a cluster with 3 nodegroups, 50 nodes and 5,000 pods in 200 namespaces.
 * AWS from moto (with the recorded EKS answers moto lacks), Kubernetes from the mock API server,
 * whose large lists are served from memory.
 */
@ExtendWith(MotoServerExtension.class)
class LiveCollectionCostTest {
    static final int NAMESPACES = 200;
    static final int DEPLOYMENTS_PER_NAMESPACE = 5;
    static final int PODS_PER_DEPLOYMENT = 5;

    static AwsSeed seed;
    static RecordedEksServer eks;
    static MockKubernetesApi api;
    static final Map<String, Integer> OBJECTS = new java.util.LinkedHashMap<>();

    @BeforeAll
    static void seed(MotoServer moto) throws Exception {
        try (var factory = LiveSnapshotSourceTest.factory(moto.endpoint())) {
            var c = factory.forRegion(MotoServer.REGION);
            seed = new AwsSeed("shop-dev", c.eks(), c.ec2(), c.ecr()).network().cluster().nodegroups(3).instances(50).repositories();
        }
        eks = new RecordedEksServer(moto.endpoint());
        eks.accessEntries("shop-dev", List.of(
                new RecordedEksServer.Entry("arn:aws:iam::123456789012:role/Admin", "STANDARD", "[]", """
                        [{"policyArn":"arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
                          "accessScope":{"type":"cluster","namespaces":[]}}]"""),
                new RecordedEksServer.Entry("arn:aws:iam::123456789012:role/eks-node", "EC2_LINUX", "[\"system:nodes\"]", "[]")));
        api = new MockKubernetesApi();
        LiveSnapshotSourceTest.recordCluster(eks, seed, api.url(), api.caData());
        bigCluster();
    }

    /** 200 namespaces, each with 5 Deployments, their ReplicaSets, 5 pods each (5,000 pods), a NetworkPolicy. */
    static void bigCluster() {
        var namespaces = new ArrayList<HasMetadata>();
        var deployments = new ArrayList<HasMetadata>();
        var replicaSets = new ArrayList<HasMetadata>();
        var pods = new ArrayList<HasMetadata>();
        var policies = new ArrayList<HasMetadata>();
        String image = AwsSeed.image("shop/payments-api", "1.4.2");
        for (int n = 0; n < NAMESPACES; n++) {
            String ns = "team-" + n;
            namespaces.add(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build());
            policies.add(new NetworkPolicyBuilder().withNewMetadata().withName("default-deny").withNamespace(ns).endMetadata()
                    .withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Ingress").endSpec().build());
            for (int d = 0; d < DEPLOYMENTS_PER_NAMESPACE; d++) {
                String name = "app-" + d;
                deployments.add(new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                        .withNewSpec().withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                        .withSpec(KubernetesFixtures.spec(image)).endTemplate().endSpec().build());
                replicaSets.add(new ReplicaSetBuilder().withNewMetadata().withName(name + "-7c9").withNamespace(ns)
                        .addNewOwnerReference().withKind("Deployment").withApiVersion("apps/v1").withName(name).withUid("d").endOwnerReference()
                        .endMetadata().withNewSpec().withNewTemplate().withSpec(KubernetesFixtures.spec(image)).endTemplate().endSpec().build());
                for (int p = 0; p < PODS_PER_DEPLOYMENT; p++) {
                    pods.add(new PodBuilder().withNewMetadata().withName(name + "-7c9-" + p).withNamespace(ns)
                            .addNewOwnerReference().withKind("ReplicaSet").withApiVersion("apps/v1").withName(name + "-7c9").withUid("r")
                            .endOwnerReference().endMetadata().withSpec(KubernetesFixtures.spec(image)).build());
                }
            }
        }
        api.bulk("/api/v1/namespaces", namespaces);
        api.bulk("/apis/apps/v1/deployments", deployments);
        api.bulk("/apis/apps/v1/replicasets", replicaSets);
        api.bulk("/api/v1/pods", pods);
        api.bulk("/apis/networking.k8s.io/v1/networkpolicies", policies);
        OBJECTS.put("Namespace", namespaces.size());
        OBJECTS.put("Deployment", deployments.size());
        OBJECTS.put("ReplicaSet", replicaSets.size());
        OBJECTS.put("Pod", pods.size());
        OBJECTS.put("NetworkPolicy", policies.size());
    }

    @AfterAll
    static void stop() {
        api.close();
        eks.close();
    }

    private LiveSnapshotSource source() {
        return new LiveSnapshotSource(LiveSnapshotSourceTest.factory(eks.endpoint()), KubernetesCollector.Settings.defaults(),
                Clock.systemUTC());
    }

    @Test
    void full_scan_should_stay_within_the_call_budget() {
        api.clearRecords();
        var plan = CollectionPlan.forChecks(CheckCatalog.builtIn().all());

        LiveSnapshotSource.LiveCollection live;
        try (var source = source()) {
            live = source.collect("shop-dev", "us-east-1", Optional.empty(), plan);
        }

        var calls = live.apiCalls();
        int aws = calls.entrySet().stream().filter(e -> !e.getKey().startsWith("kubernetes:")).mapToInt(Map.Entry::getValue).sum();
        int kubernetesLists = calls.entrySet().stream().filter(e -> e.getKey().startsWith("kubernetes:list "))
                .mapToInt(Map.Entry::getValue).sum();
        int kubernetes = calls.entrySet().stream().filter(e -> e.getKey().startsWith("kubernetes:")).mapToInt(Map.Entry::getValue).sum();
        System.out.printf("Cost of a full scan (3 nodegroups, %d nodes, %d pods in %d namespaces): AWS %d calls, Kubernetes %d calls "
                        + "(%d lists, %d discovery)%n  %s%n", seed.nodeInstances.size(), OBJECTS.get("Pod"), NAMESPACES, aws, kubernetes,
                kubernetesLists, kubernetes - kubernetesLists, calls);

        // THEN the snapshot is complete
        var s = live.snapshot();
        assertThat(s.problems()).isEmpty();
        assertThat(s.aws().instances()).hasSize(50);
        assertThat(s.aws().nodegroups()).hasSize(3);
        assertThat(s.kubernetes().namespaces()).hasSize(NAMESPACES);
        assertThat(s.kubernetes().workloads()).hasSize(NAMESPACES * DEPLOYMENTS_PER_NAMESPACE); // controllers, not their pods

        // AND AWS stays under 20 calls
        assertThat(aws).isLessThan(20);

        // AND Kubernetes lists are kinds needed × pages: one per 500 objects of a kind, at least one per kind
        int kinds = (int) KubernetesCollector.KINDS.stream().filter(k -> plan.kubernetesInputs().contains(k.input())).count();
        int expectedLists = 0;
        for (var kind : KubernetesCollector.KINDS) {
            if (plan.kubernetesInputs().contains(kind.input())) {
                int n = OBJECTS.getOrDefault(kind.name(), 0);
                int pages = Math.max(1, (n + 499) / 500);
                expectedLists += pages;
                assertThat(calls.getOrDefault("kubernetes:list " + kind.name(), 0)).as(kind.name()).isEqualTo(pages);
            }
        }
        assertThat(kubernetesLists).isEqualTo(expectedLists);
        assertThat(calls).containsEntry("kubernetes:list Pod", 10);
        assertThat(kubernetes - kubernetesLists).as("Calico discovery, one per API group").isEqualTo(2);
        assertThat(api.requests).hasSize(kubernetes).noneMatch(r -> r.contains("/namespaces/team-"));
        System.out.printf("  %d kinds, %d list calls = sum of pages%n", kinds, expectedLists);
    }

    @Test
    void nodes_recheck_should_make_no_kubernetes_call_and_few_aws_calls() {
        api.clearRecords();
        var plan = CollectionPlan.forScopes(CheckCatalog.builtIn().all(), Set.of(Scope.NODES));

        LiveSnapshotSource.LiveCollection live;
        try (var source = source()) {
            live = source.collect("shop-dev", "us-east-1", Optional.empty(), plan);
        }

        System.out.println("Cost of a nodes recheck: " + live.apiCalls());
        assertThat(api.requests).isEmpty();
        assertThat(live.apiCalls().keySet()).noneMatch(k -> k.startsWith("kubernetes:"));
        assertThat(live.apiCalls().values().stream().mapToInt(Integer::intValue).sum()).isLessThan(10);
        assertThat(live.snapshot().available()).contains(Input.INSTANCES, Input.NODEGROUPS, Input.SUBNETS, Input.LAUNCH_TEMPLATES);
    }
}
