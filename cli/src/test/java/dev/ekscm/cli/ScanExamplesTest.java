package dev.ekscm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.ekscm.checks.CheckCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI end to end over the bundled examples: exit codes, the JSON contract, SARIF validity. */
class ScanExamplesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CATALOG_SIZE = CheckCatalog.builtIn().all().size();

    private static CliRunner scan(String example, String... more) {
        var args = new java.util.ArrayList<>(java.util.List.of("scan", "--manifests", CliRunner.example(example, "manifests"),
                "--aws", CliRunner.example(example, "aws")));
        args.addAll(java.util.List.of(more));
        return CliRunner.run(args.toArray(String[]::new));
    }

    @Test
    void insecure_example_should_fail_every_check_and_exit_3() throws Exception {
        // WHEN the insecure example is scanned with --fail-on LOW
        var result = scan("insecure-cluster", "--format", "json", "--fail-on", "LOW");
        // THEN every check of the catalog FAILs at least once, and the exit code says so
        assertThat(result.err()).isEmpty();
        assertThat(result.exitCode()).isEqualTo(Main.EXIT_FINDINGS);
        JsonNode root = JSON.readTree(result.out());
        assertThat(root.get("cluster").asText()).isEqualTo("shop-dev");
        assertThat(root.get("checks")).hasSize(CATALOG_SIZE);
        for (JsonNode check : root.get("checks")) {
            assertThat(check.get("status").asText()).as(check.toString()).isEqualTo("FAIL");
            assertThat(check.get("failed").asInt()).as(check.toString()).isPositive();
        }
        Set<String> failedIds = new HashSet<>();
        for (JsonNode f : root.get("findings")) {
            assertThat(f.fieldNames()).toIterable().contains("checkId", "severity", "status", "resource", "message", "remediation");
            assertThat(f.get("status").asText()).isIn("FAIL", "EXEMPT");
            assertThat(f.get("severity").asText()).isIn("LOW", "MEDIUM", "HIGH", "CRITICAL");
            assertThat(f.get("resource").fieldNames()).toIterable().containsExactly("kind", "namespace", "name");
            assertThat(f.get("remediation").asText()).isNotBlank();
            if (f.get("status").asText().equals("FAIL")) {
                failedIds.add(f.get("checkId").asText());
            }
        }
        assertThat(failedIds).hasSize(CATALOG_SIZE);
    }

    @Test
    void hardened_example_should_pass_every_check_and_exit_0() throws Exception {
        var result = scan("hardened-cluster", "--format", "json", "--fail-on", "LOW");
        assertThat(result.err()).isEmpty();
        JsonNode root = JSON.readTree(result.out());
        for (JsonNode check : root.get("checks")) {
            assertThat(check.get("status").asText()).as(check.toString()).isEqualTo("PASS");
        }
        for (JsonNode f : root.get("findings")) {
            assertThat(f.get("status").asText()).as(f.toString()).isEqualTo("EXEMPT");
        }
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void fail_on_should_only_count_findings_at_or_above_the_threshold() {
        assertThat(scan("insecure-cluster", "--format", "json").exitCode()).as("no --fail-on").isZero();
        assertThat(scan("insecure-cluster", "--format", "json", "--fail-on", "critical").exitCode())
                .isEqualTo(Main.EXIT_FINDINGS);
        assertThat(CliRunner.run("scan", "--manifests", CliRunner.example("insecure-cluster", "manifests"),
                "--checks", "workloads-not-in-default-namespace", "--fail-on", "MEDIUM").exitCode())
                .as("only a LOW check ran").isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"insecure-cluster", "hardened-cluster"})
    void sarif_should_validate_against_the_sarif_2_1_0_schema(String example) throws Exception {
        var result = scan(example, "--format", "sarif");
        JsonSchema schema;
        try (InputStream in = getClass().getResourceAsStream("/schema/sarif-schema-2.1.0.json")) {
            assertThat(in).as("SARIF schema on the test classpath").isNotNull();
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        }
        JsonNode sarif = JSON.readTree(result.out());
        assertThat(schema.validate(sarif)).as("schema violations").isEmpty();
        assertThat(sarif.at("/runs/0/tool/driver/rules")).hasSize(CATALOG_SIZE);
        if (example.startsWith("insecure")) {
            assertThat(sarif.at("/runs/0/results").size()).isPositive();
        }
    }

    @Test
    void table_should_group_by_severity_and_end_with_a_summary() {
        var result = scan("insecure-cluster", "--no-color");
        assertThat(result.out()).contains("CRITICAL (", "HIGH (", "MEDIUM (", "LOW (").doesNotContain("\u001b[");
        assertThat(result.out().indexOf("CRITICAL (")).isLessThan(result.out().indexOf("HIGH ("));
        var lines = result.out().strip().lines().toList();
        assertThat(lines.get(lines.size() - 1)).matches(CATALOG_SIZE + " checks: 0 passed, " + CATALOG_SIZE
                + " failed, 0 not applicable; \\d+ findings \\(.*\\).*");
    }

    @Test
    void manifests_alone_should_make_aws_checks_not_applicable_never_pass() throws Exception {
        var result = CliRunner.run("scan", "--manifests", CliRunner.example("hardened-cluster", "manifests"), "--format", "json");
        JsonNode root = JSON.readTree(result.out());
        var statuses = new java.util.HashMap<String, String>();
        root.get("checks").forEach(c -> statuses.put(c.get("id").asText(), c.get("status").asText()));
        assertThat(statuses.get("cluster-endpoint-not-public")).isEqualTo("NOT_APPLICABLE");
        assertThat(statuses.get("nodes-in-private-subnets")).isEqualTo("NOT_APPLICABLE");
        assertThat(statuses.get("rbac-no-wildcards")).isEqualTo("PASS");
    }

    @Test
    void checks_command_should_list_the_catalog() {
        var result = CliRunner.run("checks");
        assertThat(result.exitCode()).isZero();
        CheckCatalog.builtIn().all().forEach(c -> assertThat(result.out()).contains(c.id()));
    }
}
