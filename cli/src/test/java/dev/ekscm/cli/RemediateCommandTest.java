package dev.ekscm.cli;

import dev.ekscm.collect.AwsSeed;
import dev.ekscm.testing.AwsTestClients;
import dev.ekscm.testing.MotoServer;
import dev.ekscm.testing.MotoServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.eks.EksClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ekscm remediate … --plan} over the example files and against moto (EKS and EC2; its
 * made-up API endpoint leaves the Kubernetes part unreachable, which the plan must say).
 */
@ExtendWith(MotoServerExtension.class)
class RemediateCommandTest {
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final String LIVE = "shop-remediate";
    private static Ec2Client ec2;

    @BeforeAll
    static void seed(MotoServer moto) {
        moto.useAsSdkDefault();
        ec2 = AwsTestClients.of(Ec2Client.builder(), moto);
        new AwsSeed(LIVE, AwsTestClients.of(EksClient.builder(), moto), ec2, AwsTestClients.of(EcrClient.builder(), moto))
                .network().cluster().nodegroups(2).instances(3);
    }

    @AfterAll
    static void forget() {
        MotoServer.clearSdkDefault();
    }

    /** The YAML documents of a plan (comments dropped by the parser). */
    private static List<JsonNode> documents(String yaml) {
        var docs = new ArrayList<JsonNode>();
        for (JsonNode doc : YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
            if (doc != null && !doc.isMissingNode() && !doc.isNull()) {
                docs.add(doc);
            }
        }
        return docs;
    }

    @Test
    void plan_over_the_insecure_example_should_print_applicable_yaml_and_say_it_is_not_opted_in() {
        var result = CliRunner.run("remediate", "--manifests", CliRunner.example("insecure-cluster", "manifests"),
                "--aws", CliRunner.example("insecure-cluster", "aws"), "--plan");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("# ekscm remediation plan for cluster shop-dev")
                .contains("# cluster not opted in (no tag ekscm:auto-remediate)")
                .contains("ModifyInstanceMetadataOptions InstanceId=i-0d5e7a1b2c3d40001");
        // No Calico objects in the example: one NetworkPolicy per namespace where it cannot widen egress
        List<JsonNode> docs = documents(result.out());
        assertThat(docs).isNotEmpty().allSatisfy(d -> {
            assertThat(d.path("kind").asString()).isEqualTo("NetworkPolicy");
            assertThat(d.path("apiVersion").asString()).isEqualTo("networking.k8s.io/v1");
            assertThat(d.at("/metadata/labels/app.kubernetes.io~1managed-by").asString()).isEqualTo("ekscm");
            assertThat(d.at("/spec/policyTypes/0").asString()).isEqualTo("Egress");
            assertThat(d.at("/spec/egress/0/to/0/ipBlock/except/0").asString()).isEqualTo("169.254.169.254/32");
        });
        assertThat(docs).extracting(d -> d.at("/metadata/namespace").asString()).containsExactly("default");
        // payments has its own egress policy: there the plan says manual instead of widening it
        assertThat(result.out()).contains("NetworkPolicy/payments/ekscm-block-instance-metadata: NetworkPolicy "
                + "payments/payments-api-egress selects pods for Egress");
    }

    @Test
    void plan_should_leave_out_excluded_namespaces() {
        var result = CliRunner.run("remediate", "--manifests", CliRunner.example("insecure-cluster", "manifests"),
                "--plan", "--exclude-namespaces", "default");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(documents(result.out())).isEmpty();
        assertThat(result.out()).contains("Kubernetes objects: none").doesNotContain("DaemonSet/default/");
    }

