package dev.ekscm.alerts;

import dev.ekscm.findings.AlertState;
import dev.ekscm.findings.CallCounter;
import dev.ekscm.findings.DynamoDbFindingStore;
import dev.ekscm.findings.DynamoDbTestSupport;
import dev.ekscm.findings.FindingStatus;
import dev.ekscm.findings.FindingsLedger;
import dev.ekscm.findings.MutableClock;
import dev.ekscm.findings.OneRequestAtATime;
import dev.ekscm.findings.RecordOutcome;
import dev.ekscm.findings.TestRuns;
import dev.ekscm.findings.TransitionType;
import dev.ekscm.model.ClusterId;
import dev.ekscm.model.Scope;
import dev.ekscm.testing.AwsTestClients;
import dev.ekscm.testing.MotoServer;
import dev.ekscm.testing.MotoServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dev.ekscm.findings.DynamoDbTestSupport.NO_WAIT;
import static dev.ekscm.findings.TestRuns.ADMIN_ROLE;
import static dev.ekscm.findings.TestRuns.API;
import static dev.ekscm.findings.TestRuns.CLUSTER;
import static dev.ekscm.findings.TestRuns.NODES;
import static dev.ekscm.findings.TestRuns.NODE_1;
import static dev.ekscm.findings.TestRuns.PODS;
import static dev.ekscm.findings.TestRuns.RBAC;
import static dev.ekscm.findings.TestRuns.T0;
import static dev.ekscm.findings.TestRuns.TAGS;
import static dev.ekscm.findings.TestRuns.WEB;
import static dev.ekscm.findings.TestRuns.run;
import static org.assertj.core.api.Assertions.assertThat;

