package dev.ekscm.findings;

import dev.ekscm.model.ClusterId;
import dev.ekscm.model.Severity;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.time.Instant;

/**
 * The findings table: the single source of truth for its key names, index and TTL attribute. The SAM
 * template must declare the same {@link #PK}, {@link #SK}, {@link #GSI_OPEN_BY_SEVERITY} (keys
 * {@link #GSI1_PK}, {@link #GSI1_SK}, projection ALL) and TTL attribute {@link #TTL}.
 *
 * <pre>
 * pk = CLUSTER#&lt;account&gt;#&lt;region&gt;#&lt;name&gt;
 *   sk = FINDING#&lt;check-id&gt;#&lt;Kind/namespace/name&gt;   one item per finding
 *   sk = RUN#&lt;yyyy-MM-ddTHH:mm:ss.SSSZ&gt;#&lt;runId&gt;        one item per run (TTL)
 *   sk = STATE                                          version, last runs, leases
 * open-by-severity: gsi1pk = OPEN#&lt;SEVERITY&gt;, gsi1sk = &lt;account&gt;#&lt;region&gt;#&lt;name&gt;#&lt;check-id&gt;#&lt;resource&gt;
 *   (only OPEN findings carry these attributes: a sparse index)
 * </pre>
 */
public final class FindingsTableSchema {
    public static final String TABLE_ENV = "FINDINGS_TABLE";

    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String GSI_OPEN_BY_SEVERITY = "open-by-severity";
    public static final String GSI1_PK = "gsi1pk";
    public static final String GSI1_SK = "gsi1sk";
    /** TTL attribute, epoch seconds: on RESOLVED findings and run items. */
    public static final String TTL = "expiresAt";

    public static final String CLUSTER_PREFIX = "CLUSTER#";
    public static final String FINDING_PREFIX = "FINDING#";
    public static final String RUN_PREFIX = "RUN#";
    public static final String STATE_SK = "STATE";
    public static final String OPEN_PREFIX = "OPEN#";

    /** Item attributes, shared by the three item types where they apply. */
    public static final class Attr {
        public static final String ITEM_TYPE = "itemType";
        public static final String CLUSTER = "cluster";
        // findings
        public static final String CHECK_ID = "checkId";
        public static final String SCOPE = "scope";
        public static final String RESOURCE_KIND = "resourceKind";
        public static final String RESOURCE_NAMESPACE = "resourceNamespace";
        public static final String RESOURCE_NAME = "resourceName";
        public static final String STATUS = "status";
        public static final String SEVERITY = "severity";
        public static final String TITLE = "title";
        public static final String MESSAGE = "message";
        public static final String EVIDENCE = "evidence";
        public static final String FIRST_SEEN = "firstSeen";
        public static final String OPENED_AT = "openedAt";
        public static final String LAST_SEEN = "lastSeen";
        public static final String RESOLVED_AT = "resolvedAt";
        public static final String TIME_TO_RESOLVE_SECONDS = "timeToResolveSeconds";
        public static final String RESOLUTION = "resolution";
        public static final String REOPEN_COUNT = "reopenCount";
        public static final String TRANSITION = "transition";
        public static final String TRANSITION_RUN_ID = "transitionRunId";
        public static final String TRANSITION_AT = "transitionAt";
        public static final String ALERT_STATE = "alertState";
        public static final String ALERT_SENT_TO = "alertSentTo";
        public static final String ALERT_SENT_AT = "alertSentAt";
        public static final String SUPERSEDES = "supersedes";
        /** Written by remediation, never by the ledger (updates keep it). */
        public static final String REMEDIATION = "remediation";
        // runs
        public static final String RUN_ID = "runId";
        public static final String TRIGGER = "trigger";
        public static final String SCOPES = "scopes";
        public static final String STARTED_AT = "startedAt";
        public static final String FINISHED_AT = "finishedAt";
        public static final String DURATION_MS = "durationMs";
        public static final String TEAM = "team";
        public static final String COUNTS = "counts";
        public static final String STALE_CHECKS = "staleChecks";
        public static final String ATTEMPTS = "attempts";
        public static final String RECORDED_AT = "recordedAt";
        public static final String API_CALLS = "apiCalls";
        // state
        public static final String VERSION = "version";
        public static final String LAST_RUN_ID = "lastRunId";
        public static final String LAST_RUN_AT = "lastRunAt";
        public static final String LAST_FULL_RUN_AT = "lastFullRunAt";
        public static final String CHECK_RUNS = "checkRuns";
        public static final String OPEN_BY_SEVERITY = "openBySeverity";
        public static final String EXEMPT_COUNT = "exemptCount";
        public static final String UPDATED_AT = "updatedAt";
        public static final String COMMIT_OWNER = "commitOwner";
        public static final String COMMIT_LEASE_UNTIL = "commitLeaseUntil";
        public static final String ALERT_LEASE_OWNER = "alertLeaseOwner";
        public static final String ALERT_LEASE_UNTIL = "alertLeaseUntil";
        public static final String ALERT_SEQ = "alertSeq";

