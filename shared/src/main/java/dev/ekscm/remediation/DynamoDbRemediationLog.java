package dev.ekscm.remediation;

import dev.ekscm.findings.FindingStoreException;
import dev.ekscm.findings.FindingsTableSchema;
import dev.ekscm.findings.FindingsTableSchema.Attr;
import dev.ekscm.findings.Timestamps;
import dev.ekscm.model.ClusterId;
import dev.ekscm.remediation.RemediationRecord.Outcome;
import dev.ekscm.remediation.RemediationRecord.Verification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@link RemediationLog} in the findings table (layout: {@link FindingsTableSchema}), next to
 * the cluster's findings:
 *
 * <pre>
 * pk = CLUSTER#&lt;account&gt;#&lt;region&gt;#&lt;name&gt;
 *   sk = REMEDIATION#&lt;at yyyy-MM-ddTHH:mm:ss.SSSZ&gt;#&lt;remediation-id&gt;#&lt;target&gt;   one item per record
 * </pre>
 *
 * Each item holds every field of the record ({@code findingKeys} a list of strings, {@code before}
 * and {@code after} strings as the record has them, {@code verification} when known). Records of
 * changes that undo needs ({@link Outcome#APPLIED}) never expire; all others carry the table's TTL
 * attribute {@code expiresAt} = at + retention.
 *
 * <p>{@link #records} is one Query on {@code begins_with(sk, "REMEDIATION#")}, ascending: oldest
 * first (paged beyond 1 MB). Two records of one target in the same millisecond cannot overwrite
 * each other: the put is conditional on a new key, and on a collision the key's time moves one
 * millisecond later (the record's own {@code at} is stored unchanged), which keeps append order.
 *
 * <p>The engine calls {@link #summarizeOnFindings} with the records
 * {@link Remediator#remediate} returns: the latest record of each finding goes into that finding
 * item's {@link Attr#REMEDIATION} attribute (which reconciliation leaves alone), only when the
 * finding item exists and holds no later record.
 *
 * <p>Construct it on the findings table: {@code new DynamoDbRemediationLog(dynamo, table)} or
 * {@link #fromEnvironment} ({@code FINDINGS_TABLE}). IAM actions used: {@link #IAM_ACTIONS}.
 */
public final class DynamoDbRemediationLog implements RemediationLog {
    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbRemediationLog.class);

    public static final List<String> IAM_ACTIONS = List.of("dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem");

    public static final String SK_PREFIX = "REMEDIATION#";
    /** Value of {@link Attr#ITEM_TYPE} on record items. */
    public static final String TYPE_REMEDIATION = "REMEDIATION";
    /** How long records other than APPLIED are kept (dry-runs, manual steps, failures, reverts). */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

    /** Attribute names of record items and of the finding summary map. */
    public static final class Fields {
        public static final String REMEDIATION_ID = "remediationId";
        public static final String FINDING_KEYS = "findingKeys";
        public static final String MODE = "mode";
        public static final String TARGET = "target";
        public static final String BEFORE = "before";
        public static final String AFTER = "after";
        public static final String OUTCOME = "outcome";
        public static final String REASON = "reason";
        public static final String AT = "at";
        public static final String VERIFICATION = "verification";
        /** In the finding summary: the sort key of the record it summarises. */
        public static final String RECORD_SK = "recordSk";

        private Fields() {
        }
    }

    private static final int KEY_COLLISION_ATTEMPTS = 50;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration retention;

    public DynamoDbRemediationLog(DynamoDbClient dynamo, String table) {
        this(dynamo, table, DEFAULT_RETENTION);
    }

    public DynamoDbRemediationLog(DynamoDbClient dynamo, String table, Duration retention) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
        this.retention = Objects.requireNonNull(retention, "retention");
    }

    /** The table named by {@code FINDINGS_TABLE}. */
    public static DynamoDbRemediationLog fromEnvironment(DynamoDbClient dynamo, Map<String, String> env) {
        String table = env.get(FindingsTableSchema.TABLE_ENV);
        if (table == null || table.isBlank()) {
            throw new IllegalArgumentException(FindingsTableSchema.TABLE_ENV
                    + " is not set: it names the DynamoDB findings table (the SAM template's FindingsTable)");
        }
        return new DynamoDbRemediationLog(dynamo, table.trim());
    }

    public String table() {
        return table;
    }

    /** The sort key of a record (before any collision shift). */
    public static String sortKey(RemediationRecord r) {
        return sortKey(r.at(), r);
    }

    private static String sortKey(Instant keyTime, RemediationRecord r) {
        return SK_PREFIX + Timestamps.format(keyTime) + "#" + r.remediation().id() + "#" + r.target();
    }

    /** One conditional PutItem per record, in order. */
    @Override
    public void append(List<RemediationRecord> records) {
        for (RemediationRecord r : records) {
            put(r);
        }
    }

    private String put(RemediationRecord r) {
        Map<String, AttributeValue> item = item(r);
        Instant keyTime = r.at();
        for (int attempt = 1; ; attempt++) {
            String sk = sortKey(keyTime, r);
            item.put(FindingsTableSchema.SK, s(sk));
            var request = new HashMap<>(item);
            try {
                call("PutItem " + SK_PREFIX, r.cluster(), () -> dynamo.putItem(b -> b.tableName(table).item(request)
                        .conditionExpression("attribute_not_exists(#sk)")
                        .expressionAttributeNames(Map.of("#sk", FindingsTableSchema.SK))));
                return sk;
            } catch (ConditionalCheckFailedException taken) {
                if (attempt >= KEY_COLLISION_ATTEMPTS) {
                    throw new FindingStoreException("DynamoDB PutItem " + SK_PREFIX + " on table " + table + " for cluster "
                            + r.cluster() + ": " + attempt + " records of " + r.key() + " around " + r.at()
                            + " already exist; not recorded: " + r.summary());
                }
                keyTime = keyTime.plusMillis(1);
            }
        }
    }

    private Map<String, AttributeValue> item(RemediationRecord r) {
        var item = new HashMap<String, AttributeValue>();
        item.put(FindingsTableSchema.PK, s(FindingsTableSchema.partitionKey(r.cluster())));
        item.put(Attr.ITEM_TYPE, s(TYPE_REMEDIATION));
        item.put(Attr.CLUSTER, s(r.cluster().key()));
        item.put(Fields.REMEDIATION_ID, s(r.remediation().id()));
        item.put(Fields.FINDING_KEYS, AttributeValue.fromL(r.findingKeys().stream().map(DynamoDbRemediationLog::s).toList()));
        item.put(Fields.MODE, s(r.mode().tagValue()));
        item.put(Fields.TARGET, s(r.target()));
        item.put(Fields.OUTCOME, s(r.outcome().name()));
        item.put(Fields.AT, s(Timestamps.format(r.at())));
        putIfNotEmpty(item, Fields.BEFORE, r.before());
        putIfNotEmpty(item, Fields.AFTER, r.after());
        putIfNotEmpty(item, Fields.REASON, r.reason());
        r.verification().ifPresent(v -> item.put(Fields.VERIFICATION, s(v.name())));
        if (r.outcome() != Outcome.APPLIED) {
            item.put(FindingsTableSchema.TTL, AttributeValue.fromN(Long.toString(r.at().plus(retention).getEpochSecond())));
        }
        return item;
    }

    @Override
    public List<RemediationRecord> records(ClusterId cluster) {
        var out = new ArrayList<RemediationRecord>();
        Map<String, AttributeValue> startKey = null;
        do {
            var request = QueryRequest.builder().tableName(table).consistentRead(true)
                    .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                    .expressionAttributeNames(Map.of("#pk", FindingsTableSchema.PK, "#sk", FindingsTableSchema.SK))
                    .expressionAttributeValues(Map.of(":pk", s(FindingsTableSchema.partitionKey(cluster)),
                            ":prefix", s(SK_PREFIX)))
                    .scanIndexForward(true)
                    .exclusiveStartKey(startKey)
                    .build();
            QueryResponse page = call("Query " + SK_PREFIX, cluster, () -> dynamo.query(request));
            for (var item : page.items()) {
                toRecord(cluster, item).ifPresent(out::add);
            }
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        return out;
    }

    /** A stored record, or empty (logged) when it names a remediation or value this version does not know. */
    static Optional<RemediationRecord> toRecord(ClusterId cluster, Map<String, AttributeValue> item) {
        String sk = str(item, FindingsTableSchema.SK);
        try {
            RemediationId id = RemediationId.parse(str(item, Fields.REMEDIATION_ID)).orElseThrow(() ->
                    new IllegalArgumentException("unknown remediation '" + str(item, Fields.REMEDIATION_ID) + "'"));
            String modeText = str(item, Fields.MODE);
            RemediationMode mode = RemediationMode.ENFORCE.tagValue().equals(modeText) ? RemediationMode.ENFORCE
                    : RemediationMode.DRY_RUN;
            AttributeValue keys = item.get(Fields.FINDING_KEYS);
            List<String> findingKeys = keys == null || !keys.hasL() ? List.of()
                    : keys.l().stream().map(AttributeValue::s).filter(Objects::nonNull).toList();
            Optional<Verification> verification = Optional.ofNullable(item.get(Fields.VERIFICATION))
                    .map(AttributeValue::s).map(Verification::valueOf);
            return Optional.of(new RemediationRecord(cluster, id, findingKeys, mode, str(item, Fields.TARGET),
                    str(item, Fields.BEFORE), str(item, Fields.AFTER), Outcome.valueOf(str(item, Fields.OUTCOME)),
                    str(item, Fields.REASON), Timestamps.parse(str(item, Fields.AT)), verification));
        } catch (RuntimeException e) {
            LOG.warn("cluster {}: remediation record {} skipped: {}", cluster, sk, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Puts the latest of {@code records} of each finding key on that finding item, as the map
     * {@link Attr#REMEDIATION} {outcome, mode, remediationId, target, at, verification, reason,
     * recordSk}: one conditional UpdateItem per finding key. Skipped where the finding item does
     * not exist (a remediation never creates findings) or already holds a later record.
     *
     * @return how many finding items were updated
     */
    public int summarizeOnFindings(List<RemediationRecord> records) {
        var latest = new LinkedHashMap<String, RemediationRecord>();
        for (RemediationRecord r : records) {
            for (String key : r.findingKeys()) {
                String k = r.cluster().key() + "\n" + key;
                RemediationRecord seen = latest.get(k);
                if (seen == null || !r.at().isBefore(seen.at())) {
                    latest.put(k, r);
                }
            }
        }
        int updated = 0;
        for (var e : latest.entrySet()) {
            String findingKey = e.getKey().substring(e.getKey().indexOf('\n') + 1);
            if (summarize(findingKey, e.getValue())) {
                updated++;
            }
        }
        return updated;
    }

    private boolean summarize(String findingKey, RemediationRecord r) {
        var summary = new HashMap<String, AttributeValue>();
        summary.put(Fields.OUTCOME, s(r.outcome().name()));
        summary.put(Fields.MODE, s(r.mode().tagValue()));
        summary.put(Fields.REMEDIATION_ID, s(r.remediation().id()));
        summary.put(Fields.TARGET, s(r.target()));
        summary.put(Fields.AT, s(Timestamps.format(r.at())));
        summary.put(Fields.VERIFICATION, s(r.verification().map(Enum::name).orElse(Verification.NOT_VERIFIED.name())));
        putIfNotEmpty(summary, Fields.REASON, r.reason());
        summary.put(Fields.RECORD_SK, s(sortKey(r)));
        var key = Map.of(FindingsTableSchema.PK, s(FindingsTableSchema.partitionKey(r.cluster())),
                FindingsTableSchema.SK, s(FindingsTableSchema.findingSortKey(findingKey)));
        try {
            call("UpdateItem " + Attr.REMEDIATION, r.cluster(), () -> dynamo.updateItem(b -> b.tableName(table).key(key)
                    .updateExpression("SET #r = :r")
                    .conditionExpression("attribute_exists(#pk) AND (attribute_not_exists(#r) OR #r.#at <= :at)")
                    .expressionAttributeNames(Map.of("#r", Attr.REMEDIATION, "#pk", FindingsTableSchema.PK,
                            "#at", Fields.AT))
                    .expressionAttributeValues(Map.of(":r", AttributeValue.fromM(summary),
                            ":at", s(Timestamps.format(r.at()))))));
            return true;
        } catch (ConditionalCheckFailedException absentOrNewer) {
            return false;
        }
    }

    private <T> T call(String operation, ClusterId cluster, Supplier<T> request) {
        try {
            return request.get();
        } catch (ConditionalCheckFailedException e) {
            throw e;
        } catch (SdkException e) {
            throw new FindingStoreException("DynamoDB " + operation + " on table " + table + " for cluster " + cluster
                    + " failed: " + e.getMessage() + "; check the table exists with the layout of FindingsTableSchema "
                    + "and the role may use it (" + String.join(", ", IAM_ACTIONS) + ")", e);
        }
    }

    private static void putIfNotEmpty(Map<String, AttributeValue> item, String name, String value) {
        if (value != null && !value.isEmpty()) {
            item.put(name, s(value));
        }
    }

    private static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.s() == null ? "" : v.s();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
