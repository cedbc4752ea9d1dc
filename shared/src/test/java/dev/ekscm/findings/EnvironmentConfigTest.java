package dev.ekscm.findings;

import dev.ekscm.alerts.AlertingConfig;
import dev.ekscm.model.Severity;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.Map;

import static dev.ekscm.findings.TestRuns.API;
import static dev.ekscm.findings.TestRuns.CLUSTER;
import static dev.ekscm.findings.TestRuns.NODES;
import static dev.ekscm.findings.TestRuns.NODE_1;
import static dev.ekscm.findings.TestRuns.PODS;
import static dev.ekscm.findings.TestRuns.T0;
import static dev.ekscm.findings.TestRuns.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvironmentConfigTest {
    @Test
    void store_from_environment_should_name_the_missing_variable() {
        DynamoDbClient unused = DynamoDbClient.builder().region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create()).build();

        assertThatThrownBy(() -> DynamoDbFindingStore.fromEnvironment(unused, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FINDINGS_TABLE");
        assertThat(DynamoDbFindingStore.fromEnvironment(unused, Map.of("FINDINGS_TABLE", " ekscm-findings ")).table())
                .isEqualTo("ekscm-findings");
    }

    @Test
    void alert_threshold_should_come_from_ALERT_MIN_SEVERITY() {
        var store = new InMemoryFindingStore();
        var ledger = FindingsLedger.builder(store).withEnvironment(Map.of("ALERT_MIN_SEVERITY", "high")).build();

        var outcome = ledger.record(CLUSTER, Map.of(), TestRuns.full().fail(PODS, API, "root").fail(NODES, NODE_1, "hop").build(),
                run("r1", T0));

        assertThat(outcome.team()).isEqualTo("unassigned");
        assertThat(outcome.pendingAlerts()).extracting(Finding::severity).containsExactly(Severity.CRITICAL);
        assertThatThrownBy(() -> FindingsLedger.builder(store).withEnvironment(Map.of("ALERT_MIN_SEVERITY", "urgent")))
                .hasMessageContaining("ALERT_MIN_SEVERITY").hasMessageContaining("LOW, MEDIUM, HIGH, CRITICAL");
    }

    @Test
    void notifiers_should_be_built_only_for_what_the_environment_configures() {
        var none = AlertingConfig.fromEnvironment(Map.of("ALERTS_TOPIC_ARN", " "));

        assertThat(none.notifiers(() -> {
            throw new AssertionError("no SNS client needed");
        }, () -> {
            throw new AssertionError("no Secrets Manager client needed");
        })).isEmpty();
    }

    @Test
    void record_should_refuse_an_evaluation_of_another_cluster() {
        var ledger = FindingsLedger.builder(new InMemoryFindingStore()).build();
        var other = new dev.ekscm.model.ClusterId("111122223333", "eu-west-1", "other");

        assertThatThrownBy(() -> ledger.record(other, Map.of(), TestRuns.full().build(), run("r1", T0)))
                .hasMessageContaining("'shop-dev'").hasMessageContaining("'other'");
    }
}
