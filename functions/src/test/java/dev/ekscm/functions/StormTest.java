package dev.ekscm.functions;

import dev.ekscm.routing.EventRouter;
import dev.ekscm.routing.InMemoryResourceLookup;
import dev.ekscm.routing.MonitorRoles;
import dev.ekscm.routing.RoutingTable;
import dev.ekscm.testing.AwsTestClients;
import dev.ekscm.testing.MotoServer;
import dev.ekscm.testing.MotoServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.node.ObjectNode;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A storm of autoscaling launches becomes at most two rechecks on the real (emulated) FIFO queue. */
@ExtendWith(MotoServerExtension.class)
class StormTest {

    static String fifoQueue(SqsClient sqs, String name) {
        return sqs.createQueue(b -> b.queueName(name).attributes(Map.of(
                QueueAttributeName.FIFO_QUEUE, "true",
                QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "false"))).queueUrl();
    }

    static List<Message> drain(SqsClient sqs, String url) {
        var all = new ArrayList<Message>();
        for (int empty = 0; empty < 2; ) {
            var batch = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            if (batch.isEmpty()) {
                empty++;
                continue;
            }
            all.addAll(batch);
            batch.forEach(m -> sqs.deleteMessage(d -> d.queueUrl(url).receiptHandle(m.receiptHandle())));
        }
        return all;
    }

    @Test
    void a_thousand_run_instances_within_a_minute_should_enqueue_at_most_two_rechecks(MotoServer moto) throws Exception {
        // GIVEN the recheck FIFO queue and change-events sending to it
        try (SqsClient sqs = AwsTestClients.of(SqsClient.builder(), moto)) {
            String url = fifoQueue(sqs, "storm-recheck.fifo");
            var queue = new SqsRecheckQueue(sqs, url, new RecheckMessages(TestSupport.MAPPER), Duration.ofSeconds(60));
            var handler = new ChangeEventsHandler(new EventRouter(RoutingTable.builtIn(), new InMemoryResourceLookup(),
                    MonitorRoles.none()), queue, new TestSupport.Captured().out, EventsCorpusTest.CLOCK);
            var template = (ObjectNode) TestSupport.json(TestSupport.events().resolve("ec2-RunInstances.json"));
            // WHEN 1,000 node launches for shop-prod arrive, spread over one minute that straddles a bucket boundary
            Instant start = Instant.parse("2025-06-08T03:14:30Z");
            for (int i = 0; i < 1000; i++) {
                var event = template.deepCopy();
                String t = start.plusMillis(i * 59L).toString();
                event.put("id", "storm-" + i).put("time", t);
                ((ObjectNode) event.get("detail")).put("eventTime", t).put("eventID", "storm-event-" + i);
                handler.handleRequest(new ByteArrayInputStream(TestSupport.MAPPER.writeValueAsBytes(event)),
                        new ByteArrayOutputStream(), TestSupport.context());
            }
            // THEN the emulator's queue holds at most two messages: one per minute bucket, both for shop-prod
            List<Message> messages = drain(sqs, url);
            assertThat(messages).hasSizeBetween(1, 2);
            assertThat(messages).hasSize(2); // the minute straddles 03:15:00: exactly one per bucket
            var parser = new RecheckMessages(TestSupport.MAPPER);
            assertThat(messages).allSatisfy(m -> {
                assertThat(parser.parse(m.body()).cluster()).isEqualTo(EventsCorpusTest.SHOP_PROD);
                assertThat(m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID)).isEqualTo("111122223333#eu-west-1#shop-prod");
            });
        }
    }

    @Test
    void the_emulator_should_deduplicate_fifo_messages_by_id_and_keep_distinct_ones(MotoServer moto) {
        // guards the storm test: it proves nothing if the emulator did not deduplicate at all
        try (SqsClient sqs = AwsTestClients.of(SqsClient.builder(), moto)) {
            String url = fifoQueue(sqs, "dedup-probe.fifo");
            for (int i = 0; i < 5; i++) {
                sqs.sendMessage(b -> b.queueUrl(url).messageBody("same").messageGroupId("g").messageDeduplicationId("d1"));
            }
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("other").messageGroupId("g").messageDeduplicationId("d2"));
            assertThat(drain(sqs, url)).extracting(Message::body).containsExactly("same", "other");
        }
    }

    @Test
    void update_cluster_config_should_travel_through_the_fifo_queue_to_one_cluster_check_run(MotoServer moto) throws Exception {
        // end to end up to the engine port: the lead extends this to findings in DynamoDB and the alert on SNS
        try (SqsClient sqs = AwsTestClients.of(SqsClient.builder(), moto)) {
            String url = fifoQueue(sqs, "e2e-recheck.fifo");
            var queue = new SqsRecheckQueue(sqs, url, new RecheckMessages(TestSupport.MAPPER), Duration.ofSeconds(60));
            var change = new ChangeEventsHandler(new EventRouter(RoutingTable.builtIn(), new InMemoryResourceLookup(),
                    MonitorRoles.none()), queue, new TestSupport.Captured().out, EventsCorpusTest.CLOCK);
            change.handleRequest(new ByteArrayInputStream(TestSupport.bytes(TestSupport.events().resolve("eks-UpdateClusterConfig.json"))),
                    new ByteArrayOutputStream(), TestSupport.context());

            var received = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages();
            var sqsEvent = new com.amazonaws.services.lambda.runtime.events.SQSEvent();
            sqsEvent.setRecords(received.stream().map(m -> {
                var record = new com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage();
                record.setMessageId(m.messageId());
                record.setBody(m.body());
                return record;
            }).toList());
            var runs = new ArrayList<String>();
            var check = new ClusterCheckHandler((cluster, scopes, trigger) -> {
                runs.add(cluster.key() + " " + new java.util.TreeSet<>(scopes) + " " + trigger);
                return new dev.ekscm.engine.RecheckOutcome(cluster, "run-1", scopes, Map.of(), 0, Duration.ZERO, new java.util.TreeMap<>());
            }, new TestSupport.Captured().out, EventsCorpusTest.CLOCK);
            var response = check.handleRequest(sqsEvent, TestSupport.context());

            assertThat(response.getBatchItemFailures()).isEmpty();
            assertThat(runs).containsExactly(
                    "111122223333#eu-west-1#shop-prod [CLUSTER_CONFIG, ACCESS, SECURITY_GROUPS] event:eks:UpdateClusterConfig");
        }
    }
}
