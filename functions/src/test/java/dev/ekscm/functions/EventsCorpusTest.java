package dev.ekscm.functions;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import dev.ekscm.engine.RecheckOutcome;
import dev.ekscm.model.ClusterId;
import dev.ekscm.model.Scope;
import dev.ekscm.routing.EventRouter;
import dev.ekscm.routing.InMemoryResourceLookup;
import dev.ekscm.routing.MonitorRoles;
import dev.ekscm.routing.RoutingTable;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static dev.ekscm.functions.TestSupport.bytes;
import static dev.ekscm.functions.TestSupport.context;
import static dev.ekscm.functions.TestSupport.events;
import static dev.ekscm.functions.TestSupport.jsonFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every file in events/ through its handler: routed, ignored for the reason its name says, or rejected. */
class EventsCorpusTest {
    static final ClusterId SHOP_PROD = new ClusterId("111122223333", "eu-west-1", "shop-prod");
    static final String MONITOR_ROLE = "arn:aws:iam::111122223333:role/ekscm-ClusterCheckRole-3RZ8Y1WQ2T0A";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-12T12:00:00Z"), ZoneOffset.UTC);

    /** The EC2 resources the samples name, as the lookups would resolve them in the samples' account. */
    static InMemoryResourceLookup sampleLookup() {
        return new InMemoryResourceLookup()
                .with("i-0c5f3a9e1b2d4f687", "shop-prod")
                .with("lt-0e4a7c9b2d1f35a86", "shop-prod")
                .with("sg-0b7d2e4f6a8c1e359", "shop-prod")
                .with("subnet-0a3c5e7f9b1d2468a", "shop-prod")
                .with("rtb-0d2f4a6c8e1b3579d", "shop-prod");
    }

    static ChangeEventsHandler handler(TestSupport.RecordingQueue queue, TestSupport.Captured out) {
        var router = new EventRouter(RoutingTable.builtIn(), sampleLookup(),
                new MonitorRoles(Set.of(MONITOR_ROLE), Optional.empty()));
        return new ChangeEventsHandler(router, queue, out.out, CLOCK);
    }

    static List<Path> cloudTrailSamples() {
        return jsonFiles(events()).stream()
                .filter(p -> p.getFileName().toString().matches("(eks|ec2)-.*\\.json")).toList();
    }

