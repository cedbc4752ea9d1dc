package dev.ekscm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ekscm.testing.AwsTestClients;
import dev.ekscm.testing.MotoServer;
import dev.ekscm.testing.MotoServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ekscm scan --state-table --notify} against moto: the same lifecycle and alerts as the
 * Lambda functions, from a shell.
 */
@ExtendWith(MotoServerExtension.class)
class ScanStateTableTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void pointTheSdkAtMoto(MotoServer moto) {
        moto.useAsSdkDefault();
    }

    @AfterAll
    static void forgetMoto() {
        MotoServer.clearSdkDefault();
    }

    @Test
    void second_identical_scan_should_record_no_change_and_a_fix_should_resolve(MotoServer moto, @TempDir Path dir) throws Exception {
        // GIVEN a copy of the insecure example, an SNS topic and an SQS queue subscribed to it
        Path example = copyExample(dir);
        var sns = AwsTestClients.of(SnsClient.builder(), moto);
        var sqs = AwsTestClients.of(SqsClient.builder(), moto);
        String topic = sns.createTopic(b -> b.name("ekscm-alerts")).topicArn();
        String queueUrl = sqs.createQueue(b -> b.queueName("oncall")).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn).attributes(java.util.Map.of("RawMessageDelivery", "true")));
        String[] scan = {"scan", "--manifests", example.resolve("manifests").toString(), "--aws", example.resolve("aws").toString(),
                "--format", "json", "--state-table", "ekscm-findings", "--create-table", "--notify", "--sns-topic", topic};

        // WHEN it is scanned the first time THEN every finding is NEW and one alert message goes out
        JsonNode first = JSON.readTree(CliRunner.run(scan).out());
        assertThat(first.get("findings")).allSatisfy(f -> assertThat(f.get("transition").asText()).isIn("NEW", "EXEMPTED"));
        assertThat(first.at("/alerts/messages").asInt()).isGreaterThanOrEqualTo(1);
        List<Message> published = drain(sqs, queueUrl);
        assertThat(published).isNotEmpty();
        assertThat(published.get(0).body()).contains("\"ekscm.alert/v1\"", "shop-dev");

        // WHEN it is scanned again unchanged THEN nothing changed and nothing is sent
        JsonNode second = JSON.readTree(CliRunner.run(scan).out());
        assertThat(second.get("findings")).allSatisfy(f -> assertThat(f.has("transition")).isFalse());
        assertThat(second.get("resolved")).isEmpty();
        assertThat(drain(sqs, queueUrl)).isEmpty();

        // WHEN the privileged debug DaemonSet is removed THEN its findings resolve, and one alert says so
        Path workloads = example.resolve("manifests/workloads.yaml");
        String text = Files.readString(workloads);
        String withoutDebugger = Stream.of(text.split("(?m)^---\\s*$")).filter(doc -> !doc.contains("name: node-debugger"))
                .reduce((a, b) -> a + "---" + b).orElseThrow();
        Files.writeString(workloads, withoutDebugger);
        JsonNode third = JSON.readTree(CliRunner.run(scan).out());
        assertThat(third.get("resolved")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.at("/resource/name").asText()).isEqualTo("node-debugger"));
        List<Message> resolvedAlert = drain(sqs, queueUrl);
        assertThat(resolvedAlert).hasSize(1);
        assertThat(resolvedAlert.get(0).body()).contains("RESOLVED", "node-debugger");
    }

    @Test
    void table_output_should_show_transitions(MotoServer moto, @TempDir Path dir) throws Exception {
        Path example = copyExample(dir);
        var result = CliRunner.run("scan", "--manifests", example.resolve("manifests").toString(),
                "--state-table", "ekscm-table-test", "--create-table", "--no-color");
        assertThat(result.err()).isEmpty();
        assertThat(result.out()).contains("NEW ", "Recorded run ");
    }

    @Test
    void notify_without_state_table_should_be_bad_input() {
        var result = CliRunner.run("scan", "--manifests", CliRunner.example("insecure-cluster", "manifests"), "--notify",
                "--sns-topic", "arn:aws:sns:us-east-1:123456789012:x");
        assertThat(result.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(result.err()).contains("--notify needs --state-table");
    }

    private static Path copyExample(Path dir) throws Exception {
        Path source = CliRunner.ROOT.resolve("examples/insecure-cluster");
        try (var files = Files.walk(source)) {
            for (Path p : files.toList()) {
                Path target = dir.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return dir;
    }

    private static List<Message> drain(SqsClient sqs, String queueUrl) {
        var all = new ArrayList<Message>();
        while (true) {
            var batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            if (batch.isEmpty()) {
                return all;
            }
            all.addAll(batch);
            batch.forEach(m -> sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle())));
        }
    }
}