    @Test
    void without_plan_it_should_refuse_and_say_where_remediation_is_applied() {
        var result = CliRunner.run("remediate", "--manifests", CliRunner.example("insecure-cluster", "manifests"));

        assertThat(result.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("add --plan").contains("deployed monitor").contains("ekscm:auto-remediate")
                .contains("ekscm remediation undo").doesNotContain("\tat ");
    }

    @Test
    void files_and_a_cluster_together_or_nothing_at_all_should_be_bad_input() {
        assertThat(CliRunner.run("remediate", "--plan").exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        var both = CliRunner.run("remediate", "--plan", "--cluster", LIVE, "--aws", CliRunner.example("insecure-cluster", "aws"));
        assertThat(both.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(both.err()).contains("not both");
    }

    @Test
    void plan_of_a_live_cluster_should_plan_the_ec2_part_from_its_tags_and_say_kubernetes_was_unreachable() {
        // GIVEN the seeded cluster is tagged ekscm:auto-remediate=imds-hop-limit (mode unset: dry-run)
        String optional = ec2.describeInstances(r -> r.filters(Filter.builder().name("tag:kubernetes.io/cluster/" + LIVE)
                        .values("owned").build())).reservations().get(0).instances().get(0).instanceId();

        var result = CliRunner.run("remediate", "--cluster", LIVE, "--region", MotoServer.REGION, "--plan");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("# ekscm remediation plan for cluster " + LIVE + " (account ")
                .contains("# cluster opted in: ekscm:auto-remediate=imds-hop-limit, mode dry-run")
                .contains("# imds-hop-limit: would run in dry-run mode")
                .contains("# imds-network-policy: would not run: tag ekscm:auto-remediate does not name imds-network-policy")
                .contains("ModifyInstanceMetadataOptions InstanceId=" + optional + " HttpTokens=required")
                .contains("imds-network-policy: workloads were not collected: nothing planned");
        // only the node that allows IMDSv1 at hop limit 2 is planned; the other cluster's instance is not
        assertThat(result.out()).contains("# EC2 calls (imds-hop-limit): 1");
        assertThat(documents(result.out())).isEmpty();
        assertThat(result.err()).contains("warning: kubernetes API").doesNotContain("\tat ");
    }

    @Test
    void plan_of_a_live_cluster_reached_through_a_kube_context_should_plan_its_network_policies(MotoServer moto,
                                                                                             @TempDir Path dir)
            throws Exception {
        // GIVEN a cluster opted in to everything, whose API (fabric8's CRUD mock) has a workload in namespace shop
        String name = "shop-remediate-k8s";
        try (EksClient eks = AwsTestClients.of(EksClient.builder(), moto)) {
            eks.createCluster(r -> r.name(name).roleArn("arn:aws:iam::123456789012:role/eks")
                    .resourcesVpcConfig(v -> v.subnetIds("subnet-1"))
                    .tags(Map.of("ekscm:auto-remediate", "all", "ekscm:remediation-mode", "enforce")));
        }
        var server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        try (KubernetesClient kube = server.createClient()) {
            kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build()).create();
            kube.apps().deployments().inNamespace("shop").resource(new DeploymentBuilder().withNewMetadata().withName("cart")
                    .withNamespace("shop").endMetadata().withNewSpec().withNewSelector().addToMatchLabels("app", "cart")
                    .endSelector().withNewTemplate().withNewMetadata().addToLabels("app", "cart").endMetadata()
                    .withNewSpec().addNewContainer().withName("cart").withImage("nginx:1.27").endContainer().endSpec()
                    .endTemplate().endSpec().build()).create();
            System.setProperty("kubeconfig", Kubeconfig.write(dir, server).toString());

            var result = CliRunner.run("remediate", "--cluster", name, "--region", MotoServer.REGION,
                    "--kube-context", Kubeconfig.CONTEXT, "--plan");

            // THEN the plan holds the namespace's policy, and says it would be applied (enforce)
            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out()).contains("# cluster opted in: ekscm:auto-remediate=imds-hop-limit,imds-network-policy, mode enforce")
                    .contains("# imds-network-policy: would run in enforce mode")
                    .contains("backend: Kubernetes NetworkPolicy per workload namespace");
            assertThat(documents(result.out())).singleElement().satisfies(d -> {
                assertThat(d.path("kind").asString()).isEqualTo("NetworkPolicy");
                assertThat(d.at("/metadata/namespace").asString()).isEqualTo("shop");
                assertThat(d.at("/metadata/annotations/ekscm.dev~1finding").asString())
                        .isEqualTo("pods-cannot-reach-instance-metadata#Deployment/shop/cart");
            });
            // AND nothing was applied: the plan only reads
            assertThat(kube.network().v1().networkPolicies().inAnyNamespace().list().getItems()).isEmpty();
        } finally {
            System.clearProperty("kubeconfig");
            server.destroy();
        }
    }

    @Test
    void plan_of_an_unknown_cluster_should_be_bad_input_naming_it() {
        var result = CliRunner.run("remediate", "--cluster", "no-such-cluster", "--region", MotoServer.REGION, "--plan");

        assertThat(result.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(result.err()).contains("no-such-cluster").doesNotContain("\tat ");
    }
}
