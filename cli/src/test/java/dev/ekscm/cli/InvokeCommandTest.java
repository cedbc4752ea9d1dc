package dev.ekscm.cli;

import dev.ekscm.testing.AwsTestClients;
import dev.ekscm.testing.MotoServer;
import dev.ekscm.testing.MotoServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code ekscm invoke}. The handlers read their configuration from environment variables, which a
 * test cannot set in its own JVM: the bad-input paths run in process, the runs of a configured
 * handler in a child JVM on the test classpath, with the environment Lambda would give it and
 * moto's FIFO queue as the recheck queue.
 */
@ExtendWith(MotoServerExtension.class)
class InvokeCommandTest {
    private static final Path EVENTS = CliRunner.ROOT.resolve("events");

    @Test
    void unknown_function_should_be_bad_input_listing_the_known_ones() {
        var result = CliRunner.run("invoke", "change-event", "--event", EVENTS.resolve("schedule.json").toString());

        assertThat(result.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(result.err()).contains("unknown function 'change-event'")
                .contains("change-events, scheduled-sweep, cluster-check");
    }

    @Test
    void missing_or_unreadable_event_should_be_bad_input() {
        var missing = CliRunner.run("invoke", "change-events", "--event", "no-such-event.json");
        assertThat(missing.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(missing.err()).contains("no-such-event.json");

        var noOption = CliRunner.run("invoke", "change-events");
        assertThat(noOption.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(noOption.err()).contains("--event");
    }

    @Test
    void change_events_without_its_queue_should_say_which_variable_is_missing() {
        assumeTrue(System.getenv("RECHECK_QUEUE_URL") == null, "RECHECK_QUEUE_URL is set in this environment");

        var result = CliRunner.run("invoke", "change-events", "--event", EVENTS.resolve("eks-UpdateClusterConfig.json").toString());

        assertThat(result.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(result.err()).contains("cannot start change-events: RECHECK_QUEUE_URL is not set")
                .doesNotContain("\tat ");
    }

    @Test
    void help_should_list_the_functions() {
        var result = CliRunner.run("invoke", "--help");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("One of: change-events, scheduled-sweep, cluster-check");
    }

    /** A child JVM running {@code ekscm ARGS} with the environment of a deployed function. */
    private record Child(int exitCode, String out, String err) {
        static Child run(Map<String, String> env, String... args) throws IOException, InterruptedException {
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            var command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", classpath, Main.class.getName()));
            command.addAll(List.of(args));
            var builder = new ProcessBuilder(command);
            builder.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.equals("RECHECK_QUEUE_URL"));
            builder.environment().putAll(env);
            File err = File.createTempFile("ekscm-invoke", ".err");
            err.deleteOnExit();
            builder.redirectError(err);
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("ekscm " + String.join(" ", args) + " did not finish in 120 s");
            }
            return new Child(process.exitValue(), out, java.nio.file.Files.readString(err.toPath()));
        }
    }

    private static Map<String, String> lambdaEnvironment(MotoServer moto, String queueUrl) {
        return Map.of("RECHECK_QUEUE_URL", queueUrl, "AWS_ENDPOINT_URL", moto.endpoint().toString(),
                "AWS_REGION", MotoServer.REGION, "AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_KEY);
    }

    private static String fifoQueue(SqsClient sqs) {
        return sqs.createQueue(b -> b.queueName("ekscm-rechecks-" + System.nanoTime() + ".fifo")
                .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
    }

    @Test
    void change_events_should_route_a_sample_event_to_the_recheck_queue(MotoServer moto) throws Exception {
        try (SqsClient sqs = AwsTestClients.of(SqsClient.builder(), moto)) {
            String queue = fifoQueue(sqs);

            var child = Child.run(lambdaEnvironment(moto, queue), "invoke", "change-events", "--event",
                    EVENTS.resolve("eks-UpdateClusterConfig.json").toString());

            assertThat(child.exitCode()).as(child.err()).isZero();
            assertThat(child.out()).contains("\"status\":\"routed\"").contains("111122223333#eu-west-1#shop-prod");
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10)
                    .messageSystemAttributeNamesWithStrings("MessageGroupId")).messages();
            assertThat(messages).singleElement().satisfies(m -> {
                assertThat(m.body()).contains("shop-prod");
                assertThat(m.attributesAsStrings().get("MessageGroupId")).contains("shop-prod");
            });
        }
    }

    @Test
    void a_malformed_event_should_exit_1_with_lambdas_error_object_and_no_stack_trace(MotoServer moto) throws Exception {
        try (SqsClient sqs = AwsTestClients.of(SqsClient.builder(), moto)) {
            String queue = fifoQueue(sqs);

            var child = Child.run(lambdaEnvironment(moto, queue), "invoke", "change-events", "--event",
                    EVENTS.resolve("malformed/detail-missing.json").toString());

            assertThat(child.exitCode()).as(child.err()).isEqualTo(1);
            assertThat(child.out()).contains("\"errorType\":\"dev.ekscm.functions.EventRejectedException\"")
                    .contains("\"errorMessage\":");
            assertThat(child.out() + child.err()).doesNotContain("\tat ");
            assertThat(sqs.receiveMessage(b -> b.queueUrl(queue)).messages()).isEmpty();
        }
    }
}
