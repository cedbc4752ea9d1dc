package dev.ekscm.findings;

import dev.ekscm.findings.FindingsTableSchema.Attr;
import dev.ekscm.model.ClusterId;
import dev.ekscm.model.Severity;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

import static dev.ekscm.findings.FindingItems.n;
import static dev.ekscm.findings.FindingItems.s;
import static dev.ekscm.findings.FindingItems.time;

/**
 * The findings table in DynamoDB (layout: {@link FindingsTableSchema}), through the low-level client.
 *
 * <p>Costs per run: one strongly consistent Query of the cluster's partition (run items are filtered
 * out server side; it pages only beyond 1 MB). A run without transitions writes two items: a
 * conditional UpdateItem of STATE and a PutItem of its run item. A run with up to 99 transitions writes
 * them and STATE in one TransactWriteItems (STATE conditional on the version read), then the run item.
 * Beyond that, it first takes a commit lease on STATE (conditional on the version read), writes the
 * transitions in transactions of 99 plus a check that it still holds the lease, then finalises STATE
 * and releases the lease. A run that finds the lease held waits and re-reads; a run that dies holding
 * it leaves complete, individually consistent finding items, and the next run's reconciliation
 * recomputes whatever it had not written once the lease expires.
 *
 * <p>Throttling, transaction conflicts and 5xx are retried with backoff; a failed condition on STATE
 * becomes {@link ConcurrentRunException}; other errors become {@link FindingStoreException} naming the
 * operation, table and cluster.
 */
public final class DynamoDbFindingStore implements FindingStore {
    static final int MAX_TRANSACTION_ITEMS = 100;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Backoff backoff;
    private final int maxAttempts;
    private final int maxTransactionItems;

    public DynamoDbFindingStore(DynamoDbClient dynamo, String table) {
        this(dynamo, table, Backoff.standard(Sleeper.REAL), 8);
    }

    public DynamoDbFindingStore(DynamoDbClient dynamo, String table, Backoff backoff, int maxAttempts) {
        this(dynamo, table, backoff, maxAttempts, MAX_TRANSACTION_ITEMS);
    }

    /** A smaller transaction size lets tests exercise the chunked commit without hundreds of items. */
    DynamoDbFindingStore(DynamoDbClient dynamo, String table, Backoff backoff, int maxAttempts, int maxTransactionItems) {
        if (maxTransactionItems < 2 || maxTransactionItems > MAX_TRANSACTION_ITEMS) {
            throw new IllegalArgumentException("maxTransactionItems must be between 2 and " + MAX_TRANSACTION_ITEMS);
        }
        this.maxTransactionItems = maxTransactionItems;
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.maxAttempts = maxAttempts;
    }

    /** The table named by {@code FINDINGS_TABLE}. */
    public static DynamoDbFindingStore fromEnvironment(DynamoDbClient dynamo, Map<String, String> env) {
        String table = env.get(FindingsTableSchema.TABLE_ENV);
        if (table == null || table.isBlank()) {
            throw new IllegalArgumentException(FindingsTableSchema.TABLE_ENV
                    + " is not set: it names the DynamoDB findings table (the SAM template's FindingsTable)");
        }
        return new DynamoDbFindingStore(dynamo, table.trim());
    }

    public String table() {
        return table;
    }

