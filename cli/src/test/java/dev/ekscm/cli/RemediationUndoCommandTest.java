package dev.ekscm.cli;

import dev.ekscm.findings.FindingsTableSchema;
import dev.ekscm.findings.FindingsTableSchema.Attr;
import dev.ekscm.model.ClusterId;
import dev.ekscm.remediation.DynamoDbRemediationLog;
import dev.ekscm.remediation.RemediationId;
import dev.ekscm.remediation.RemediationMode;
import dev.ekscm.remediation.RemediationRecord;
import dev.ekscm.remediation.RemediationRecord.Outcome;
import dev.ekscm.testing.AwsTestClients;
import dev.ekscm.testing.MotoServer;
import dev.ekscm.testing.MotoServerExtension;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.InstanceMetadataEndpointState;
import software.amazon.awssdk.services.ec2.model.InstanceMetadataOptionsResponse;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.eks.EksClient;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ekscm remediation undo} against moto (EKS, EC2, the findings table) and fabric8's mock API
 * server in CRUD mode, reached through a kube context: the instance metadata options recorded in
 * the log are restored, the monitor's NetworkPolicy is deleted, nothing else is touched.
 */
@ExtendWith(MotoServerExtension.class)
class RemediationUndoCommandTest {
    private static final String SET = "HttpTokens=required, HttpPutResponseHopLimit=1, HttpEndpoint=enabled";
    private static final String PREVIOUS = "HttpTokens=optional, HttpPutResponseHopLimit=2, HttpEndpoint=enabled";
    private static final String NP = "ekscm-block-instance-metadata";

    private Ec2Client ec2;
    private DynamoDbClient dynamo;
    private String table;
    private String cluster;
    private ClusterId clusterId;
    private String instance;
    private KubernetesMockServer kubeServer;
    private KubernetesClient kube;
    private Path kubeconfig;

