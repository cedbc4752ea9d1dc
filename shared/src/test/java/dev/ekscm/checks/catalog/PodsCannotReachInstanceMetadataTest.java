package dev.ekscm.checks.catalog;

import dev.ekscm.checks.CheckConfig;
import dev.ekscm.checks.CheckOutcome;
import dev.ekscm.checks.Evaluator;
import dev.ekscm.checks.Fixtures;
import dev.ekscm.collect.ManifestReader;
import dev.ekscm.model.CheckResult;
import dev.ekscm.model.ClusterId;
import dev.ekscm.model.ClusterSnapshot;
import dev.ekscm.model.Input;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Status;
import dev.ekscm.model.aws.AwsClusterState;
import dev.ekscm.model.aws.Ec2Instance;
import dev.ekscm.model.aws.MetadataOptions;
import dev.ekscm.model.k8s.KubernetesStateBuilder;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class PodsCannotReachInstanceMetadataTest {
    private static final String WEB = deployment("shop", "web", false);
    private static final String AGENT = deployment("shop", "agent", true);
    private static final MetadataOptions IMDSV2_HOP1 = MetadataOptions.of("required", 1, "enabled");

    static String deployment(String namespace, String name, boolean hostNetwork) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %s, namespace: %s}
                spec:
                  selector: {matchLabels: {app: %s}}
                  template:
                    metadata: {labels: {app: %s}}
                    spec:
                      hostNetwork: %s
                      containers: [{name: c, image: 'example/app:1.0.0'}]
                ---
                """.formatted(name, namespace, name, name, hostNetwork);
    }

    static Ec2Instance instance(String id, MetadataOptions options, String state) {
        return new Ec2Instance(id, "subnet-1", "vpc-1", state, Optional.empty(), options, List.of(), Optional.empty(),
                Map.of());
    }

    static CheckOutcome run(String yaml, Optional<List<Ec2Instance>> instances) {
        var k8s = new KubernetesStateBuilder().addAll(new ManifestReader().readText(yaml, "test")).build();
        var available = EnumSet.noneOf(Input.class);
        for (Input i : Input.values()) {
            if (i.isKubernetes()) {
                available.add(i);
            }
        }
        var aws = AwsClusterState.empty();
        if (instances.isPresent()) {
            available.add(Input.INSTANCES);
            aws = aws.withInstances(instances.get());
        }
        var snapshot = new ClusterSnapshot(ClusterId.offline("test"), available, aws, k8s, List.of(), Map.of());
        return new Evaluator(List.of(new PodsCannotReachInstanceMetadata()), CheckConfig.defaults(Fixtures.AS_OF))
                .evaluate(snapshot, Scope.all()).outcomes().get(0);
    }

    static CheckResult result(CheckOutcome outcome, String key) {
        return outcome.results().stream().filter(r -> r.resource().key().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void nodes_requiring_imdsv2_with_hop_limit_1_should_protect_pods() {
        // GIVEN no policy, and two running nodes with IMDSv2 required and hop limit 1 (plus a terminated open one)
        var outcome = run(WEB, Optional.of(List.of(instance("i-1", IMDSV2_HOP1, "running"),
                instance("i-2", IMDSV2_HOP1, "running"),
                instance("i-old", MetadataOptions.of("optional", 2, "enabled"), "terminated"))));
        // THEN the pods pass on protection 3 and the evidence says so
        var web = result(outcome, "Deployment/shop/web");
        assertThat(web.status()).isEqualTo(Status.PASS);
        assertThat(web.evidence()).startsWith("protection 3").contains("all 2 running node instances require IMDSv2");
    }

    @Test
    void one_open_node_should_leave_pods_exposed_and_be_named() {
        var outcome = run(WEB, Optional.of(List.of(instance("i-1", IMDSV2_HOP1, "running"),
                instance("i-2", MetadataOptions.of("required", 2, "enabled"), "running"))));
        var web = result(outcome, "Deployment/shop/web");
        assertThat(web.status()).isEqualTo(Status.FAIL);
        assertThat(web.evidence()).contains("1 of 2 running node instances let pods use IMDS, e.g. i-2",
                "HttpPutResponseHopLimit=2");
    }

    @Test
    void no_running_instance_should_not_count_as_protection() {
        var outcome = run(WEB, Optional.of(List.of()));
        assertThat(result(outcome, "Deployment/shop/web").evidence()).contains("no running node instance");
        assertThat(outcome.status()).isEqualTo(Status.FAIL);
    }

    @Test
    void host_network_pods_should_fail_even_when_nodes_block_imdsv1() {
        // GIVEN a hostNetwork workload and nodes that all require IMDSv2 with hop limit 1
        var outcome = run(AGENT, Optional.of(List.of(instance("i-1", IMDSV2_HOP1, "running"))));
        // THEN it fails: IMDSv2 tokens work at hop 1 from the host network
        var agent = result(outcome, "Deployment/shop/agent");
        assertThat(agent.status()).isEqualTo(Status.FAIL);
        assertThat(agent.message()).contains("use the host network",
                "IMDSv1 is blocked by the node settings but IMDSv2 tokens remain reachable");
    }

    @Test
    void host_network_pods_should_pass_when_every_node_disables_the_endpoint() {
        var outcome = run(AGENT, Optional.of(List.of(instance("i-1", MetadataOptions.of("optional", 2, "disabled"),
                "running"))));
        var agent = result(outcome, "Deployment/shop/agent");
        assertThat(agent.status()).isEqualTo(Status.PASS);
        assertThat(agent.message()).contains("disabled on every node");
    }

    @Test
    void host_network_pods_should_fail_despite_a_default_deny_egress_policy() {
        var outcome = run(AGENT + """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny-all, namespace: shop}
                spec: {podSelector: {}, policyTypes: [Egress]}
                """, Optional.empty());
        var agent = result(outcome, "Deployment/shop/agent");
        assertThat(agent.status()).isEqualTo(Status.FAIL);
        assertThat(agent.message()).contains("no NetworkPolicy or Calico workload policy applies to them");
    }

    @Test
    void evidence_should_name_the_first_protection_that_holds() {
        // GIVEN a Calico deny ahead of the default tier AND a default-deny egress policy AND safe nodes
        String yaml = WEB + """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny-all, namespace: shop}
                spec: {podSelector: {}, policyTypes: [Egress]}
                ---
                apiVersion: projectcalico.org/v3
                kind: Tier
                metadata: {name: security}
                spec: {order: 100}
                ---
                apiVersion: projectcalico.org/v3
                kind: GlobalNetworkPolicy
                metadata: {name: security.imds}
                spec:
                  tier: security
                  selector: all()
                  types: [Egress]
                  egress: [{action: Deny, destination: {nets: [169.254.169.254/32]}}, {action: Pass}]
                """;
        var outcome = run(yaml, Optional.of(List.of(instance("i-1", IMDSV2_HOP1, "running"))));
        // THEN the evidence names protection 1, the Calico policy
        assertThat(result(outcome, "Deployment/shop/web").evidence()).startsWith("protection 1")
                .contains("security.imds");
    }

    @Test
    void failure_evidence_should_cover_all_four_protections() {
        var outcome = run(WEB, Optional.empty());
        var web = result(outcome, "Deployment/shop/web");
        assertThat(web.severity().name()).isEqualTo("HIGH");
        assertThat(web.evidence()).contains("Calico: ", "NetworkPolicy: ", "nodes: unknown (no EC2 instance data",
                "metadata proxy: no kube2iam or kiam");
    }

    @Test
    void system_namespaces_should_not_be_judged() {
        var outcome = run(deployment("kube-system", "coredns", false) + WEB, Optional.empty());
        assertThat(outcome.results()).extracting(r -> r.resource().key()).containsExactly("Deployment/shop/web");
    }

    @Test
    void check_should_be_not_applicable_without_network_policy_input() {
        var k8s = new KubernetesStateBuilder().addAll(new ManifestReader().readText(WEB, "test")).build();
        var snapshot = new ClusterSnapshot(ClusterId.offline("test"), EnumSet.of(Input.K8S_WORKLOADS),
                AwsClusterState.empty(), k8s, List.of(), Map.of());
        var outcome = new Evaluator(List.of(new PodsCannotReachInstanceMetadata()), CheckConfig.defaults(Fixtures.AS_OF))
                .evaluate(snapshot, Scope.all()).outcomes().get(0);
        assertThat(outcome.status()).isEqualTo(Status.NOT_APPLICABLE);
    }

    @Test
    void many_namespaces_should_be_evaluated_through_the_per_namespace_index() {
        // GIVEN 300 namespaces, each with one workload and one deny-all egress policy
        String yaml = IntStream.range(0, 300).mapToObj(i -> deployment("ns" + i, "app", false) + """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny-all, namespace: ns%d}
                spec: {podSelector: {}, policyTypes: [Egress]}
                ---
                """.formatted(i)).collect(Collectors.joining());
        // WHEN evaluated
        var outcome = run(yaml, Optional.empty());
        // THEN every workload is judged on its own namespace's policy only
        assertThat(outcome.results()).hasSize(300).allMatch(r -> r.status() == Status.PASS)
                .allMatch(r -> r.evidence().equals("protection 2, NetworkPolicy egress isolation: NetworkPolicy "
                        + "deny-all selects its pods for Egress with no egress rules (deny all egress)"));
    }
}
