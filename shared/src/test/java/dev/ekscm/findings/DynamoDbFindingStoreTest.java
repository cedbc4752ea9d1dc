package dev.ekscm.findings;

import dev.ekscm.findings.FindingsTableSchema.Attr;
import dev.ekscm.model.ClusterId;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Severity;
import dev.ekscm.testing.MotoServer;
import dev.ekscm.testing.MotoServerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(MotoServerExtension.class)
class DynamoDbFindingStoreTest {
    private MotoServer moto;
    private CallCounter calls;
    private DynamoDbClient dynamo;
    private String table;
    private final MutableClock clock = new MutableClock(T0);

    @BeforeEach
    void setUp(MotoServer moto) {
        this.moto = moto;
        calls = new CallCounter();
        dynamo = DynamoDbTestSupport.client(moto, calls);
        table = DynamoDbTestSupport.newTable(dynamo);
        calls.reset();
    }

    private FindingsLedger ledger(DynamoDbClient client) {
        return FindingsLedger.builder(DynamoDbTestSupport.store(client, table)).withClock(clock).withBackoff(NO_WAIT).build();
    }

    private Map<String, AttributeValue> item(ClusterId cluster, String sk) {
        return dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(FindingsTableSchema.PK, AttributeValue.fromS(FindingsTableSchema.partitionKey(cluster)),
                        FindingsTableSchema.SK, AttributeValue.fromS(sk)))).item();
    }

    @Test
    void createIfAbsent_should_create_keys_sparse_index_and_ttl_once() {
        var description = dynamo.describeTable(b -> b.tableName(table)).table();
        assertThat(description.keySchema()).extracting(k -> k.attributeName()).containsExactly("pk", "sk");
        assertThat(description.globalSecondaryIndexes()).singleElement().satisfies(gsi -> {
            assertThat(gsi.indexName()).isEqualTo("open-by-severity");
            assertThat(gsi.keySchema()).extracting(k -> k.attributeName()).containsExactly("gsi1pk", "gsi1sk");
        });
        assertThat(dynamo.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription().attributeName()).isEqualTo("expiresAt");

        assertThat(FindingsTableSchema.createIfAbsent(dynamo, table)).isFalse();
    }

    @Test
    void store_should_read_back_exactly_what_the_in_memory_store_holds_through_a_lifecycle() {
        // GIVEN the same runs recorded in DynamoDB and in memory
        var memory = FindingsLedger.builder(new InMemoryFindingStore()).withClock(clock).withBackoff(NO_WAIT).build();
        var dynamoLedger = ledger(dynamo);
        var runs = List.of(
                TestRuns.full().fail(PODS, API, "runs as root").fail(PODS, WEB, "runs as root").fail(NODES, NODE_1, "hop limit 2")
                        .exempt(RBAC, ADMIN_ROLE, "break-glass role, reviewed quarterly"),
                TestRuns.full().fail(PODS, API, "runs as root").pass(PODS, WEB).fail(NODES, NODE_1, Severity.HIGH, "hop limit 2")
                        .exempt(RBAC, ADMIN_ROLE, "break-glass role, reviewed quarterly"),
                TestRuns.full().fail(PODS, WEB, "runs as root").ran(NODES).fail(RBAC, ADMIN_ROLE, "wildcard verbs"));
        for (int i = 0; i < runs.size(); i++) {
            Instant at = T0.plus(Duration.ofHours(i));
            clock.set(at);
            var a = memory.record(CLUSTER, TAGS, runs.get(i).build(), run("r" + i, at));
            var b = dynamoLedger.record(CLUSTER, TAGS, runs.get(i).build(), run("r" + i, at));
            assertThat(b.transitionsByFindingKey()).isEqualTo(a.transitionsByFindingKey());
        }

        // THEN both read back the same findings and state
        var fromDynamo = dynamoLedger.store().load(CLUSTER);
        var fromMemory = memory.store().load(CLUSTER);
        assertThat(fromDynamo.findings()).isEqualTo(fromMemory.findings());
        assertThat(fromDynamo.state()).isEqualTo(fromMemory.state());
        assertThat(fromDynamo.findings().get("pods-run-as-non-root#Deployment/payments/web").transition().type())
                .isEqualTo(TransitionType.REGRESSED);
        assertThat(fromDynamo.findings().get("nodes-imds-hop-limit#Instance/i-0abc1").status()).isEqualTo(FindingStatus.RESOLVED);

        // AND the items carry the layout the template and dashboards rely on
        var resolved = item(CLUSTER, "FINDING#nodes-imds-hop-limit#Instance/i-0abc1");
        assertThat(resolved).containsKey(FindingsTableSchema.TTL).doesNotContainKey(FindingsTableSchema.GSI1_PK);
        assertThat(resolved.get(Attr.TIME_TO_RESOLVE_SECONDS).n()).isEqualTo("7200");
        var open = item(CLUSTER, "FINDING#pods-run-as-non-root#Deployment/payments/web");
        assertThat(open.get(FindingsTableSchema.GSI1_PK).s()).isEqualTo("OPEN#MEDIUM");
        assertThat(open.get(FindingsTableSchema.GSI1_SK).s())
                .isEqualTo("111122223333#eu-west-1#shop-dev#pods-run-as-non-root#Deployment/payments/web");
        assertThat(open.get(Attr.REOPEN_COUNT).n()).isEqualTo("1");
        assertThat(fromDynamo.findings().get("pods-run-as-non-root#Deployment/payments/api").resolution())
                .get().asString().contains("not reported by this run");
        assertThat(open).doesNotContainKey(FindingsTableSchema.TTL);
    }

    @Test
    void unchanged_cluster_should_cost_one_query_and_two_writes_for_any_number_of_open_findings() {
        for (int open : List.of(1, 110)) {
            var cluster = new ClusterId("111122223333", "eu-west-1", "steady-" + open);
            var eval = new TestRuns.EvaluationBuilder(cluster, Scope.all()).failMany(PODS, open).ran(NODES).build();
            ledger(dynamo).record(cluster, TAGS, eval, run("r1", T0));
            calls.reset();

            var second = ledger(dynamo).record(cluster, TAGS, eval, run("r2", T0.plusSeconds(3600)));

            assertThat(second.transitions()).isEmpty();
            assertThat(second.counts().open()).isEqualTo(open);
            assertThat(calls.count("Query")).isEqualTo(1);
            assertThat(calls.writes()).as("STATE and the run item").isEqualTo(2);
            assertThat(calls.count("UpdateItem")).isEqualTo(1);
            assertThat(calls.count("PutItem")).isEqualTo(1);
            assertThat(calls.total()).as(calls.snapshot().toString()).isEqualTo(3);
        }
    }

    @Test
    void more_transitions_than_one_transaction_should_commit_in_chunks_under_a_lease() {
        // GIVEN transactions of at most 10 items (100 in production: the emulator copies the table per item)
        var eval = TestRuns.full().failMany(PODS, 25).build();
        var store = new DynamoDbFindingStore(dynamo, table, NO_WAIT, 8, 10);

        var outcome = FindingsLedger.builder(store).withClock(clock).withBackoff(NO_WAIT).build()
                .record(CLUSTER, TAGS, eval, run("r1", T0));

        assertThat(outcome.transitions()).hasSize(25);
        assertThat(calls.count("TransactWriteItems")).as("9 + 9 + 7 findings, each with the lease check").isEqualTo(3);
        assertThat(calls.count("UpdateItem")).as("lease, then finalise").isEqualTo(2);
        assertThat(calls.count("Query")).isEqualTo(1);
        var stored = DynamoDbTestSupport.store(dynamo, table).load(CLUSTER);
        assertThat(stored.findings()).hasSize(25);
        assertThat(stored.state().version()).isEqualTo(1);
        assertThat(stored.state().commitLease()).isEmpty();
        assertThat(stored.state().openBySeverity()).containsEntry(Severity.MEDIUM, 25);
    }

    @Test
    void throttling_on_every_operation_should_be_retried_and_lose_nothing() {
        var faults = new FaultInjector();
        for (String op : List.of("Query", "TransactWriteItems", "PutItem", "UpdateItem")) {
            faults.failing(op, 2, () -> ProvisionedThroughputExceededException.builder()
                    .message("Rate of requests exceeds the allowed throughput (injected)").statusCode(400).build());
        }
        var flaky = DynamoDbTestSupport.client(moto, faults);

        var first = ledger(flaky).record(CLUSTER, TAGS, TestRuns.full().fail(PODS, API, "root").build(), run("r1", T0));
        var second = ledger(flaky).record(CLUSTER, TAGS, TestRuns.full().pass(PODS, API).build(), run("r2", T0.plusSeconds(60)));

        assertThat(faults.injected("Query")).isEqualTo(2);
        assertThat(faults.injected("TransactWriteItems")).isEqualTo(2);
        assertThat(faults.injected("PutItem")).isEqualTo(2);
        assertThat(first.attempts()).isEqualTo(1);
        assertThat(first.transitions()).hasSize(1);
        assertThat(second.transitions()).extracting(f -> f.transition().type()).containsExactly(TransitionType.RESOLVED);
        var stored = DynamoDbTestSupport.store(dynamo, table);
        assertThat(stored.recentRuns(CLUSTER, 10)).extracting(r -> r.info().runId()).containsExactly("r2", "r1");
        assertThat(stored.load(CLUSTER).state().version()).isEqualTo(2);
    }

    @Test
    void transaction_conflicts_should_be_retried_and_a_store_that_keeps_failing_should_say_where() {
        var faults = new FaultInjector().failing("TransactWriteItems", 1,
                () -> TransactionConflictException.builder().message("conflict (injected)").statusCode(400).build());
        var outcome = ledger(DynamoDbTestSupport.client(moto, faults))
                .record(CLUSTER, TAGS, TestRuns.full().fail(PODS, API, "root").build(), run("r1", T0));
        assertThat(outcome.transitions()).hasSize(1);

        var alwaysThrottled = new FaultInjector().failing("Query", 100,
                () -> ProvisionedThroughputExceededException.builder().message("throttled (injected)").statusCode(400).build());
        var store = new DynamoDbFindingStore(DynamoDbTestSupport.client(moto, alwaysThrottled), table, NO_WAIT, 3);
        assertThatThrownBy(() -> store.load(CLUSTER))
                .isInstanceOf(FindingStoreException.class)
                .hasMessageContaining("Query").hasMessageContaining(table).hasMessageContaining("shop-dev")
                .hasMessageContaining("after 3 attempt(s)");
    }

    @Test
    void run_that_loses_the_version_race_should_reread_and_reconcile_again() {
        var eval = TestRuns.full().fail(PODS, API, "root").fail(PODS, WEB, "root").build();
        // GIVEN another run of the cluster commits just before this run's transaction
        var competing = new Object() {
            RecordOutcome outcome;
        };
        var faults = new FaultInjector().before("TransactWriteItems", 1,
                () -> competing.outcome = ledger(dynamo).record(CLUSTER, TAGS, eval, run("other", T0.plusSeconds(1))));

        var outcome = ledger(DynamoDbTestSupport.client(moto, faults)).record(CLUSTER, TAGS, eval, run("mine", T0.plusSeconds(2)));

        assertThat(competing.outcome.transitions()).hasSize(2);
        assertThat(outcome.attempts()).isEqualTo(2);
        assertThat(outcome.transitions()).as("the other run already recorded them").isEmpty();
        var stored = DynamoDbTestSupport.store(dynamo, table);
        assertThat(stored.load(CLUSTER).state().version()).isEqualTo(2);
        assertThat(stored.load(CLUSTER).findings()).hasSize(2);
        assertThat(stored.recentRuns(CLUSTER, 10)).extracting(RunRecord::attempts).containsExactly(2, 1);
    }

    @Test
    void concurrent_runs_of_one_cluster_should_end_consistent() throws Exception {
        var serial = DynamoDbTestSupport.client(moto, new OneRequestAtATime());
        var backoff = new Backoff(Duration.ofMillis(20), Duration.ofMillis(200), Sleeper.REAL);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 4; i++) {
                int round = i;
                // Rounds 0-1 commit in one transaction; rounds 2-3 in chunks of 10 under the commit lease.
                int txSize = round < 2 ? 100 : 10;
                java.util.function.Supplier<FindingsLedger> ledger = () -> FindingsLedger.builder(
                        new DynamoDbFindingStore(serial, table, backoff, 8, txSize)).withClock(clock).withBackoff(backoff).build();
                var cluster = new ClusterId("111122223333", "eu-west-1", "race-" + round);
                var failing = new TestRuns.EvaluationBuilder(cluster, Scope.all()).failMany(PODS, 30).fail(PODS, API, "root").build();
                var fixed = new TestRuns.EvaluationBuilder(cluster, Scope.all()).failMany(PODS, 30).pass(PODS, API).build();
                // A: the older view (API failing); B started later and sees API fixed.
                var latch = new CountDownLatch(1);
                Callable<RecordOutcome> a = () -> {
                    latch.await();
                    return ledger.get().record(cluster, TAGS, failing, run("a" + round, T0));
                };
                Callable<RecordOutcome> b = () -> {
                    latch.await();
                    return ledger.get().record(cluster, TAGS, fixed, run("b" + round, T0.plusSeconds(5)));
                };
                Future<RecordOutcome> fa = pool.submit(a);
                Future<RecordOutcome> fb = pool.submit(b);
                latch.countDown();
                var ra = fa.get(60, TimeUnit.SECONDS);
                var rb = fb.get(60, TimeUnit.SECONDS);

                var stored = DynamoDbTestSupport.store(dynamo, table).load(cluster);
                assertThat(stored.state().version()).isEqualTo(2);
                // 30 open findings; API has an item only if A (failing) committed before B resolved it.
                assertThat(stored.findings().values().stream().filter(f -> f.status() == FindingStatus.OPEN).count()).isEqualTo(30);
                // Each of the 30 shared failures became NEW exactly once, whoever won.
                long news = List.of(ra, rb).stream().flatMap(r -> r.transitions().stream())
                        .filter(f -> f.transition().type() == TransitionType.NEW && !f.resource().equals(API)).count();
                assertThat(news).isEqualTo(30);
                // The newest observation (B: API fixed) is what stays, in either order.
                var api = stored.findings().get("pods-run-as-non-root#Deployment/payments/api");
                assertThat(api == null || api.status() == FindingStatus.RESOLVED).as("api finding: %s", api).isTrue();
                assertThat(stored.state().lastRunId()).contains("b" + round);
                assertThat(DynamoDbTestSupport.store(dynamo, table).recentRuns(cluster, 5)).hasSize(2);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void commit_lease_of_a_run_that_died_should_block_until_it_expires() {
        var store = DynamoDbTestSupport.store(dynamo, table);
        ledger(dynamo).record(CLUSTER, TAGS, TestRuns.full().fail(PODS, API, "root").build(), run("r1", T0));
        // GIVEN a run that took the commit lease and died
        dynamo.updateItem(b -> b.tableName(table)
                .key(Map.of("pk", AttributeValue.fromS(FindingsTableSchema.partitionKey(CLUSTER)), "sk", AttributeValue.fromS("STATE")))
                .updateExpression("SET commitOwner = :o, commitLeaseUntil = :u, version = version + :one")
                .expressionAttributeValues(Map.of(":o", AttributeValue.fromS("dead-run"),
                        ":u", AttributeValue.fromS(Timestamps.format(T0.plusSeconds(120))), ":one", AttributeValue.fromN("1"))));
        var sleeps = new ArrayList<Duration>();
        var patient = FindingsLedger.builder(store).withClock(clock).withMaxAttempts(3)
                .withBackoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(10), sleeps::add)).build();
        clock.set(T0.plusSeconds(60));

        assertThatThrownBy(() -> patient.record(CLUSTER, TAGS, TestRuns.full().pass(PODS, API).build(), run("r2", T0.plusSeconds(60))))
                .isInstanceOf(ConcurrentRunException.class).hasMessageContaining("dead-run");
        assertThat(sleeps).hasSize(3);

        clock.set(T0.plusSeconds(121));
        var outcome = patient.record(CLUSTER, TAGS, TestRuns.full().pass(PODS, API).build(), run("r3", T0.plusSeconds(121)));
        assertThat(outcome.transitions()).extracting(f -> f.transition().type()).containsExactly(TransitionType.RESOLVED);
        assertThat(store.load(CLUSTER).state().commitLease()).isEmpty();
    }

    @Test
    void transitions_should_keep_attributes_written_by_others() {
        ledger(dynamo).record(CLUSTER, TAGS, TestRuns.full().fail(PODS, API, "root").build(), run("r1", T0));
        dynamo.updateItem(b -> b.tableName(table)
                .key(Map.of("pk", AttributeValue.fromS(FindingsTableSchema.partitionKey(CLUSTER)),
                        "sk", AttributeValue.fromS("FINDING#pods-run-as-non-root#Deployment/payments/api")))
                .updateExpression("SET remediation = :r")
                .expressionAttributeValues(Map.of(":r", AttributeValue.fromS("imds-network-policy applied"))));

        ledger(dynamo).record(CLUSTER, TAGS, TestRuns.full().pass(PODS, API).build(), run("r2", T0.plusSeconds(60)));

        var resolved = item(CLUSTER, "FINDING#pods-run-as-non-root#Deployment/payments/api");
        assertThat(resolved.get(Attr.STATUS).s()).isEqualTo("RESOLVED");
        assertThat(resolved.get(Attr.REMEDIATION).s()).isEqualTo("imds-network-policy applied");
    }

    @Test
    void open_by_severity_index_should_list_open_findings_across_clusters() {
        var other = new ClusterId("444455556666", "us-east-1", "shop-prod");
        ledger(dynamo).record(CLUSTER, TAGS, TestRuns.full().fail(NODES, NODE_1, "hop limit 2").fail(PODS, API, "root").build(), run("r1", T0));
        ledger(dynamo).record(other, Map.of(), new TestRuns.EvaluationBuilder(other, Scope.all())
                .fail(NODES, NODE_1, "hop limit 2").build(), run("r2", T0));
        ledger(dynamo).record(other, Map.of(), new TestRuns.EvaluationBuilder(other, Scope.all()).ran(NODES).build(),
                run("r3", T0.plusSeconds(10)));

        var critical = DynamoDbTestSupport.store(dynamo, table).openFindings(Severity.CRITICAL);

        assertThat(critical).extracting(cf -> cf.cluster().name() + " " + cf.finding().findingKey())
                .containsExactly("shop-dev nodes-imds-hop-limit#Instance/i-0abc1");
        assertThat(DynamoDbTestSupport.store(dynamo, table).openFindings(Severity.MEDIUM)).hasSize(1);
    }

    @Test
    void run_items_should_record_trigger_scopes_counts_and_api_calls() {
        var info = new RunInfo("r1", "change-event", T0, T0.plusMillis(2500), Map.of("ec2:DescribeInstances", 3L, "eks:DescribeCluster", 1L));
        ledger(dynamo).record(CLUSTER, TAGS, TestRuns.scopes(Scope.NODES).fail(NODES, NODE_1, "hop limit 2").build(), info);

        var runs = DynamoDbTestSupport.store(dynamo, table).recentRuns(CLUSTER, 5);

        assertThat(runs).singleElement().satisfies(r -> {
            assertThat(r.info()).isEqualTo(info);
            assertThat(r.scopes()).containsExactly(Scope.NODES);
            assertThat(r.team()).isEqualTo("payments");
            assertThat(r.counts().transitions()).containsEntry(TransitionType.NEW, 1);
            assertThat(r.counts().openBySeverity()).containsEntry(Severity.CRITICAL, 1);
            assertThat(r.expiresAt()).isEqualTo(T0.plus(FindingsLedger.DEFAULT_RUN_RETENTION));
        });
        var raw = item(CLUSTER, "RUN#2025-03-01T10:00:00.000Z#r1");
        assertThat(raw.get(Attr.DURATION_MS).n()).isEqualTo("2500");
        assertThat(raw.get(FindingsTableSchema.TTL).n()).isEqualTo(Long.toString(T0.plus(FindingsLedger.DEFAULT_RUN_RETENTION).getEpochSecond()));
    }
}
