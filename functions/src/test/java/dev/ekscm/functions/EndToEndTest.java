package dev.ekscm.functions;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.ekscm.collect.AwsSeed;
import dev.ekscm.engine.RecheckServices;
import dev.ekscm.findings.FindingsTableSchema;
import dev.ekscm.routing.EventRouter;
import dev.ekscm.routing.InMemoryResourceLookup;
import dev.ekscm.routing.MonitorRoles;
import dev.ekscm.routing.RoutingTable;
import dev.ekscm.testing.AwsTestClients;
import dev.ekscm.testing.MotoServer;
import dev.ekscm.testing.MotoServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole monitor against the local emulator: an UpdateClusterConfig CloudTrail event →
 * change-events → the FIFO recheck queue (read back from moto's SQS) → cluster-check with the
 * real engine (live collection, DynamoDB findings, SNS alert) → findings in the table and one
 * alert on the topic's SQS subscription. The event's scopes are AWS-side only, so the run makes no
 * Kubernetes call (moto's EKS endpoint is made up anyway).
 */
@ExtendWith(MotoServerExtension.class)
class EndToEndTest {
    private static final String CLUSTER = "shop-e2e";

    @BeforeAll
    static void pointTheSdkAtMoto(MotoServer moto) {
        moto.useAsSdkDefault();
    }

    @AfterAll
    static void forget() {
        MotoServer.clearSdkDefault();
    }

    @Test
    void update_cluster_config_should_end_as_findings_in_dynamodb_and_one_alert(MotoServer moto) throws Exception {
        // GIVEN a cluster in the emulator, the findings table, the alerts topic with an SQS subscriber, the FIFO queue
        new AwsSeed(CLUSTER, AwsTestClients.of(EksClient.builder(), moto), AwsTestClients.of(Ec2Client.builder(), moto),
                AwsTestClients.of(EcrClient.builder(), moto)).network().cluster().nodegroups(1).instances(2);
        var dynamo = AwsTestClients.of(DynamoDbClient.builder(), moto);
        FindingsTableSchema.createIfAbsent(dynamo, "ekscm-e2e-findings");
        var sns = AwsTestClients.of(SnsClient.builder(), moto);
        var sqs = AwsTestClients.of(SqsClient.builder(), moto);
        String topic = sns.createTopic(b -> b.name("ekscm-e2e-alerts")).topicArn();
        String inbox = sqs.createQueue(b -> b.queueName("e2e-oncall")).queueUrl();
        String inboxArn = sqs.getQueueAttributes(b -> b.queueUrl(inbox).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(inboxArn).attributes(Map.of("RawMessageDelivery", "true")));
        String recheckUrl = StormTest.fifoQueue(sqs, "e2e-full-recheck.fifo");

        // WHEN the CloudTrail record of an UpdateClusterConfig on that cluster arrives
        String event = Files.readString(TestSupport.events().resolve("eks-UpdateClusterConfig.json"))
                .replace("shop-prod", CLUSTER).replace("eu-west-1", MotoServer.REGION);
        var queue = new SqsRecheckQueue(sqs, recheckUrl, new RecheckMessages(TestSupport.MAPPER), Duration.ofSeconds(1));
        new ChangeEventsHandler(new EventRouter(RoutingTable.builtIn(), new InMemoryResourceLookup(), MonitorRoles.none()),
                queue, new TestSupport.Captured().out, EventsCorpusTest.CLOCK)
                .handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(),
                        TestSupport.context());
        Thread.sleep(1_200); // the queue delays messages by the coalescing window
        var received = sqs.receiveMessage(b -> b.queueUrl(recheckUrl).maxNumberOfMessages(10).waitTimeSeconds(2)).messages();
        assertThat(received).hasSize(1);
        var batch = new SQSEvent();
        batch.setRecords(received.stream().map(m -> {
            var record = new SQSEvent.SQSMessage();
            record.setMessageId(m.messageId());
            record.setBody(m.body());
            return record;
        }).toList());
        var env = Map.of(FindingsTableSchema.TABLE_ENV, "ekscm-e2e-findings", "ALERTS_TOPIC_ARN", topic,
                "REMEDIATION_ENABLED", "true"); // the seeded cluster is tagged for imds-hop-limit (dry-run)
        var log = new TestSupport.Captured();
        var response = new ClusterCheckHandler(RecheckServices.fromEnvironment(env), log.out, EventsCorpusTest.CLOCK)
                .handleRequest(batch, TestSupport.context());

        // THEN the run succeeded, its findings are in the table, and on-call got one alert about this cluster
        assertThat(response.getBatchItemFailures()).as(log.lines().toString()).isEmpty();
        var items = dynamo.query(b -> b.tableName("ekscm-e2e-findings")
                .keyConditionExpression("pk = :pk and begins_with(sk, :f)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("CLUSTER#123456789012#us-east-1#" + CLUSTER),
                        ":f", AttributeValue.fromS("FINDING#")))).items();
        assertThat(items).isNotEmpty();
        // the event's scopes (cluster config, access, security groups) decide what was judged: no Kubernetes call
        assertThat(items).extracting(i -> i.get("checkId").s())
                .contains("cluster-endpoint-not-public", "node-security-groups-restricted")
                .doesNotContain("monitor-cannot-reach-cluster", "rbac-no-wildcards");
        assertThat(items).allSatisfy(i -> assertThat(i.get("alertState").s()).isIn("SENT", "SKIPPED"));
        var alerts = sqs.receiveMessage(b -> b.queueUrl(inbox).maxNumberOfMessages(10).waitTimeSeconds(2)).messages();
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).body()).contains("\"ekscm.alert/v1\"", CLUSTER, "\"NEW\"");
    }
}