    @Override
    public ClusterRecord load(ClusterId cluster) {
        var findings = new HashMap<String, Finding>();
        ClusterState state = ClusterState.initial();
        Map<String, AttributeValue> startKey = null;
        do {
            var request = QueryRequest.builder()
                    .tableName(table)
                    .consistentRead(true)
                    .keyConditionExpression("#pk = :pk")
                    .filterExpression("#type <> :run")
                    .expressionAttributeNames(Map.of("#pk", FindingsTableSchema.PK, "#type", Attr.ITEM_TYPE))
                    .expressionAttributeValues(Map.of(":pk", s(FindingsTableSchema.partitionKey(cluster)),
                            ":run", s(FindingsTableSchema.TYPE_RUN)))
                    .exclusiveStartKey(startKey)
                    .build();
            QueryResponse page = call("Query", cluster, () -> dynamo.query(request));
            for (var item : page.items()) {
                String sk = item.get(FindingsTableSchema.SK).s();
                if (sk.equals(FindingsTableSchema.STATE_SK)) {
                    state = FindingItems.toState(item);
                } else if (sk.startsWith(FindingsTableSchema.FINDING_PREFIX)) {
                    Finding f = FindingItems.toFinding(item);
                    findings.put(f.findingKey(), f);
                }
            }
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        return new ClusterRecord(cluster, findings, state);
    }

    @Override
    public void commit(ClusterId cluster, Commit commit) {
        var writes = commit.writes().stream()
                .map(w -> TransactWriteItem.builder().update(findingUpdate(cluster, w)).build())
                .toList();
        if (writes.isEmpty()) {
            var u = FindingItems.stateUpdate(cluster, commit.newState())
                    .remove(Attr.COMMIT_OWNER).remove(Attr.COMMIT_LEASE_UNTIL);
            String condition = versionAndLeaseCondition(u, commit);
            conditionalUpdate("UpdateItem STATE", cluster, stateRequest(cluster, u, condition),
                    "STATE moved past version " + commit.expectedVersion());
        } else if (writes.size() < maxTransactionItems) {
            var u = FindingItems.stateUpdate(cluster, commit.newState())
                    .remove(Attr.COMMIT_OWNER).remove(Attr.COMMIT_LEASE_UNTIL);
            String condition = versionAndLeaseCondition(u, commit);
            var items = new ArrayList<>(writes);
            items.add(TransactWriteItem.builder().update(stateUpdateOp(cluster, u, condition)).build());
            transact(cluster, items, "STATE moved past version " + commit.expectedVersion());
        } else {
            commitWithLease(cluster, commit, writes);
        }
        call("PutItem RUN", cluster, () -> dynamo.putItem(b -> b.tableName(table).item(FindingItems.runItem(commit.run()))));
    }

    /** More writes than one transaction holds: lease STATE, write in chunks that re-check the lease, finalise. */
    private void commitWithLease(ClusterId cluster, Commit commit, List<TransactWriteItem> writes) {
        var lock = new UpdateExpr()
                .set(Attr.ITEM_TYPE, s(FindingsTableSchema.TYPE_STATE))
                .set(Attr.CLUSTER, s(cluster.key()))
                .set(Attr.VERSION, n(commit.newState().version()))
                .set(Attr.COMMIT_OWNER, s(commit.owner()))
                .set(Attr.COMMIT_LEASE_UNTIL, time(commit.commitLeaseUntil()));
        String lockCondition = versionAndLeaseCondition(lock, commit);
        conditionalUpdate("UpdateItem STATE (commit lease)", cluster, stateRequest(cluster, lock, lockCondition),
                "STATE moved past version " + commit.expectedVersion());

        var check = new UpdateExpr();
        String owned = check.name(Attr.COMMIT_OWNER) + " = " + check.value(s(commit.owner()));
        var stillOwned = TransactWriteItem.builder().conditionCheck(ConditionCheck.builder()
                .tableName(table).key(FindingItems.stateKey(cluster)).conditionExpression(owned)
                .expressionAttributeNames(check.names()).expressionAttributeValues(check.values()).build()).build();
        int chunk = maxTransactionItems - 1;
        for (int from = 0; from < writes.size(); from += chunk) {
            var items = new ArrayList<>(writes.subList(from, Math.min(writes.size(), from + chunk)));
            items.add(stillOwned);
            transact(cluster, items, "run " + commit.owner() + " lost its commit lease (it expired)");
        }

        var fin = FindingItems.stateUpdate(cluster, commit.newState())
                .remove(Attr.COMMIT_OWNER).remove(Attr.COMMIT_LEASE_UNTIL);
        String finCondition = fin.name(Attr.COMMIT_OWNER) + " = " + fin.value(s(commit.owner()));
        conditionalUpdate("UpdateItem STATE (finalise)", cluster, stateRequest(cluster, fin, finCondition),
                "run " + commit.owner() + " lost its commit lease (it expired)");
    }

    private String versionAndLeaseCondition(UpdateExpr u, Commit commit) {
        String version = commit.expectedVersion() == 0
                ? "attribute_not_exists(" + u.name(Attr.VERSION) + ")"
                : u.name(Attr.VERSION) + " = " + u.value(n(commit.expectedVersion()));
        String owner = u.name(Attr.COMMIT_OWNER);
        String lease = "(attribute_not_exists(" + owner + ") OR " + u.name(Attr.COMMIT_LEASE_UNTIL) + " <= "
                + u.value(time(commit.now())) + " OR " + owner + " = " + u.value(s(commit.owner())) + ")";
        return version + " AND " + lease;
    }

    private Update findingUpdate(ClusterId cluster, FindingWrite w) {
        var u = w.transition() ? FindingItems.transitionUpdate(cluster, w.finding())
                : FindingItems.contentUpdate(cluster, w.finding());
        var b = Update.builder().tableName(table).key(FindingItems.findingKey(cluster, w.finding().findingKey()));
        if (!w.transition()) {
            // A refresh never creates an item: if it vanished meanwhile, the next run sees that and reports NEW.
            b.conditionExpression("attribute_exists(" + u.name(FindingsTableSchema.PK) + ")");
        }
        return b.updateExpression(u.expression()).expressionAttributeNames(u.names())
                .expressionAttributeValues(u.values()).build();
    }

    private Update stateUpdateOp(ClusterId cluster, UpdateExpr u, String condition) {
        return Update.builder().tableName(table).key(FindingItems.stateKey(cluster))
                .updateExpression(u.expression()).conditionExpression(condition)
                .expressionAttributeNames(u.names()).expressionAttributeValues(u.values()).build();
    }

    private UpdateItemRequest stateRequest(ClusterId cluster, UpdateExpr u, String condition) {
        return UpdateItemRequest.builder().tableName(table).key(FindingItems.stateKey(cluster))
                .updateExpression(u.expression()).conditionExpression(condition)
                .expressionAttributeNames(u.names()).expressionAttributeValues(u.values()).build();
    }

    private void conditionalUpdate(String operation, ClusterId cluster, UpdateItemRequest request, String conflict) {
        try {
            call(operation, cluster, () -> dynamo.updateItem(request));
        } catch (ConditionalCheckFailedException e) {
            throw new ConcurrentRunException("cluster " + cluster + ": " + conflict);
        }
    }

    private void transact(ClusterId cluster, List<TransactWriteItem> items, String conflict) {
        try {
            call("TransactWriteItems", cluster, () -> dynamo.transactWriteItems(b -> b.transactItems(items)));
        } catch (TransactionCanceledException e) {
            throw new ConcurrentRunException("cluster " + cluster + ": " + conflict + " (" + reasons(e) + ")");
        }
    }

    @Override
    public boolean acquireAlertLease(ClusterId cluster, String owner, long expectedAlertSeq, Instant now, Instant until) {
        var u = new UpdateExpr()
                .set(Attr.ALERT_LEASE_OWNER, s(owner))
                .set(Attr.ALERT_LEASE_UNTIL, time(until))
                .set(Attr.ALERT_SEQ, n(expectedAlertSeq + 1));
        String seq = expectedAlertSeq == 0 ? "attribute_not_exists(" + u.name(Attr.ALERT_SEQ) + ")"
                : u.name(Attr.ALERT_SEQ) + " = " + u.value(n(expectedAlertSeq));
        String condition = "attribute_exists(" + u.name(Attr.VERSION) + ") AND " + seq
                + " AND (attribute_not_exists(" + u.name(Attr.ALERT_LEASE_OWNER) + ") OR "
                + u.name(Attr.ALERT_LEASE_UNTIL) + " < " + u.value(time(now)) + ")";
        try {
            call("UpdateItem STATE (alert lease)", cluster, () -> dynamo.updateItem(stateRequest(cluster, u, condition)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public int markSent(ClusterId cluster, List<AlertMark> marks) {
        int applied = 0;
        for (int from = 0; from < marks.size(); from += maxTransactionItems) {
            applied += markChunk(cluster, new ArrayList<>(marks.subList(from, Math.min(marks.size(), from + maxTransactionItems))));
        }
        return applied;
    }

    private int markChunk(ClusterId cluster, List<AlertMark> chunk) {
        while (!chunk.isEmpty()) {
            if (chunk.size() == 1) {
                try {
                    var op = markOp(cluster, chunk.get(0));
                    call("UpdateItem alert mark", cluster, () -> dynamo.updateItem(UpdateItemRequest.builder()
                            .tableName(op.tableName()).key(op.key()).updateExpression(op.updateExpression())
                            .conditionExpression(op.conditionExpression()).expressionAttributeNames(op.expressionAttributeNames())
                            .expressionAttributeValues(op.expressionAttributeValues()).build()));
                    return 1;
                } catch (ConditionalCheckFailedException superseded) {
                    return 0;
                }
            }
            var items = chunk.stream().map(m -> TransactWriteItem.builder().update(markOp(cluster, m)).build()).toList();
            try {
                call("TransactWriteItems alert marks", cluster, () -> dynamo.transactWriteItems(b -> b.transactItems(items)));
                return chunk.size();
            } catch (TransactionCanceledException e) {
                // Marks whose transition was superseded meanwhile are dropped; the rest are written again.
                var reasons = e.cancellationReasons();
                var keep = new ArrayList<AlertMark>();
                for (int i = 0; i < chunk.size(); i++) {
                    String code = i < reasons.size() ? reasons.get(i).code() : "None";
                    if (!"ConditionalCheckFailed".equals(code)) {
                        keep.add(chunk.get(i));
                    }
                }
                if (keep.size() == chunk.size()) {
                    throw new FindingStoreException("DynamoDB TransactWriteItems (alert marks) on table " + table
                            + " for cluster " + cluster + " was cancelled: " + reasons(e));
                }
                chunk = keep;
            }
        }
        return 0;
    }

    private Update markOp(ClusterId cluster, AlertMark m) {
        var u = new UpdateExpr()
                .add(Attr.ALERT_SENT_TO, AttributeValue.fromSs(List.of(m.notifier())))
                .set(Attr.ALERT_STATE, s((m.complete() ? AlertState.SENT : AlertState.PENDING).name()));
        if (m.complete()) {
            u.set(Attr.ALERT_SENT_AT, time(m.at()));
        }
        String condition = u.name(Attr.TRANSITION_RUN_ID) + " = " + u.value(s(m.transitionRunId()))
                + " AND " + u.name(Attr.ALERT_STATE) + " = " + u.value(s(AlertState.PENDING.name()));
        return Update.builder().tableName(table).key(FindingItems.findingKey(cluster, m.findingKey()))
                .updateExpression(u.expression()).conditionExpression(condition)
                .expressionAttributeNames(u.names()).expressionAttributeValues(u.values()).build();
    }

    @Override
    public void releaseAlertLease(ClusterId cluster, String owner) {
        var u = new UpdateExpr().remove(Attr.ALERT_LEASE_OWNER).remove(Attr.ALERT_LEASE_UNTIL);
        String condition = u.name(Attr.ALERT_LEASE_OWNER) + " = " + u.value(s(owner));
        try {
            call("UpdateItem STATE (alert lease release)", cluster, () -> dynamo.updateItem(stateRequest(cluster, u, condition)));
        } catch (ConditionalCheckFailedException expiredAndTaken) {
            // Another run took the expired lease: it is theirs to release.
        }
    }

    @Override
    public List<ClusterFinding> openFindings(Severity severity) {
        var out = new ArrayList<ClusterFinding>();
        Map<String, AttributeValue> startKey = null;
        do {
            var request = QueryRequest.builder().tableName(table).indexName(FindingsTableSchema.GSI_OPEN_BY_SEVERITY)
                    .keyConditionExpression("#g = :g")
                    .expressionAttributeNames(Map.of("#g", FindingsTableSchema.GSI1_PK))
                    .expressionAttributeValues(Map.of(":g", s(FindingsTableSchema.openIndexKey(severity))))
                    .exclusiveStartKey(startKey).build();
            QueryResponse page = call("Query " + FindingsTableSchema.GSI_OPEN_BY_SEVERITY, null, () -> dynamo.query(request));
            for (var item : page.items()) {
                out.add(new ClusterFinding(FindingsTableSchema.clusterOf(item.get(FindingsTableSchema.PK).s()),
                        FindingItems.toFinding(item)));
            }
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        return out;
    }

    @Override
    public List<RunRecord> recentRuns(ClusterId cluster, int limit) {
        var request = QueryRequest.builder().tableName(table)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :run)")
                .expressionAttributeNames(Map.of("#pk", FindingsTableSchema.PK, "#sk", FindingsTableSchema.SK))
                .expressionAttributeValues(Map.of(":pk", s(FindingsTableSchema.partitionKey(cluster)),
                        ":run", s(FindingsTableSchema.RUN_PREFIX)))
                .scanIndexForward(false).limit(limit).build();
        return call("Query runs", cluster, () -> dynamo.query(request)).items().stream().map(FindingItems::toRun).toList();
    }

    /**
     * Runs one API call, retrying throttling, transaction conflicts, 5xx and client (I/O) errors with
     * backoff. Conditional failures and cancelled transactions whose cause is a failed condition go to
     * the caller as they are.
     */
    private <T> T call(String operation, ClusterId cluster, Supplier<T> request) {
        for (int attempt = 1; ; attempt++) {
            try {
                return request.get();
            } catch (ConditionalCheckFailedException e) {
                throw e;
            } catch (TransactionCanceledException e) {
                if (conditionFailed(e)) {
                    throw e;
                }
                if (!retryable(e) || attempt >= maxAttempts) {
                    throw failure(operation, cluster, attempt, reasons(e), e);
                }
            } catch (DynamoDbException e) {
                if (!retryable(e) || attempt >= maxAttempts) {
                    throw failure(operation, cluster, attempt, errorOf(e), e);
                }
            } catch (SdkClientException e) {
                if (attempt >= maxAttempts) {
                    throw failure(operation, cluster, attempt, e.getMessage(), e);
                }
            }
            backoff.pause(attempt);
        }
    }

    private FindingStoreException failure(String operation, ClusterId cluster, int attempts, String what, Exception cause) {
        return new FindingStoreException("DynamoDB " + operation + " on table " + table
                + (cluster == null ? "" : " for cluster " + cluster) + " failed after " + attempts + " attempt(s): " + what
                + "; check the table exists with the layout of FindingsTableSchema and the role may use it", cause);
    }

    private static boolean retryable(DynamoDbException e) {
        return e instanceof ProvisionedThroughputExceededException
                || e instanceof RequestLimitExceededException
                || e instanceof TransactionConflictException
                || e instanceof InternalServerErrorException
                || e.isThrottlingException()
                || e.statusCode() >= 500;
    }

    private static final Set<String> RETRYABLE_REASONS = Set.of("None", "TransactionConflict", "ThrottlingError",
            "ProvisionedThroughputExceeded", "RequestLimitExceeded", "InternalServerError");

    private static boolean retryable(TransactionCanceledException e) {
        return e.hasCancellationReasons() && e.cancellationReasons().stream()
                .map(CancellationReason::code).allMatch(c -> c == null || RETRYABLE_REASONS.contains(c));
    }

    private static boolean conditionFailed(TransactionCanceledException e) {
        return e.hasCancellationReasons() && e.cancellationReasons().stream()
                .anyMatch(r -> "ConditionalCheckFailed".equals(r.code()));
    }

    private static String reasons(TransactionCanceledException e) {
        if (!e.hasCancellationReasons()) {
            return errorOf(e);
        }
        var codes = new ArrayList<String>();
        for (int i = 0; i < e.cancellationReasons().size(); i++) {
            String code = e.cancellationReasons().get(i).code();
            if (code != null && !code.equals("None")) {
                codes.add("item " + i + ": " + code);
            }
        }
        return "transaction cancelled (" + String.join(", ", codes) + ")";
    }

    private static String errorOf(DynamoDbException e) {
        var details = e.awsErrorDetails();
        return details == null ? e.getClass().getSimpleName() + ": " + e.getMessage()
                : details.errorCode() + ": " + details.errorMessage();
    }
}
