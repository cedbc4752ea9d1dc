package dev.ekscm.remediation;

import dev.ekscm.findings.DynamoDbTestSupport;
import dev.ekscm.findings.FindingsTableSchema;
import dev.ekscm.findings.FindingsTableSchema.Attr;
import dev.ekscm.model.ClusterId;
import dev.ekscm.remediation.RemediationRecord.Outcome;
import dev.ekscm.remediation.RemediationRecord.Verification;
import dev.ekscm.testing.MotoServer;
import dev.ekscm.testing.MotoServerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The remediation log in the findings table, against moto. */
@ExtendWith(MotoServerExtension.class)
class DynamoDbRemediationLogTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final ClusterId DEV = new ClusterId("111122223333", "eu-west-1", "shop-dev");
    private static final ClusterId PROD = new ClusterId("111122223333", "eu-west-1", "shop-prod");
    private static final String BEFORE = "HttpTokens=optional, HttpPutResponseHopLimit=2, HttpEndpoint=enabled";
    private static final String AFTER = "HttpTokens=required, HttpPutResponseHopLimit=1, HttpEndpoint=enabled";
    private static final String FINDING = "node-imds-v2-hop-limit#Instance/i-0abc";

    private DynamoDbClient dynamo;
    private String table;
    private DynamoDbRemediationLog log;

    @BeforeEach
    void setUp(MotoServer moto) {
        dynamo = DynamoDbTestSupport.client(moto);
        table = DynamoDbTestSupport.newTable(dynamo);
        log = new DynamoDbRemediationLog(dynamo, table, Duration.ofDays(7));
    }

    private static RemediationRecord hopLimit(ClusterId cluster, String instance, Outcome outcome, RemediationMode mode,
                                              Instant at) {
        return new RemediationRecord(cluster, RemediationId.IMDS_HOP_LIMIT,
                List.of("node-imds-v2-hop-limit#Instance/" + instance), mode, "Instance/" + instance, BEFORE, AFTER,
                outcome, "ModifyInstanceMetadataOptions", at, outcome == Outcome.APPLIED
                ? Optional.of(Verification.VERIFIED) : Optional.empty());
    }

    private Map<String, AttributeValue> item(ClusterId cluster, String sk) {
        return dynamo.getItem(b -> b.tableName(table).consistentRead(true).key(Map.of(
                FindingsTableSchema.PK, AttributeValue.fromS(FindingsTableSchema.partitionKey(cluster)),
                FindingsTableSchema.SK, AttributeValue.fromS(sk)))).item();
    }

    private void putFinding(ClusterId cluster, String findingKey) {
        dynamo.putItem(b -> b.tableName(table).item(Map.of(
                FindingsTableSchema.PK, AttributeValue.fromS(FindingsTableSchema.partitionKey(cluster)),
                FindingsTableSchema.SK, AttributeValue.fromS(FindingsTableSchema.findingSortKey(findingKey)),
                Attr.ITEM_TYPE, AttributeValue.fromS(FindingsTableSchema.TYPE_FINDING),
                Attr.STATUS, AttributeValue.fromS("OPEN"))));
    }

    @Test
    void records_should_round_trip_every_field_oldest_first_and_per_cluster() {
        // GIVEN records appended out of time order, in two clusters
        var applied = hopLimit(DEV, "i-0abc", Outcome.APPLIED, RemediationMode.ENFORCE, T0.plusSeconds(60));
        var dryRun = hopLimit(DEV, "i-0abc", Outcome.DRY_RUN, RemediationMode.DRY_RUN, T0);
        var policy = new RemediationRecord(DEV, RemediationId.IMDS_NETWORK_POLICY,
                List.of("pods-cannot-reach-instance-metadata#Deployment/shop/cart",
                        "pods-cannot-reach-instance-metadata#Deployment/shop/checkout"),
                RemediationMode.ENFORCE, "NetworkPolicy/shop/ekscm-deny-instance-metadata", RemediationRecord.ABSENT,
                "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n", Outcome.APPLIED, "created", T0.plusSeconds(30),
                Optional.of(Verification.STILL_FAILING));
        var other = hopLimit(PROD, "i-0def", Outcome.APPLIED, RemediationMode.ENFORCE, T0);
        log.append(List.of(applied, dryRun, policy, other));

        // WHEN read back
        var records = log.records(DEV);

        // THEN exactly the cluster's records, oldest first, equal to what was appended
        assertThat(records).containsExactly(dryRun, policy, applied);
        assertThat(log.records(PROD)).containsExactly(other);
        assertThat(log.records(new ClusterId("111122223333", "eu-west-1", "nothing"))).isEmpty();
    }

    @Test
    void items_should_use_the_documented_key_and_keep_applied_records_without_ttl() {
        var applied = hopLimit(DEV, "i-0abc", Outcome.APPLIED, RemediationMode.ENFORCE, T0);
        var dryRun = hopLimit(DEV, "i-0abd", Outcome.DRY_RUN, RemediationMode.DRY_RUN, T0);
        log.append(List.of(applied, dryRun));

        var appliedItem = item(DEV, "REMEDIATION#2026-11-27T10:00:00.000Z#imds-hop-limit#Instance/i-0abc");
        assertThat(appliedItem).isNotEmpty().doesNotContainKey(FindingsTableSchema.TTL);
        assertThat(appliedItem.get(Attr.ITEM_TYPE).s()).isEqualTo("REMEDIATION");
        assertThat(appliedItem.get("before").s()).isEqualTo(BEFORE);
        assertThat(appliedItem.get("after").s()).isEqualTo(AFTER);
        assertThat(appliedItem.get("findingKeys").l()).extracting(AttributeValue::s).containsExactly(FINDING);
        assertThat(appliedItem.get("outcome").s()).isEqualTo("APPLIED");
        assertThat(appliedItem.get("mode").s()).isEqualTo("enforce");
        assertThat(appliedItem.get("verification").s()).isEqualTo("VERIFIED");

        var dryRunItem = item(DEV, "REMEDIATION#2026-11-27T10:00:00.000Z#imds-hop-limit#Instance/i-0abd");
        assertThat(dryRunItem.get(FindingsTableSchema.TTL).n())
                .isEqualTo(Long.toString(T0.plus(Duration.ofDays(7)).getEpochSecond()));
        assertThat(dryRunItem).doesNotContainKey("verification");
    }

    @Test
    void two_records_of_one_target_in_one_millisecond_should_both_be_kept_in_append_order() {
        // GIVEN apply then undo with a clock that did not move (fixed clocks, or one fast call after another)
        var applied = hopLimit(DEV, "i-0abc", Outcome.APPLIED, RemediationMode.ENFORCE, T0);
        var reverted = new RemediationRecord(DEV, RemediationId.IMDS_HOP_LIMIT, applied.findingKeys(),
                RemediationMode.ENFORCE, applied.target(), AFTER, BEFORE, Outcome.REVERTED, "restored", T0, Optional.empty());
        log.append(List.of(applied));
        log.append(List.of(reverted));

        // THEN the later record did not overwrite the earlier one, and reads back after it with its own time
        assertThat(log.records(DEV)).containsExactly(applied, reverted);
        assertThat(item(DEV, "REMEDIATION#2026-11-27T10:00:00.001Z#imds-hop-limit#Instance/i-0abc").get("at").s())
                .isEqualTo("2026-11-27T10:00:00.000Z");
    }

    @Test
    void records_should_page_through_a_long_history() {
        // ~1.1 MB of records: more than one Query page
        String big = "x".repeat(20_000);
        var many = new java.util.ArrayList<RemediationRecord>();
        for (int i = 0; i < 60; i++) {
            many.add(new RemediationRecord(DEV, RemediationId.IMDS_NETWORK_POLICY, List.of(), RemediationMode.DRY_RUN,
                    "NetworkPolicy/ns-" + i + "/ekscm-deny-instance-metadata", big, big, Outcome.DRY_RUN, "", T0.plusSeconds(i),
                    Optional.empty()));
        }
        log.append(many);

        assertThat(log.records(DEV)).hasSize(60).extracting(RemediationRecord::target).first()
                .isEqualTo("NetworkPolicy/ns-0/ekscm-deny-instance-metadata");
    }

    @Test
    void summarizeOnFindings_should_put_the_latest_record_on_existing_findings_only() {
        // GIVEN one finding item exists, the other finding key has no item
        putFinding(DEV, FINDING);
        var dryRun = hopLimit(DEV, "i-0abc", Outcome.DRY_RUN, RemediationMode.DRY_RUN, T0);
        var applied = hopLimit(DEV, "i-0abc", Outcome.APPLIED, RemediationMode.ENFORCE, T0.plusSeconds(5));
        var noItem = hopLimit(DEV, "i-0zzz", Outcome.APPLIED, RemediationMode.ENFORCE, T0);

        // WHEN both records of the finding are summarised (latest wins), and the one without an item
        int updated = log.summarizeOnFindings(List.of(applied, dryRun, noItem));

        // THEN only the existing finding got the summary of its latest record; no finding item was created
        assertThat(updated).isEqualTo(1);
        var summary = item(DEV, FindingsTableSchema.findingSortKey(FINDING)).get(Attr.REMEDIATION).m();
        assertThat(summary.get("outcome").s()).isEqualTo("APPLIED");
        assertThat(summary.get("mode").s()).isEqualTo("enforce");
        assertThat(summary.get("target").s()).isEqualTo("Instance/i-0abc");
        assertThat(summary.get("verification").s()).isEqualTo("VERIFIED");
        assertThat(summary.get("at").s()).isEqualTo("2026-11-27T10:00:05.000Z");
        assertThat(summary.get("recordSk").s()).isEqualTo(DynamoDbRemediationLog.sortKey(applied));
        assertThat(item(DEV, FindingsTableSchema.findingSortKey("node-imds-v2-hop-limit#Instance/i-0zzz"))).isEmpty();
        assertThat(item(DEV, FindingsTableSchema.findingSortKey(FINDING)).get(Attr.STATUS).s()).isEqualTo("OPEN");

        // AND an older record summarised later does not replace it
        assertThat(log.summarizeOnFindings(List.of(dryRun))).isZero();
        assertThat(item(DEV, FindingsTableSchema.findingSortKey(FINDING)).get(Attr.REMEDIATION).m().get("outcome").s())
                .isEqualTo("APPLIED");
    }

    @Test
    void a_missing_table_should_fail_with_the_table_and_cluster_named() {
        var missing = new DynamoDbRemediationLog(dynamo, "no-such-table");
        assertThatThrownBy(() -> missing.records(DEV)).hasMessageContaining("no-such-table")
                .hasMessageContaining("shop-dev").hasMessageContaining("dynamodb:Query");
    }

    @Test
    void records_should_be_readable_by_another_instance_for_undo() {
        // GIVEN a record written by one log instance (the deployed monitor)
        log.append(List.of(hopLimit(DEV, "i-0abc", Outcome.APPLIED, RemediationMode.ENFORCE, T0)));

        // WHEN another instance (the CLI) reads it
        var records = new DynamoDbRemediationLog(dynamo, table).records(DEV);

        // THEN it has the previous settings undo restores
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.before()).isEqualTo(BEFORE);
            assertThat(MetadataOptionsText.parse(r.before()).effectiveHopLimit()).isEqualTo(2);
        });
    }

    @Test
    void fromEnvironment_should_name_the_variable_when_it_is_missing() {
        assertThatThrownBy(() -> DynamoDbRemediationLog.fromEnvironment(dynamo, Map.of()))
                .hasMessageContaining("FINDINGS_TABLE");
        assertThat(DynamoDbRemediationLog.fromEnvironment(dynamo, Map.of("FINDINGS_TABLE", " t ")).table()).isEqualTo("t");
    }
}