        private Attr() {
        }
    }

    /** Values of {@link Attr#ITEM_TYPE}. */
    public static final String TYPE_FINDING = "FINDING";
    public static final String TYPE_RUN = "RUN";
    public static final String TYPE_STATE = "STATE";

    private FindingsTableSchema() {
    }

    public static String partitionKey(ClusterId cluster) {
        return CLUSTER_PREFIX + cluster.key();
    }

    /** The cluster of a partition key, inverse of {@link #partitionKey}. */
    public static ClusterId clusterOf(String partitionKey) {
        if (!partitionKey.startsWith(CLUSTER_PREFIX)) {
            throw new IllegalArgumentException("not a cluster partition key: " + partitionKey);
        }
        String[] parts = partitionKey.substring(CLUSTER_PREFIX.length()).split("#", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a cluster partition key: " + partitionKey);
        }
        return new ClusterId(parts[0], parts[1], parts[2]);
    }

    public static String findingSortKey(String findingKey) {
        return FINDING_PREFIX + findingKey;
    }

    public static String runSortKey(Instant startedAt, String runId) {
        return RUN_PREFIX + Timestamps.format(startedAt) + "#" + runId;
    }

    public static String openIndexKey(Severity severity) {
        return OPEN_PREFIX + severity.name();
    }

    public static String openIndexSortKey(ClusterId cluster, String findingKey) {
        return cluster.key() + "#" + findingKey;
    }

    /** On-demand table with the keys, the sparse index and nothing else (TTL is a separate call). */
    public static CreateTableRequest createTableRequest(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName(PK).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(SK).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(GSI1_PK).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(GSI1_SK).attributeType(ScalarAttributeType.S).build())
                .keySchema(
                        KeySchemaElement.builder().attributeName(PK).keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName(SK).keyType(KeyType.RANGE).build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName(GSI_OPEN_BY_SEVERITY)
                        .keySchema(
                                KeySchemaElement.builder().attributeName(GSI1_PK).keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName(GSI1_SK).keyType(KeyType.RANGE).build())
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                        .build())
                .build();
    }

    /**
     * Creates the table with its index and TTL unless it exists; waits until it is active. For tests,
     * the emulator and {@code ekscm scan --state-table} against a local endpoint; in AWS the SAM
     * template creates it.
     *
     * @return true when it created the table
     */
    public static boolean createIfAbsent(DynamoDbClient dynamo, String tableName) {
        try {
            dynamo.describeTable(b -> b.tableName(tableName));
            return false;
        } catch (ResourceNotFoundException absent) {
            dynamo.createTable(createTableRequest(tableName));
            dynamo.waiter().waitUntilTableExists(b -> b.tableName(tableName));
            dynamo.updateTimeToLive(b -> b.tableName(tableName)
                    .timeToLiveSpecification(t -> t.enabled(true).attributeName(TTL)));
            return true;
        }
    }
}