    @BeforeEach
    void seed(MotoServer moto, @TempDir Path dir) throws IOException {
        moto.useAsSdkDefault();
        ec2 = AwsTestClients.of(Ec2Client.builder(), moto);
        dynamo = AwsTestClients.of(DynamoDbClient.builder(), moto);
        table = "findings-" + UUID.randomUUID().toString().substring(0, 8);
        FindingsTableSchema.createIfAbsent(dynamo, table);

        // GIVEN a cluster, and one of its nodes with the settings the monitor gave it
        cluster = "shop-undo-" + System.nanoTime();
        try (EksClient eks = AwsTestClients.of(EksClient.builder(), moto)) {
            String arn = eks.createCluster(r -> r.name(cluster).roleArn("arn:aws:iam::123456789012:role/eks")
                    .resourcesVpcConfig(v -> v.subnetIds("subnet-1"))).cluster().arn();
            clusterId = ClusterId.fromArn(arn);
        }
        instance = ec2.runInstances(r -> r.imageId("ami-12c6146b").instanceType("t3.medium").minCount(1).maxCount(1)
                .metadataOptions(m -> m.httpTokens(HttpTokensState.REQUIRED).httpPutResponseHopLimit(1)
                        .httpEndpoint(InstanceMetadataEndpointState.ENABLED))
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE)
                        .tags(Tag.builder().key("eks:cluster-name").value(cluster).build()).build()))
                .instances().get(0).instanceId();

        // AND the Kubernetes API, with the monitor's NetworkPolicy and one of the team's
        kubeServer = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        kubeServer.init();
        kube = kubeServer.createClient();
        kube.resource(policy(NP, Map.of("app.kubernetes.io/managed-by", "ekscm"))).create();
        kube.resource(policy("team-egress", Map.of())).create();
        kubeconfig = Kubeconfig.write(dir, kubeServer);
        System.setProperty("kubeconfig", kubeconfig.toString());
    }

    @AfterEach
    void stop() {
        kube.close();
        kubeServer.destroy();
        Stream.of("aws.endpointUrl", "aws.region", "aws.accessKeyId", "aws.secretAccessKey", "kubeconfig")
                .forEach(System::clearProperty);
    }

    private static NetworkPolicy policy(String name, Map<String, String> labels) {
        return new NetworkPolicyBuilder().withNewMetadata().withName(name).withNamespace("shop").withLabels(labels)
                .withAnnotations(Map.of("ekscm.dev/finding", "pods-cannot-reach-instance-metadata#Deployment/shop/cart"))
                .endMetadata().withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Egress").endSpec().build();
    }

    /** What the monitor recorded when it applied imds-hop-limit, and the finding it fixed. */
    private void recordApplied() {
        String finding = "node-imds-v2-hop-limit#Instance/" + instance;
        new DynamoDbRemediationLog(dynamo, table).append(List.of(new RemediationRecord(clusterId,
                RemediationId.IMDS_HOP_LIMIT, List.of(finding), RemediationMode.ENFORCE, "Instance/" + instance, PREVIOUS,
                SET, Outcome.APPLIED, "ModifyInstanceMetadataOptions", Instant.parse("2026-11-01T10:00:00Z"),
                Optional.empty())));
        dynamo.putItem(b -> b.tableName(table).item(Map.of(
                FindingsTableSchema.PK, AttributeValue.fromS(FindingsTableSchema.partitionKey(clusterId)),
                FindingsTableSchema.SK, AttributeValue.fromS(FindingsTableSchema.findingSortKey(finding)),
                Attr.STATUS, AttributeValue.fromS("RESOLVED"))));
    }

    private InstanceMetadataOptionsResponse options() {
        return ec2.describeInstances(r -> r.instanceIds(instance)).reservations().get(0).instances().get(0).metadataOptions();
    }

    private List<String> policies() {
        return kube.network().v1().networkPolicies().inNamespace("shop").list().getItems().stream()
                .map(p -> p.getMetadata().getName()).sorted().toList();
    }

    private CliRunner undo(String... extra) {
        var args = new java.util.ArrayList<>(List.of("remediation", "undo", "--cluster", cluster, "--region",
                MotoServer.REGION, "--kube-context", Kubeconfig.CONTEXT, "--state-table", table));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    @Test
    void undo_should_restore_the_recorded_metadata_options_and_delete_only_the_monitors_policy() {
        recordApplied();

        var result = undo();

        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        // THEN EC2 has the settings from before the monitor's change
        assertThat(options().httpTokensAsString()).isEqualTo("optional");
        assertThat(options().httpPutResponseHopLimit()).isEqualTo(2);
        // AND only the labelled policy with the monitor's name is gone
        assertThat(policies()).containsExactly("team-egress");
        assertThat(result.out()).contains("undo for cluster " + cluster + " (account 123456789012, region us-east-1)")
                .contains("REVERTED imds-hop-limit Instance/" + instance + " (enforce)")
                .contains("    " + SET + " -> " + PREVIOUS)
                .contains("REVERTED imds-network-policy NetworkPolicy/shop/" + NP)
                .contains("2 reverted");
        // AND the undo is in the log (the next undo has nothing left to restore) and on the finding
        var records = new DynamoDbRemediationLog(dynamo, table).records(clusterId);
        assertThat(records).extracting(RemediationRecord::outcome).contains(Outcome.APPLIED, Outcome.REVERTED);
        assertThat(records.get(records.size() - 1).outcome()).isEqualTo(Outcome.REVERTED);
        var summary = dynamo.getItem(b -> b.tableName(table).key(Map.of(
                FindingsTableSchema.PK, AttributeValue.fromS(FindingsTableSchema.partitionKey(clusterId)),
                FindingsTableSchema.SK, AttributeValue.fromS(FindingsTableSchema.findingSortKey(
                        "node-imds-v2-hop-limit#Instance/" + instance))))).item().get(Attr.REMEDIATION).m();
        assertThat(summary.get("outcome").s()).isEqualTo("REVERTED");

        var again = undo();
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("nothing to undo");
    }

    @Test
    void dry_run_should_list_what_it_would_revert_and_change_nothing() {
        recordApplied();

        var result = undo("--dry-run");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("dry-run: would undo for cluster " + cluster)
                .contains("DRY_RUN imds-hop-limit Instance/" + instance + " (dry-run): dry-run: would restore " + PREVIOUS)
                .contains("DRY_RUN imds-network-policy NetworkPolicy/shop/" + NP);
        assertThat(options().httpTokensAsString()).isEqualTo("required");
        assertThat(options().httpPutResponseHopLimit()).isEqualTo(1);
        assertThat(policies()).containsExactly(NP, "team-egress");
    }

    @Test
    void settings_changed_since_the_monitor_set_them_should_be_left_alone() {
        // GIVEN someone set hop limit 3 after the monitor's change
        recordApplied();
        ec2.modifyInstanceMetadataOptions(r -> r.instanceId(instance).httpPutResponseHopLimit(3));

        var result = undo();

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("MANUAL imds-hop-limit Instance/" + instance).contains("changed since the monitor set it");
        assertThat(options().httpPutResponseHopLimit()).isEqualTo(3);
    }

    @Test
    void unknown_cluster_or_missing_table_option_should_be_bad_input() {
        var unknown = CliRunner.run("remediation", "undo", "--cluster", "no-such-cluster", "--region", MotoServer.REGION,
                "--state-table", table);
        assertThat(unknown.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(unknown.err()).contains("no-such-cluster").doesNotContain("\tat ");

        var noTable = CliRunner.run("remediation", "undo", "--cluster", cluster);
        assertThat(noTable.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(noTable.err()).contains("--state-table");
    }

    @Test
    void a_missing_state_table_should_fail_naming_it_before_changing_anything() {
        var missing = CliRunner.run("remediation", "undo", "--cluster", cluster, "--region", MotoServer.REGION,
                "--kube-context", Kubeconfig.CONTEXT, "--state-table", "no-such-table");

        assertThat(missing.exitCode()).isEqualTo(Main.EXIT_FAILED);
        assertThat(missing.err()).contains("no-such-table").doesNotContain("\tat ");
        assertThat(policies()).containsExactly(NP, "team-egress");
    }
}