/** Runs recorded in DynamoDB and alerts published to SNS, read back through an SQS subscription; all on moto. */
@ExtendWith(MotoServerExtension.class)
class AlertsEndToEndTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private MotoServer moto;
    private final CallCounter calls = new CallCounter();
    private DynamoDbClient dynamo;
    private SnsClient sns;
    private SqsClient sqs;
    private String table;
    private String topicArn;
    private String queueUrl;
    private final MutableClock clock = new MutableClock(T0);
    private FindingsLedger ledger;
    private AlertDispatcher dispatcher;

    /** A published alert as the SQS subscriber sees it (SNS envelope). */
    record Published(String subject, JsonNode body, Map<String, String> attributes) {
        List<String> transitions(String field) {
            var out = new ArrayList<String>();
            body.path("transitions").forEach(t -> out.add(t.path(field).asString()));
            return out;
        }
    }

    @BeforeEach
    void setUp(MotoServer moto) {
        this.moto = moto;
        dynamo = DynamoDbTestSupport.client(moto, calls);
        table = DynamoDbTestSupport.newTable(dynamo);
        sns = AwsTestClients.of(SnsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.addExecutionInterceptor(calls)), moto);
        sqs = AwsTestClients.of(SqsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()), moto);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        topicArn = sns.createTopic(b -> b.name("ekscm-alerts-" + suffix)).topicArn();
        queueUrl = subscribe("all-" + suffix, Map.of());
        ledger = FindingsLedger.builder(DynamoDbTestSupport.store(dynamo, table)).withClock(clock).withBackoff(NO_WAIT).build();
        dispatcher = AlertDispatcher.builder(DynamoDbTestSupport.store(dynamo, table)).withClock(clock).withBackoff(NO_WAIT).build();
        calls.reset();
    }

    @AfterEach
    void tearDown() {
        dynamo.close();
        sns.close();
        sqs.close();
    }

    private String subscribe(String queueName, Map<String, String> subscriptionAttributes) {
        String url = sqs.createQueue(b -> b.queueName(queueName)).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(arn).attributes(subscriptionAttributes));
        return url;
    }

    private List<Published> published() {
        return published(queueUrl);
    }

    private List<Published> published(String queue) {
        var out = new ArrayList<Published>();
        while (true) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
            if (batch.isEmpty()) {
                return out;
            }
            for (Message m : batch) {
                JsonNode envelope = JSON.readTree(m.body());
                var attrs = new java.util.TreeMap<String, String>();
                envelope.path("MessageAttributes").properties().forEach(e -> attrs.put(e.getKey(), e.getValue().path("Value").asString()));
                out.add(new Published(envelope.path("Subject").asString(), JSON.readTree(envelope.path("Message").asString()), attrs));
                sqs.deleteMessage(b -> b.queueUrl(queue).receiptHandle(m.receiptHandle()));
            }
        }
    }

    private RecordOutcome record(String runId, Instant at, TestRuns.EvaluationBuilder eval) {
        clock.set(at);
        return ledger.record(CLUSTER, TAGS, eval.build(), run(runId, at));
    }

    private AlertOutcome cycle(String runId, Instant at, TestRuns.EvaluationBuilder eval, Notifier... notifiers) {
        return dispatcher.deliver(record(runId, at, eval), List.of(notifiers));
    }

    private SnsNotifier snsNotifier() {
        return new SnsNotifier(sns, topicArn);
    }

    private static TestRuns.EvaluationBuilder failing() {
        return TestRuns.full().fail(PODS, API, "container api runs as root").pass(PODS, WEB)
                .fail(NODES, NODE_1, "hop limit 2, tokens optional").fail(RBAC, ADMIN_ROLE, "verbs [*] on resources [*]");
    }

    @Test
    void first_run_should_record_findings_and_publish_one_alert_grouped_by_severity() {
        var outcome = cycle("r1", T0, failing(), snsNotifier());

        assertThat(outcome.allDelivered()).isTrue();
        assertThat(published()).singleElement().satisfies(p -> {
            assertThat(p.subject()).isEqualTo("ekscm [CRITICAL] shop-dev eu-west-1: 3 NEW");
            assertThat(p.attributes()).containsEntry("severity", "CRITICAL").containsEntry("cluster", "shop-dev")
                    .containsEntry("team", "payments").containsEntry("account", "111122223333")
                    .containsEntry("region", "eu-west-1").containsEntry("transition", "[\"NEW\"]")
                    .containsEntry("schema", "ekscm.alert/v1");
            assertThat(p.body().path("schema").asString()).isEqualTo("ekscm.alert/v1");
            assertThat(p.body().path("run").asString()).isEqualTo("r1");
            assertThat(p.transitions("severity")).containsExactly("CRITICAL", "HIGH", "MEDIUM");
            assertThat(p.transitions("checkId")).containsExactly(NODES.id(), RBAC.id(), PODS.id());
            assertThat(p.body().path("transitions").get(2).path("resource").path("namespace").asString()).isEqualTo("payments");
            assertThat(p.body().path("transitions").get(2).path("firstSeen").asString()).isEqualTo("2025-03-01T10:00:00.000Z");
        });
        var stored = DynamoDbTestSupport.store(dynamo, table).load(CLUSTER);
        assertThat(stored.findings()).hasSize(3);
        assertThat(stored.findings().values()).allSatisfy(f -> assertThat(f.transition().alertState()).isEqualTo(AlertState.SENT));
    }

    @Test
    void identical_second_run_should_cost_one_query_two_writes_and_publish_nothing() {
        cycle("r1", T0, failing(), snsNotifier());
        published();
        calls.reset();

        var outcome = cycle("r2", T0.plus(Duration.ofHours(1)), failing(), snsNotifier());

        assertThat(outcome.pending()).isZero();
        assertThat(calls.count("Query")).isEqualTo(1);
        assertThat(calls.writes()).isEqualTo(2);
        assertThat(calls.count("Publish")).isZero();
        assertThat(calls.total()).as(calls.snapshot().toString()).isEqualTo(3);
        assertThat(published()).isEmpty();
    }

    @Test
    void fix_should_resolve_and_alert_once_and_regression_should_alert_REGRESSED() {
        cycle("r1", T0, failing(), snsNotifier());
        published();

        cycle("r2", T0.plus(Duration.ofHours(2)), TestRuns.full().pass(PODS, API).pass(PODS, WEB)
                .fail(NODES, NODE_1, "hop limit 2, tokens optional").fail(RBAC, ADMIN_ROLE, "verbs [*] on resources [*]"), snsNotifier());
        var fixed = published();
        cycle("r3", T0.plus(Duration.ofHours(3)), TestRuns.full().pass(PODS, API).pass(PODS, WEB)
                .fail(NODES, NODE_1, "hop limit 2, tokens optional").fail(RBAC, ADMIN_ROLE, "verbs [*] on resources [*]"), snsNotifier());
        var quiet = published();
        cycle("r4", T0.plus(Duration.ofHours(4)), failing(), snsNotifier());
        var regressed = published();

        assertThat(fixed).singleElement().satisfies(p -> {
            assertThat(p.subject()).isEqualTo("ekscm [MEDIUM] shop-dev eu-west-1: 1 RESOLVED");
            assertThat(p.attributes()).containsEntry("transition", "[\"RESOLVED\"]").containsEntry("severity", "MEDIUM");
            JsonNode t = p.body().path("transitions").get(0);
            assertThat(t.path("transition").asString()).isEqualTo("RESOLVED");
            assertThat(t.path("timeToResolveSeconds").asLong()).isEqualTo(7200);
            assertThat(t.path("resolution").asString()).isEqualTo("Deployment/payments/api is fine");
        });
        assertThat(quiet).isEmpty();
        assertThat(regressed).singleElement().satisfies(p -> {
            assertThat(p.attributes()).containsEntry("transition", "[\"REGRESSED\"]");
            JsonNode t = p.body().path("transitions").get(0);
            assertThat(t.path("transition").asString()).isEqualTo("REGRESSED");
            assertThat(t.path("reopenCount").asInt()).isEqualTo(1);
            assertThat(t.path("firstSeen").asString()).isEqualTo("2025-03-01T10:00:00.000Z");
        });
    }

    @Test
    void exemption_should_alert_EXEMPTED_and_its_withdrawal_REGRESSED() {
        cycle("r1", T0, failing(), snsNotifier());
        published();

        cycle("r2", T0.plusSeconds(600), TestRuns.full().fail(PODS, API, "container api runs as root").pass(PODS, WEB)
                .fail(NODES, NODE_1, "hop limit 2, tokens optional").exempt(RBAC, ADMIN_ROLE, "break-glass role"), snsNotifier());
        var exempted = published();
        cycle("r3", T0.plusSeconds(1200), failing(), snsNotifier());
        var withdrawn = published();

        assertThat(exempted).singleElement().satisfies(p -> {
            assertThat(p.transitions("transition")).containsExactly("EXEMPTED");
            assertThat(p.transitions("status")).containsExactly("EXEMPT");
        });
        assertThat(withdrawn).singleElement().satisfies(p -> assertThat(p.transitions("transition")).containsExactly("REGRESSED"));
        assertThat(DynamoDbTestSupport.store(dynamo, table).openFindings(dev.ekscm.model.Severity.HIGH)).hasSize(1);
    }

    @Test
    void nodes_only_run_should_leave_rbac_and_workload_findings_alone() {
        cycle("r1", T0, failing(), snsNotifier());
        published();

        var nodesOnly = TestRuns.scopes(Scope.NODES).pass(NODES, NODE_1);
        var outcome = record("r2", T0.plusSeconds(300), nodesOnly);
        dispatcher.deliver(outcome, List.of(snsNotifier()));

        assertThat(outcome.transitions()).extracting(f -> f.transition().type()).containsExactly(TransitionType.RESOLVED);
        var stored = DynamoDbTestSupport.store(dynamo, table).load(CLUSTER);
        assertThat(stored.findings().get(RBAC.id() + "#ClusterRole/ops-admin").status()).isEqualTo(FindingStatus.OPEN);
        assertThat(stored.findings().get(PODS.id() + "#Deployment/payments/api").status()).isEqualTo(FindingStatus.OPEN);
        assertThat(stored.effectiveLastSeen(stored.findings().get(RBAC.id() + "#ClusterRole/ops-admin"))).isEqualTo(T0);
        assertThat(published()).singleElement().satisfies(p -> assertThat(p.transitions("checkId")).containsExactly(NODES.id()));
    }

    @Test
    void failed_publish_should_keep_the_alert_pending_and_the_next_run_should_send_it_once() {
        var broken = new SnsNotifier(sns, topicArn + "-deleted");

        var first = cycle("r1", T0, failing(), broken);

        assertThat(first.stillPending()).isEqualTo(3);
        assertThat(first.notifiers()).singleElement().satisfies(n ->
                assertThat(n.failure()).get().asString().contains("SNS Publish to " + topicArn + "-deleted failed"));
        assertThat(published()).isEmpty();
        var stored = DynamoDbTestSupport.store(dynamo, table).load(CLUSTER);
        assertThat(stored.findings()).hasSize(3);
        assertThat(stored.pendingAlerts()).hasSize(3);

        var second = cycle("r2", T0.plusSeconds(3600), failing(), snsNotifier());
        var third = cycle("r3", T0.plusSeconds(7200), failing(), snsNotifier());

        assertThat(second.allDelivered()).isTrue();
        assertThat(third.pending()).isZero();
        assertThat(published()).singleElement().satisfies(p -> {
            assertThat(p.body().path("run").asString()).isEqualTo("r2");
            assertThat(p.transitions("run")).containsOnly("r1");
            assertThat(p.transitions("transition")).containsOnly("NEW").hasSize(3);
        });
    }

    @Test
    void sns_and_slack_should_each_get_a_transition_once_even_when_slack_fails_first() throws IOException {
        try (var slack = new SlackReceiver()) {
            var secrets = AwsTestClients.of(SecretsManagerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()), moto);
            String arn = secrets.createSecret(b -> b.name("slack-" + UUID.randomUUID())
                    .secretString("{\"webhookUrl\":\"" + slack.url("T0K3N") + "\"}")).arn();
            var config = AlertingConfig.fromEnvironment(Map.of("ALERTS_TOPIC_ARN", topicArn, "SLACK_WEBHOOK_SECRET_ARN", arn));
            var configured = config.notifiers(() -> sns, () -> secrets);
            assertThat(configured).extracting(Notifier::name).containsExactly("sns", "slack");
            var slackNotifier = new SlackNotifier(new SlackWebhookSecret(secrets, arn), HttpClient.newHttpClient(),
                    new AlertRenderer(), NO_WAIT, 2, Duration.ofSeconds(5), Duration.ofSeconds(5));
            slack.then(500, Map.of(), "oops").then(500, Map.of(), "oops");

            var first = cycle("r1", T0, failing(), snsNotifier(), slackNotifier);
            var second = cycle("r2", T0.plusSeconds(3600), failing(), snsNotifier(), slackNotifier);
            var third = cycle("r3", T0.plusSeconds(7200), failing(), snsNotifier(), slackNotifier);

            assertThat(first.stillPending()).isEqualTo(3);
            assertThat(second.allDelivered()).isTrue();
            assertThat(third.pending()).isZero();
            assertThat(published()).as("SNS got it on the first run only").hasSize(1);
            assertThat(slack.requests()).hasSize(3);
            assertThat(slack.requests().get(2).body()).contains(NODES.id()).contains(RBAC.id()).contains(PODS.id());
            assertThat(DynamoDbTestSupport.store(dynamo, table).load(CLUSTER).findings().values())
                    .allSatisfy(f -> assertThat(f.transition().alertSentTo()).containsExactlyInAnyOrder("sns", "slack"));
        }
    }

    @Test
    void concurrent_runs_should_publish_each_transition_once() throws Exception {
        var serial = DynamoDbTestSupport.client(moto, new OneRequestAtATime());
        var backoff = new dev.ekscm.findings.Backoff(Duration.ofMillis(20), Duration.ofMillis(200), dev.ekscm.findings.Sleeper.REAL);
        var pool = Executors.newFixedThreadPool(2);
        try {
            var latch = new CountDownLatch(1);
            var futures = new ArrayList<java.util.concurrent.Future<AlertOutcome>>();
            for (String runId : List.of("a", "b")) {
                futures.add(pool.submit(() -> {
                    latch.await();
                    var store = new DynamoDbFindingStore(serial, table, backoff, 8);
                    var recorded = FindingsLedger.builder(store).withClock(clock).withBackoff(backoff).build()
                            .record(CLUSTER, TAGS, failing().build(), run(runId, T0));
                    return AlertDispatcher.builder(store).withClock(clock).withBackoff(backoff).build()
                            .deliver(recorded, List.of(snsNotifier()));
                }));
            }
            latch.countDown();
            for (var f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        var messages = published();
        assertThat(messages).singleElement().satisfies(p -> assertThat(p.transitions("checkId")).hasSize(3).doesNotHaveDuplicates());
        assertThat(DynamoDbTestSupport.store(dynamo, table).load(CLUSTER).pendingAlerts()).isEmpty();
    }

    @Test
    void filter_policy_on_team_and_severity_should_route_alerts_to_the_team() {
        // The subscription the README shows: team payments, HIGH and CRITICAL only.
        String teamQueue = subscribe("payments-" + UUID.randomUUID().toString().substring(0, 8), Map.of(
                "RawMessageDelivery", "true",
                "FilterPolicy", "{\"team\": [\"payments\"], \"severity\": [\"HIGH\", \"CRITICAL\"]}"));
        String newOnlyQueue = subscribe("new-" + UUID.randomUUID().toString().substring(0, 8), Map.of(
                "RawMessageDelivery", "true",
                "FilterPolicy", "{\"transition\": [\"NEW\", \"REGRESSED\"]}"));
        var web = new ClusterId("111122223333", "eu-west-1", "web-prod");
        var quiet = new ClusterId("111122223333", "eu-west-1", "batch-dev");

        dispatcher.deliver(ledger.record(CLUSTER, TAGS, failing().build(), run("r1", T0)), List.of(snsNotifier()));
        dispatcher.deliver(ledger.record(web, Map.of("ekscm:team", "web"), new TestRuns.EvaluationBuilder(web, Scope.all())
                .fail(NODES, NODE_1, "hop limit 2").build(), run("r2", T0)), List.of(snsNotifier()));
        dispatcher.deliver(ledger.record(quiet, Map.of("ekscm:team", "payments"), new TestRuns.EvaluationBuilder(quiet, Scope.all())
                .fail(PODS, API, "root").build(), run("r3", T0)), List.of(snsNotifier()));
        dispatcher.deliver(ledger.record(quiet, Map.of("ekscm:team", "payments"), new TestRuns.EvaluationBuilder(quiet, Scope.all())
                .pass(PODS, API).build(), run("r4", T0.plusSeconds(60))), List.of(snsNotifier()));

        var teamMessages = receiveRaw(teamQueue);
        assertThat(teamMessages).singleElement().satisfies(body -> {
            assertThat(body.path("cluster").asString()).isEqualTo("shop-dev");
            assertThat(body.path("team").asString()).isEqualTo("payments");
        });
        assertThat(receiveRaw(newOnlyQueue)).extracting(b -> b.path("run").asString()).containsExactlyInAnyOrder("r1", "r2", "r3");
        assertThat(published()).hasSize(4);
    }

    private List<JsonNode> receiveRaw(String queue) {
        var out = new ArrayList<JsonNode>();
        while (true) {
            var batch = sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
            if (batch.isEmpty()) {
                return out;
            }
            for (Message m : batch) {
                out.add(JSON.readTree(m.body()));
                sqs.deleteMessage(b -> b.queueUrl(queue).receiptHandle(m.receiptHandle()));
            }
        }
    }
}