    @TestFactory
    Stream<DynamicTest> every_cloudtrail_sample_should_request_a_recheck_of_its_cluster() {
        var table = RoutingTable.builtIn();
        return cloudTrailSamples().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            // GIVEN a real-shaped CloudTrail record for shop-prod
            var queue = new TestSupport.RecordingQueue();
            var out = new TestSupport.Captured();
            var response = new ByteArrayOutputStream();
            // WHEN change-events handles it
            handler(queue, out).handleRequest(new ByteArrayInputStream(bytes(file)), response, context());
            // THEN one recheck of shop-prod with the row's scopes, logged with cluster and trigger
            JsonNode event = TestSupport.json(file);
            String eventName = event.path("detail").path("eventName").asString();
            var route = table.find(event.path("detail").path("eventSource").asString(), eventName).orElseThrow();
            assertThat(queue.sent).hasSize(1);
            assertThat(queue.sent.get(0).cluster()).isEqualTo(SHOP_PROD);
            assertThat(queue.sent.get(0).scopes()).isEqualTo(route.scopes());
            assertThat(queue.sent.get(0).eventId()).isEqualTo(event.path("detail").path("eventID").asString());
            assertThat(queue.sent.get(0).trigger()).isEqualTo("event:" + event.path("source").asString().substring(4) + ":" + eventName);
            assertThat(TestSupport.MAPPER.readTree(response.toByteArray()).path("status").asString()).isEqualTo("routed");
            var log = out.logs().stream().filter(l -> l.path("message").asString().equals("recheck requested")).findFirst().orElseThrow();
            assertThat(log.path("cluster").asString()).isEqualTo(SHOP_PROD.key());
            assertThat(log.path("requestId").asString()).isEqualTo("test-request");
            assertThat(log.path("trigger").asString()).startsWith("event:");
            assertThat(out.metrics()).anyMatch(m -> m.path("EventsRouted").asInt() == 1);
        }));
    }

    @TestFactory
    Stream<DynamicTest> every_ignored_sample_should_be_acknowledged_and_counted_by_its_reason() {
        return jsonFiles(events().resolve("ignored")).stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            String reason = file.getFileName().toString().substring(0, file.getFileName().toString().indexOf('.'));
            var queue = new TestSupport.RecordingQueue();
            var out = new TestSupport.Captured();
            var response = new ByteArrayOutputStream();
            handler(queue, out).handleRequest(new ByteArrayInputStream(bytes(file)), response, context());
            assertThat(queue.sent).isEmpty();
            assertThat(TestSupport.MAPPER.readTree(response.toByteArray()).path("reason").asString()).isEqualTo(reason);
            assertThat(out.metrics()).singleElement().satisfies(m -> {
                assertThat(m.path("EventsIgnored").asInt()).isEqualTo(1);
                assertThat(m.path("Reason").asString()).isEqualTo(reason);
            });
        }));
    }

    @TestFactory
    Stream<DynamicTest> every_malformed_sample_should_be_rejected_with_one_clear_log_line() {
        return jsonFiles(events().resolve("malformed")).stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            var queue = new TestSupport.RecordingQueue();
            var out = new TestSupport.Captured();
            // WHEN the handler sees a malformed or hostile event THEN it throws (Lambda retries, then the DLQ keeps it)
            assertThatThrownBy(() -> handler(queue, out).handleRequest(new ByteArrayInputStream(bytes(file)),
                    new ByteArrayOutputStream(), context()))
                    .isInstanceOf(EventRejectedException.class)
                    .hasMessageContaining("malformed event");
            assertThat(queue.sent).isEmpty();
            // AND it logged exactly one structured ERROR line naming the field and the problem, without echoing huge values
            var errors = out.logs().stream().filter(l -> l.path("level").asString().equals("ERROR")).toList();
            assertThat(errors).singleElement().satisfies(l -> {
                assertThat(l.path("message").asString()).isEqualTo("event rejected: malformed");
                assertThat(l.path("field").asString()).isNotBlank();
                assertThat(l.path("problem").asString()).isNotBlank().hasSizeLessThan(600);
            });
            assertThat(out.text().split("\n")).allSatisfy(line -> assertThat(line).hasSizeLessThan(2000));
            assertThat(out.text()).doesNotContain("\"level\":\"INFO\",\"message\":\"all clear\"");
            assertThat(out.metrics()).anyMatch(m -> m.path("EventsRejected").asInt() == 1);
        }));
    }

    @Test
    void schedule_sample_should_request_a_full_recheck_of_every_listed_cluster() throws Exception {
        var queue = new TestSupport.RecordingQueue();
        var out = new TestSupport.Captured();
        var env = FunctionEnvironment.from(Map.of("REGIONS", "eu-west-1,us-east-1", "AWS_REGION", "eu-west-1"));
        var sweep = new ScheduledSweepHandler((account, region) -> region.equals("eu-west-1") ? List.of("shop-prod", "shop-dev") : List.of(),
                queue, env, out.out, CLOCK);
        var response = new ByteArrayOutputStream();
        sweep.handleRequest(new ByteArrayInputStream(bytes(events().resolve("schedule.json"))), response, context());
        assertThat(queue.sent).extracting(r -> r.cluster().name()).containsExactly("shop-prod", "shop-dev");
        assertThat(queue.sent).allSatisfy(r -> {
            assertThat(r.isFull()).isTrue();
            assertThat(r.trigger()).isEqualTo("schedule");
            assertThat(r.cluster().account()).isEqualTo("111122223333");
            assertThat(r.time()).isEqualTo(Instant.parse("2025-06-12T06:00:00Z"));
        });
    }

    @Test
    void sqs_batch_sample_should_run_one_recheck_per_cluster_with_merged_scopes() {
        var calls = new ArrayList<String>();
        var out = new TestSupport.Captured();
        var handler = new ClusterCheckHandler((cluster, scopes, trigger) -> {
            calls.add(cluster.name() + " " + (scopes.equals(Scope.all()) ? "ALL" : new java.util.TreeSet<>(scopes)) + " " + trigger);
            return new RecheckOutcome(cluster, "run-1", scopes, Map.of(), 0, Duration.ofMillis(5), new TreeMap<>());
        }, out.out, CLOCK);
        var batch = SqsEvents.parse(TestSupport.json(events().resolve("sqs-recheck-batch.json")), "sqs-recheck-batch.json");
        SQSBatchResponse response = handler.handleRequest(batch, context());
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(calls).containsExactly(
                "shop-prod [CLUSTER_CONFIG, ACCESS, NODES, SECURITY_GROUPS] event:ec2:RunInstances+event:eks:UpdateClusterConfig",
                "shop-dev ALL schedule");
    }
}
