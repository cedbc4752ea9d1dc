package dev.ekscm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ekscm.collect.AwsSeed;
import dev.ekscm.testing.AwsTestClients;
import dev.ekscm.testing.MotoServer;
import dev.ekscm.testing.MotoServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.eks.EksClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ekscm scan --cluster} and {@code ekscm snapshot} against moto, as the README shows. moto
 * serves EKS with a made-up endpoint and CA, so the Kubernetes API is unreachable here: the run
 * must say so as the monitor-cannot-reach-cluster finding and still judge the AWS side.
 */
@ExtendWith(MotoServerExtension.class)
class ScanLiveClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void seed(MotoServer moto) {
        moto.useAsSdkDefault();
        new AwsSeed("shop-live", AwsTestClients.of(EksClient.builder(), moto), AwsTestClients.of(Ec2Client.builder(), moto),
                AwsTestClients.of(EcrClient.builder(), moto)).network().cluster().nodegroups(2).instances(3).repositories();
    }

    @AfterAll
    static void forget() {
        MotoServer.clearSdkDefault();
    }

    @Test
    void scan_cluster_should_judge_aws_and_report_the_unreachable_api() throws Exception {
        var result = CliRunner.run("scan", "--cluster", "shop-live", "--region", MotoServer.REGION, "--format", "json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode root = JSON.readTree(result.out());
        assertThat(root.get("cluster").asText()).isEqualTo("shop-live");
        Map<String, String> status = new HashMap<>();
        root.get("checks").forEach(c -> status.put(c.get("id").asText(), c.get("status").asText()));
        assertThat(status.get("node-security-groups-restricted")).isEqualTo("FAIL");
        assertThat(status.get("node-imds-v2-hop-limit")).isIn("PASS", "FAIL");
        assertThat(status.get("monitor-cannot-reach-cluster")).isEqualTo("FAIL");
        assertThat(status.get("rbac-no-wildcards")).as("no Kubernetes data: never PASS").isEqualTo("NOT_APPLICABLE");
        assertThat(root.get("apiCalls").get("eks:DescribeCluster").asInt()).isPositive();
        assertThat(root.get("apiCalls").get("ec2:DescribeInstances").asInt()).isPositive();
        assertThat(result.err()).contains("warning: kubernetes API");
    }

    @Test
    void unknown_cluster_should_be_bad_input() {
        var result = CliRunner.run("scan", "--cluster", "no-such-cluster", "--region", MotoServer.REGION);
        assertThat(result.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(result.err()).contains("no-such-cluster").doesNotContain("\tat ");
    }

    @Test
    void snapshot_should_write_files_that_scan_reads_back_to_the_same_aws_findings(@TempDir Path out) throws Exception {
        var snap = CliRunner.run("snapshot", "--cluster", "shop-live", "--region", MotoServer.REGION, "--out", out.toString());
        assertThat(snap.exitCode()).as(snap.err()).isZero();
        assertThat(out.resolve("aws")).isDirectoryContaining("glob:**.json");
        var live = JSON.readTree(CliRunner.run("scan", "--cluster", "shop-live", "--region", MotoServer.REGION, "--format", "json").out());
        var args = new java.util.ArrayList<>(java.util.List.of("scan", "--aws", out.resolve("aws").toString(), "--format", "json"));
        if (Files.exists(out.resolve("manifests"))) {
            args.addAll(java.util.List.of("--manifests", out.resolve("manifests").toString()));
        }
        var replay = JSON.readTree(CliRunner.run(args.toArray(String[]::new)).out());
        assertThat(awsFindings(replay)).isEqualTo(awsFindings(live));
    }

    private static java.util.Set<String> awsFindings(JsonNode root) {
        var keys = new java.util.TreeSet<String>();
        root.get("findings").forEach(f -> {
            if (f.at("/resource/namespace").asText().isEmpty() && !f.get("checkId").asText().equals("monitor-cannot-reach-cluster")) {
                keys.add(f.get("checkId").asText() + " " + f.at("/resource/kind").asText() + "/" + f.at("/resource/name").asText());
            }
        });
        return keys;
    }
}
