package dev.ekscm.functions;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.ekscm.engine.RecheckOutcome;
import dev.ekscm.model.ClusterId;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Severity;
import dev.ekscm.routing.RecheckRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterCheckHandlerTest {
    static final Instant T = Instant.parse("2025-06-08T03:14:07Z");
    final RecheckMessages messages = new RecheckMessages(TestSupport.MAPPER);
    final TestSupport.Captured out = new TestSupport.Captured();
    final List<String> runs = new ArrayList<>();

    static ClusterId cluster(String name) {
        return new ClusterId("111122223333", "eu-west-1", name);
    }

    SQSEvent.SQSMessage message(String id, String body) {
        var m = new SQSEvent.SQSMessage();
        m.setMessageId(id);
        m.setBody(body);
        return m;
    }

    SQSEvent.SQSMessage request(String id, String cluster, Set<Scope> scopes, String trigger) {
        return message(id, messages.toJson(new RecheckRequest(cluster(cluster), scopes, trigger, "e-" + id, T)));
    }

    static SQSEvent batch(SQSEvent.SQSMessage... messages) {
        var e = new SQSEvent();
        e.setRecords(List.of(messages));
        return e;
    }

    ClusterCheckHandler handler(Set<String> failing) {
        return new ClusterCheckHandler((cluster, scopes, trigger) -> {
            runs.add(cluster.name() + " " + (scopes.equals(Scope.all()) ? "ALL" : new java.util.TreeSet<>(scopes)) + " " + trigger);
            if (failing.contains(cluster.name())) {
                throw new IllegalStateException("Kubernetes API of " + cluster.name() + " timed out");
            }
            var calls = new TreeMap<String, Integer>(Map.of("eks:DescribeCluster", 1, "ec2:DescribeInstances", 2));
            return new RecheckOutcome(cluster, "run-" + cluster.name(), scopes, Map.of(Severity.HIGH, 2), 1,
                    Duration.ofMillis(1234), calls);
        }, out.out, EventsCorpusTest.CLOCK);
    }

    static List<String> failed(SQSBatchResponse r) {
        return r.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    @Test
    void requests_of_one_cluster_should_merge_into_one_run_and_a_full_one_makes_it_full() {
        var response = handler(Set.of()).handleRequest(batch(
                request("1", "shop-prod", Set.of(Scope.NODES), "event:ec2:RunInstances"),
                request("2", "shop-prod", Set.of(Scope.NODES), "event:ec2:RunInstances"),
                request("3", "shop-prod", Scope.all(), "schedule"),
                request("4", "shop-dev", Set.of(Scope.ACCESS), "event:eks:CreateAccessEntry")), TestSupport.context());
        assertThat(failed(response)).isEmpty();
        assertThat(runs).containsExactly("shop-prod ALL event:ec2:RunInstances+schedule", "shop-dev [ACCESS] event:eks:CreateAccessEntry");
    }

    @Test
    void a_failing_cluster_should_fail_all_its_messages_and_only_those() {
        var response = handler(Set.of("shop-dev")).handleRequest(batch(
                request("1", "shop-dev", Set.of(Scope.NODES), "event:ec2:RunInstances"),
                request("2", "shop-prod", Set.of(Scope.NODES), "event:ec2:RunInstances"),
                request("3", "shop-dev", Set.of(Scope.ACCESS), "event:eks:CreateAccessEntry")), TestSupport.context());
        assertThat(failed(response)).containsExactlyInAnyOrder("1", "3");
        assertThat(runs).hasSize(2);
        var error = out.logs().stream().filter(l -> l.path("level").asString().equals("ERROR")).findFirst().orElseThrow();
        assertThat(error.path("cluster").asString()).isEqualTo("111122223333#eu-west-1#shop-dev");
        assertThat(error.path("error").asString()).contains("timed out");
    }

    @Test
    void a_cluster_that_no_longer_exists_should_be_acknowledged_not_retried() {
        var handler = new ClusterCheckHandler((cluster, scopes, trigger) -> {
            throw new dev.ekscm.model.BadInputException("cluster '" + cluster.name() + "' not found in region eu-west-1");
        }, out.out, EventsCorpusTest.CLOCK);
        var response = handler.handleRequest(batch(request("1", "deleted", Set.of(Scope.NODES), "schedule")), TestSupport.context());
        assertThat(failed(response)).isEmpty();
        var warn = out.logs().stream().filter(l -> l.path("level").asString().equals("WARN")).findFirst().orElseThrow();
        assertThat(warn.path("message").asString()).contains("acknowledged, not retried");
        assertThat(warn.path("error").asString()).contains("deleted");
    }

    @Test
    void malformed_messages_should_fail_alone_and_not_stop_the_batch() {
        var response = handler(Set.of()).handleRequest(batch(
                message("bad-json", "{not json"),
                message("bad-name", messages.toJson(new RecheckRequest(cluster("shop-prod"), Set.of(Scope.NODES), "t", "e", T))
                        .replace("shop-prod", "shop prod; rm -rf")),
                message("bad-scope", messages.toJson(new RecheckRequest(cluster("shop-prod"), Set.of(Scope.NODES), "t", "e", T))
                        .replace("NODES", "EVERYTHING")),
                message("empty", ""),
                message("huge", "x".repeat(100_000)),
                request("ok", "shop-prod", Set.of(Scope.NODES), "event:ec2:RunInstances")), TestSupport.context());
        assertThat(failed(response)).containsExactly("bad-json", "bad-name", "bad-scope", "empty", "huge");
        assertThat(runs).containsExactly("shop-prod [NODES] event:ec2:RunInstances");
        assertThat(out.logs().stream().filter(l -> l.path("message").asString().equals("message rejected: malformed")))
                .hasSize(5).allSatisfy(l -> assertThat(l.path("messageId").asString()).isNotBlank());
    }

    @Test
    void a_run_should_log_its_run_id_and_emit_metrics_in_embedded_metric_format() {
        handler(Set.of()).handleRequest(batch(request("1", "shop-prod", Set.of(Scope.NODES), "event:ec2:RunInstances")),
                TestSupport.context());
        var done = out.logs().stream().filter(l -> l.path("message").asString().equals("recheck done")).findFirst().orElseThrow();
        assertThat(done.path("runId").asString()).isEqualTo("run-shop-prod");
        assertThat(done.path("cluster").asString()).isEqualTo("111122223333#eu-west-1#shop-prod");
        assertThat(done.path("trigger").asString()).isEqualTo("event:ec2:RunInstances");
        assertThat(done.path("apiCalls").asInt()).isEqualTo(3);
        var duration = out.metrics().stream().filter(m -> m.has("RunDuration")).findFirst().orElseThrow();
        var directive = duration.path("_aws").path("CloudWatchMetrics").get(0);
        assertThat(directive.path("Namespace").asString()).isEqualTo("ekscm");
        assertThat(directive.path("Metrics").get(0).path("Unit").asString()).isEqualTo("Milliseconds");
        assertThat(duration.path("_aws").path("Timestamp").asLong()).isEqualTo(EventsCorpusTest.CLOCK.millis());
        assertThat(duration.path("RunDuration").asLong()).isEqualTo(1234);
        assertThat(duration.path("Function").asString()).isEqualTo("cluster-check");
        var open = out.metrics().stream().filter(m -> m.has("OpenFindings")).findFirst().orElseThrow();
        assertThat(open.path("Severity").asString()).isEqualTo("HIGH");
        assertThat(open.path("_aws").path("CloudWatchMetrics").get(0).path("Dimensions").get(0))
                .extracting(tools.jackson.databind.JsonNode::asString).containsExactly("Function", "Severity");
    }

    @Test
    void an_empty_or_null_batch_should_do_nothing() {
        assertThat(failed(handler(Set.of()).handleRequest(new SQSEvent(), TestSupport.context()))).isEmpty();
        assertThat(runs).isEmpty();
    }
}
