package dev.ekscm.functions;

import dev.ekscm.model.BadInputException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalInvokerAndPrimingTest {
    @Test
    void invoke_should_print_the_handler_response() {
        var queue = new TestSupport.RecordingQueue();
        var handler = EventsCorpusTest.handler(queue, new TestSupport.Captured());
        var out = new StringWriter();
        int code = LocalInvoker.invoke(handler, TestSupport.bytes(TestSupport.events().resolve("eks-UpdateClusterConfig.json")),
                "eks-UpdateClusterConfig.json", new PrintWriter(out));
        assertThat(code).isZero();
        assertThat(out.toString()).contains("\"status\":\"routed\"").contains("111122223333#eu-west-1#shop-prod");
        assertThat(queue.sent).hasSize(1);
    }

    @Test
    void invoke_should_print_lambdas_error_object_when_the_handler_throws() {
        var handler = EventsCorpusTest.handler(new TestSupport.RecordingQueue(), new TestSupport.Captured());
        var out = new StringWriter();
        int code = LocalInvoker.invoke(handler, TestSupport.bytes(TestSupport.events().resolve("malformed/detail-missing.json")),
                "detail-missing.json", new PrintWriter(out));
        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).contains("\"errorType\":\"dev.ekscm.functions.EventRejectedException\"");
    }

    @Test
    void invoke_should_refuse_an_unknown_function_or_a_missing_file() {
        assertThatThrownBy(() -> LocalInvoker.invoke("change-event", TestSupport.events().resolve("schedule.json"),
                new PrintWriter(new StringWriter()))).isInstanceOf(BadInputException.class)
                .hasMessageContaining("unknown function 'change-event'").hasMessageContaining("change-events");
        assertThatThrownBy(() -> LocalInvoker.invoke("change-events", Path.of("no-such-event.json"),
                new PrintWriter(new StringWriter()))).isInstanceOf(BadInputException.class).hasMessageContaining("no-such-event.json");
    }

    @Test
    void cluster_check_should_say_clearly_which_configuration_is_missing() {
        // the test JVM has no FINDINGS_TABLE: the engine cannot record findings, and says so
        assertThatThrownBy(ClusterCheckHandler::new).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("FINDINGS_TABLE is not set");
    }

    @Test
    void priming_should_run_every_handler_on_the_bundled_samples_without_printing() {
        PrintStream original = System.out;
        var captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            // two sample change events + one swept cluster
            assertThat(Priming.prime()).isEqualTo(3);
        } finally {
            System.setOut(original);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(Priming.resource()).isSameAs(Priming.resource());
    }
}
