package dev.ekscm.remediation;

import dev.ekscm.checks.CheckCatalog;
import dev.ekscm.model.ClusterId;
import dev.ekscm.model.ClusterSnapshot;
import dev.ekscm.model.Input;
import dev.ekscm.model.aws.AwsClusterState;
import dev.ekscm.model.aws.Ec2Instance;
import dev.ekscm.model.aws.MetadataOptions;
import dev.ekscm.model.k8s.KubernetesState;
import dev.ekscm.remediation.RemediationRecord.Outcome;
import dev.ekscm.remediation.RemediationRecord.Verification;
import dev.ekscm.testing.AwsTestClients;
import dev.ekscm.testing.MotoServer;
import dev.ekscm.testing.MotoServerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceMetadataEndpointState;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.eks.EksClient;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * imds-hop-limit against moto: EC2 instances of two clusters, EKS clusters whose tags say who
 * opted in; the tags are read from EKS at action time.
 */
@ExtendWith(MotoServerExtension.class)
class RemediatorEc2Test {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);

    private final Ec2Client ec2;
    private final EksClient eks;
    private final ClusterId shopDev;
    private String devA;
    private String devB;
    private String prodA;
    private InMemoryRemediationLog log;

    RemediatorEc2Test(MotoServer moto) {
        this.ec2 = AwsTestClients.of(Ec2Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()), moto);
        this.eks = AwsTestClients.of(EksClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()), moto);
        this.shopDev = new ClusterId("123456789012", MotoServer.REGION, "shop-dev-" + System.nanoTime());
    }

    @BeforeEach
    void seed() {
        log = new InMemoryRemediationLog();
        String prod = "shop-prod-" + System.nanoTime();
        createCluster(shopDev.name(), TestCluster.OPTED_IN_ENFORCE);
        createCluster(prod, TestCluster.OPTED_IN_ENFORCE);
        devA = runInstance(shopDev.name());
        devB = runInstance(shopDev.name());
        prodA = runInstance(prod);
    }

    private void createCluster(String name, Map<String, String> tags) {
        eks.createCluster(r -> r.name(name).roleArn("arn:aws:iam::123456789012:role/eks")
                .resourcesVpcConfig(v -> v.subnetIds("subnet-1")).tags(tags));
    }

    private void retag(Map<String, String> tags, String... removeKeys) {
        String arn = eks.describeCluster(r -> r.name(shopDev.name())).cluster().arn();
        if (removeKeys.length > 0) {
            eks.untagResource(r -> r.resourceArn(arn).tagKeys(removeKeys));
        }
        if (!tags.isEmpty()) {
            eks.tagResource(r -> r.resourceArn(arn).tags(tags));
        }
    }

    private String runInstance(String cluster) {
        return ec2.runInstances(r -> r.imageId("ami-12c6146b").instanceType("t3.medium").minCount(1).maxCount(1)
                .metadataOptions(m -> m.httpTokens(HttpTokensState.OPTIONAL).httpPutResponseHopLimit(2)
                        .httpEndpoint(InstanceMetadataEndpointState.ENABLED))
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE)
                        .tags(Tag.builder().key("eks:cluster-name").value(cluster).build()).build()))
                .instances().get(0).instanceId();
    }

    private Remediator remediator(boolean switchOn) {
        return new Remediator(new EksClusterTagsReader(eks), ClusterObjects.unavailable("not in this test"),
                new Ec2InstanceMetadataSettings(ec2), log, CLOCK, switchOn);
    }

    /** What the collector would see: every instance of the account (both clusters), as EC2 reports them now. */
    private ClusterSnapshot snapshot(Set<Input> needed) {
        List<Ec2Instance> instances = ec2.describeInstancesPaginator(r -> { }).reservations().stream()
                .flatMap(res -> res.instances().stream()).map(RemediatorEc2Test::toModel).toList();
        return new ClusterSnapshot(shopDev, EnumSet.of(Input.INSTANCES), AwsClusterState.empty().withInstances(instances),
                KubernetesState.empty(), List.of(), Map.of());
    }

    private static Ec2Instance toModel(Instance i) {
        var o = i.metadataOptions();
        return new Ec2Instance(i.instanceId(), String.valueOf(i.subnetId()), String.valueOf(i.vpcId()),
                i.state().nameAsString(), Optional.ofNullable(i.publicIpAddress()),
                MetadataOptions.of(o.httpTokensAsString(), o.httpPutResponseHopLimit(), o.httpEndpointAsString()),
                List.of(), Optional.empty(), i.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value)));
    }

    private MetadataOptions optionsOf(String instanceId) {
        return new Ec2InstanceMetadataSettings(ec2).describe(List.of(instanceId)).get(instanceId).options();
    }

    private Recheck recheck() {
        return Recheck.collecting(this::snapshot, CheckCatalog.builtIn().all(), TestCluster.CONFIG);
    }

    @Test
    void hop_limit_should_be_applied_to_the_clusters_instances_only_and_verified() {
        var snapshot = snapshot(Set.of());

        var records = remediator(true).remediate(snapshot, RemediationPlanner.targetResults(snapshot, TestCluster.CONFIG),
                TestCluster.CONFIG, recheck());

        assertThat(records).extracting(RemediationRecord::target)
                .containsExactlyInAnyOrder("Instance/" + devA, "Instance/" + devB);
        assertThat(records).allSatisfy(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
            assertThat(r.mode()).isEqualTo(RemediationMode.ENFORCE);
            assertThat(r.before()).isEqualTo("HttpTokens=optional, HttpPutResponseHopLimit=2, HttpEndpoint=enabled");
            assertThat(r.after()).isEqualTo("HttpTokens=required, HttpPutResponseHopLimit=1, HttpEndpoint=enabled");
            assertThat(r.findingKeys()).containsExactly("node-imds-v2-hop-limit#" + r.target());
            assertThat(r.verification()).hasValue(Verification.VERIFIED);
        });
        assertThat(optionsOf(devA)).isEqualTo(MetadataOptions.of("required", 1, "enabled"));
        assertThat(optionsOf(devB)).isEqualTo(MetadataOptions.of("required", 1, "enabled"));
        assertThat(optionsOf(prodA)).isEqualTo(MetadataOptions.of("optional", 2, "enabled"));
    }

    @Test
    void a_second_run_should_change_nothing_and_undo_should_restore_the_previous_values() {
        var remediator = remediator(true);
        var first = snapshot(Set.of());
        remediator.remediate(first, RemediationPlanner.targetResults(first, TestCluster.CONFIG), TestCluster.CONFIG,
                Recheck.none());
        var second = snapshot(Set.of());
        assertThat(remediator.remediate(second, RemediationPlanner.targetResults(second, TestCluster.CONFIG),
                TestCluster.CONFIG, Recheck.none())).isEmpty();
        // someone changes devB by hand after the monitor did: undo must not clobber that
        ec2.modifyInstanceMetadataOptions(r -> r.instanceId(devB).httpTokens(HttpTokensState.REQUIRED)
                .httpPutResponseHopLimit(3).httpEndpoint(InstanceMetadataEndpointState.ENABLED));

        var preview = remediator.undo(shopDev, RemediationMode.DRY_RUN);
        assertThat(preview).filteredOn(r -> r.target().endsWith(devA)).singleElement()
                .satisfies(r -> assertThat(r.outcome()).isEqualTo(Outcome.DRY_RUN));
        assertThat(optionsOf(devA)).isEqualTo(MetadataOptions.of("required", 1, "enabled"));

        var undone = remediator.undo(shopDev, RemediationMode.ENFORCE);

        assertThat(undone).filteredOn(r -> r.target().startsWith("Instance/"))
                .extracting(RemediationRecord::target, RemediationRecord::outcome).containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("Instance/" + devA, Outcome.REVERTED),
                        org.assertj.core.groups.Tuple.tuple("Instance/" + devB, Outcome.MANUAL));
        assertThat(optionsOf(devA)).isEqualTo(MetadataOptions.of("optional", 2, "enabled"));
        assertThat(optionsOf(devB)).isEqualTo(MetadataOptions.of("required", 3, "enabled"));
        assertThat(optionsOf(prodA)).isEqualTo(MetadataOptions.of("optional", 2, "enabled"));
        // undone once: a second undo has nothing left to restore
        assertThat(remediator.undo(shopDev, RemediationMode.ENFORCE))
                .filteredOn(r -> r.target().endsWith(devA)).isEmpty();
    }

    @Test
    void a_cluster_without_the_tag_should_never_be_touched_even_with_the_switch_on() {
        retag(Map.of(), RemediationPolicy.AUTO_REMEDIATE_TAG);
        var snapshot = snapshot(Set.of());

        var records = remediator(true).remediate(snapshot, RemediationPlanner.targetResults(snapshot, TestCluster.CONFIG),
                TestCluster.CONFIG, Recheck.none());

        assertThat(records).isEmpty();
        assertThat(log.records(shopDev)).isEmpty();
        assertThat(optionsOf(devA)).isEqualTo(MetadataOptions.of("optional", 2, "enabled"));
        assertThat(optionsOf(devB)).isEqualTo(MetadataOptions.of("optional", 2, "enabled"));
    }

    @Test
    void removing_the_tag_after_planning_should_stop_the_ec2_calls() {
        var remediator = remediator(true);
        var snapshot = snapshot(Set.of());
        var plan = remediator.plan(snapshot, List.of(), TestCluster.CONFIG.withExcludedNamespaces(Set.of()));
        assertThat(plan.instanceChanges()).hasSize(2);

        retag(Map.of(), RemediationPolicy.AUTO_REMEDIATE_TAG);
        var records = remediator.apply(plan, RemediationMode.ENFORCE, Recheck.none());

        assertThat(records).extracting(RemediationRecord::outcome).containsOnly(Outcome.SKIPPED);
        assertThat(optionsOf(devA)).isEqualTo(MetadataOptions.of("optional", 2, "enabled"));
    }

    @Test
    void dry_run_mode_should_record_the_change_and_make_no_call() {
        retag(Map.of(RemediationPolicy.MODE_TAG, "dry-run"));
        var snapshot = snapshot(Set.of());

        var records = remediator(true).remediate(snapshot, List.of(), TestCluster.CONFIG, Recheck.none());

        assertThat(records).hasSize(2).allSatisfy(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.DRY_RUN);
            assertThat(r.after()).isEqualTo("HttpTokens=required, HttpPutResponseHopLimit=1, HttpEndpoint=enabled");
        });
        assertThat(optionsOf(devA)).isEqualTo(MetadataOptions.of("optional", 2, "enabled"));
    }
}
