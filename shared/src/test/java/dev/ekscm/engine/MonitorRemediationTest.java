package dev.ekscm.engine;

import dev.ekscm.alerts.Alert;
import dev.ekscm.alerts.Delivery;
import dev.ekscm.alerts.Notifier;
import dev.ekscm.checks.CheckCatalog;
import dev.ekscm.checks.CheckConfig;
import dev.ekscm.collect.ApiCallCounter;
import dev.ekscm.collect.AwsClientFactory;
import dev.ekscm.collect.AwsSeed;
import dev.ekscm.collect.KubernetesCollector;
import dev.ekscm.collect.LiveSnapshotSource;
import dev.ekscm.findings.TransitionType;
import dev.ekscm.model.ClusterId;
import dev.ekscm.model.Scope;
import dev.ekscm.remediation.InMemoryRemediationLog;
import dev.ekscm.remediation.RemediationRecord;
import dev.ekscm.testing.AwsTestClients;
import dev.ekscm.testing.MotoServer;
import dev.ekscm.testing.MotoServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.eks.EksClient;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster-check function's remediation step against moto: a cluster tagged for
 * imds-hop-limit in enforce mode gets its nodes fixed after the recorded run, announced once as
 * REMEDIATED; an untagged cluster, or the deployment switch off, is never touched.
 */
@ExtendWith(MotoServerExtension.class)
class MonitorRemediationTest {
    private final List<Alert> announced = new ArrayList<>();
    private final Notifier recording = new Notifier() {
        @Override
        public String name() {
            return "recording";
        }

        @Override
        public Delivery send(Alert alert) {
            announced.add(alert);
            return Delivery.complete(Set.of(name()), 1);
        }
    };

    @Test
    void enforce_tag_should_fix_nodes_once_and_announce_it_once(MotoServer moto) {
        // GIVEN a cluster whose tags opt in to imds-hop-limit in enforce mode, with IMDSv1 nodes
        var eks = AwsTestClients.of(EksClient.builder(), moto);
        var ec2 = AwsTestClients.of(Ec2Client.builder(), moto);
        var seed = new AwsSeed("shop-rem", eks, ec2, AwsTestClients.of(EcrClient.builder(), moto)).network().cluster().instances(4);
        String arn = eks.describeCluster(b -> b.name("shop-rem")).cluster().arn();
        eks.tagResource(b -> b.resourceArn(arn).tags(Map.of("ekscm:remediation-mode", "enforce")));
        var service = service(moto, true);

        // WHEN the nodes are rechecked
        service.recheck(new ClusterId(AwsSeed.ACCOUNT, MotoServer.REGION, "shop-rem"), Set.of(Scope.NODES), "test");

        // THEN every running node of this cluster requires IMDSv2 with hop limit 1; another cluster's node is untouched
        for (String id : seed.nodeInstances) {
            var md = instance(ec2, id).metadataOptions();
            assertThat(md.httpTokensAsString()).as(id).isEqualTo("required");
            assertThat(md.httpPutResponseHopLimit()).as(id).isEqualTo(1);
        }
        assertThat(instance(ec2, seed.otherClusterInstance).metadataOptions().httpPutResponseHopLimit()).isEqualTo(1);
        assertThat(announced).hasSize(1);
        assertThat(announced.get(0).transitions()).isNotEmpty()
                .allSatisfy(f -> assertThat(f.transition().type()).isEqualTo(TransitionType.REMEDIATED));

        // WHEN it is rechecked again THEN nothing is left to do and nothing new is announced
        service.recheck(new ClusterId(AwsSeed.ACCOUNT, MotoServer.REGION, "shop-rem"), Set.of(Scope.NODES), "test");
        assertThat(announced).hasSize(1);
    }

    @Test
    void switch_off_or_untagged_cluster_should_never_be_touched(MotoServer moto) {
        var eks = AwsTestClients.of(EksClient.builder(), moto);
        var ec2 = AwsTestClients.of(Ec2Client.builder(), moto);
        var tagged = new AwsSeed("shop-off", eks, ec2, AwsTestClients.of(EcrClient.builder(), moto)).network().cluster().instances(2);
        String arn = eks.describeCluster(b -> b.name("shop-off")).cluster().arn();
        eks.tagResource(b -> b.resourceArn(arn).tags(Map.of("ekscm:remediation-mode", "enforce")));
        service(moto, false).recheck(new ClusterId(AwsSeed.ACCOUNT, MotoServer.REGION, "shop-off"), Set.of(Scope.NODES), "test");
        assertThat(instance(ec2, tagged.nodeInstances.get(1)).metadataOptions().httpTokensAsString()).isEqualTo("optional");

        var untagged = new AwsSeed("shop-untagged", eks, ec2, AwsTestClients.of(EcrClient.builder(), moto)).network().cluster().instances(2);
        String arn2 = eks.describeCluster(b -> b.name("shop-untagged")).cluster().arn();
        eks.untagResource(b -> b.resourceArn(arn2).tagKeys("ekscm:auto-remediate"));
        service(moto, true).recheck(new ClusterId(AwsSeed.ACCOUNT, MotoServer.REGION, "shop-untagged"), Set.of(Scope.NODES), "test");
        assertThat(instance(ec2, untagged.nodeInstances.get(1)).metadataOptions().httpTokensAsString()).isEqualTo("optional");
        assertThat(announced).isEmpty();
    }

    @Test
    void changedSince_should_announce_only_new_or_changed_actions() {
        var cluster = ClusterId.offline("c");
        var at = java.time.Instant.parse("2026-11-27T00:00:00Z");
        var dry = new RemediationRecord(cluster, dev.ekscm.remediation.RemediationId.IMDS_HOP_LIMIT, List.of("k"),
                dev.ekscm.remediation.RemediationMode.DRY_RUN, "i-1", "optional/2", "required/1",
                RemediationRecord.Outcome.DRY_RUN, "", at, Optional.empty());
        var unchanged = new RemediationRecord(cluster, dev.ekscm.remediation.RemediationId.IMDS_HOP_LIMIT, List.of("k"),
                dev.ekscm.remediation.RemediationMode.ENFORCE, "i-2", "required/1", "required/1",
                RemediationRecord.Outcome.UNCHANGED, "", at, Optional.empty());
        assertThat(MonitorRemediation.changedSince(List.of(), List.of(dry, unchanged))).containsExactly(dry);
        assertThat(MonitorRemediation.changedSince(List.of(dry), List.of(dry))).isEmpty();
    }

    private MonitorRecheckService service(MotoServer moto, boolean switchOn) {
        var live = new LiveSnapshotSource(new AwsClientFactory(StaticCredentialsProvider.create(
                AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)), Optional.of(moto.endpoint()),
                new ApiCallCounter()), KubernetesCollector.Settings.defaults(), Clock.systemUTC());
        var run = ClusterCheckRun.daily(CheckCatalog.builtIn().all(), CheckConfig::defaults, Clock.systemUTC());
        var remediation = new MonitorRemediation(new InMemoryRemediationLog(), List.of(recording), run, Clock.systemUTC(), switchOn);
        return new MonitorRecheckService(live, run, Optional.of(remediation));
    }

    private static Instance instance(Ec2Client ec2, String id) {
        return ec2.describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances().get(0);
    }
}
