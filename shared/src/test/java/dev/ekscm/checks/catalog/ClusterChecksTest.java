package dev.ekscm.checks.catalog;

import dev.ekscm.checks.CheckConfig;
import dev.ekscm.checks.CheckMetadata;
import dev.ekscm.checks.KubernetesVersionSupport;
import dev.ekscm.checks.Verdicts;
import dev.ekscm.model.CheckResult;
import dev.ekscm.model.Input;
import dev.ekscm.model.Status;
import dev.ekscm.model.aws.AccessEntry;
import dev.ekscm.model.aws.EksCluster;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.ekscm.checks.catalog.AwsTestData.evaluate;
import static dev.ekscm.checks.catalog.AwsTestData.snapshot;
import static dev.ekscm.checks.catalog.AwsTestData.status;
import static org.assertj.core.api.Assertions.assertThat;

/** Version dates and the admin allow-list. */
class ClusterChecksTest {
    private static final KubernetesVersionSupport TABLE = new KubernetesVersionSupport(LocalDate.of(2026, 1, 1), List.of(
            new KubernetesVersionSupport.Entry("1.30", LocalDate.of(2025, 7, 23)),
            new KubernetesVersionSupport.Entry("1.32", LocalDate.of(2026, 3, 23)),
            new KubernetesVersionSupport.Entry("1.33", LocalDate.of(2026, 7, 29))));

    private static EksCluster cluster(String version) {
        return new EksCluster("c", "", version, "ACTIVE", "vpc-1", List.of(), List.of(), Optional.empty(), false, true,
                List.of(), Set.of(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of());
    }

    private static CheckResult judge(String version, LocalDate day) {
        var verdicts = new Verdicts(new KubernetesVersionSupported().metadata());
        KubernetesVersionSupported.judge(cluster(version), TABLE, day, verdicts);
        return verdicts.list().get(0);
    }

    @Test
    void version_should_pass_on_its_last_day_of_support_and_fail_the_day_after() {
        assertThat(judge("1.33", LocalDate.of(2026, 7, 29)).status()).isEqualTo(Status.PASS);
        CheckResult after = judge("1.33", LocalDate.of(2026, 7, 30));
        assertThat(after.status()).isEqualTo(Status.FAIL);
        assertThat(after.message()).contains("2026-07-29").contains("(none in the table)");
    }

    @Test
    void failure_should_name_the_end_date_and_the_oldest_supported_version() {
        CheckResult r = judge("1.30", LocalDate.of(2026, 1, 10));
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.message()).contains("1.30", "ended on 2025-07-23", "oldest version in standard support is 1.32");
    }

    @Test
    void version_missing_from_the_table_should_be_judged_against_the_oldest_supported() {
        assertThat(judge("1.31", LocalDate.of(2026, 1, 10)).status()).as("gap below oldest supported 1.32")
                .isEqualTo(Status.FAIL);
        assertThat(judge("1.31", LocalDate.of(2025, 6, 1)).status()).as("gap above oldest supported 1.30")
                .isEqualTo(Status.PASS);
        assertThat(judge("1.29", LocalDate.of(2025, 6, 1)).status()).as("older than the table")
                .isEqualTo(Status.FAIL);
        assertThat(judge("1.40", LocalDate.of(2030, 1, 1)).status()).as("newer than the table")
                .isEqualTo(Status.PASS);
    }

    @Test
    void version_should_accept_a_v_prefix_and_patch_and_fail_garbage() {
        assertThat(judge("v1.33.2", LocalDate.of(2026, 7, 1)).status()).isEqualTo(Status.PASS);
        CheckResult garbage = judge("latest", LocalDate.of(2026, 7, 1));
        assertThat(garbage.status()).isEqualTo(Status.FAIL);
        assertThat(garbage.message()).contains("'latest'");
    }

    @Test
    void kubernetes_version_check_should_use_the_day_from_the_config() {
        var s = new AwsTestData.State();
        s.cluster = Optional.of(cluster("1.34"));
        var snapshot = snapshot(s.build(), Input.EKS_CLUSTER);

        var before = evaluate(new KubernetesVersionSupported(), snapshot, CheckConfig.defaults(LocalDate.of(2026, 12, 2)));
        var after = evaluate(new KubernetesVersionSupported(), snapshot, CheckConfig.defaults(LocalDate.of(2026, 12, 3)));

        assertThat(before.status()).isEqualTo(Status.PASS);
        assertThat(after.status()).isEqualTo(Status.FAIL);
    }

    private static AccessEntry entry(String arn, String policy, String scope, String... namespaces) {
        return new AccessEntry(arn, "STANDARD", List.of(), List.of(new AccessEntry.PolicyAssociation(
                "arn:aws:eks::aws:cluster-access-policy/" + policy, scope, List.of(namespaces))));
    }

    @Test
    void admin_entries_should_pass_only_for_principals_matching_the_allow_list() {
        var s = new AwsTestData.State();
        s.accessEntries = List.of(
                entry("arn:aws:iam::111122223333:role/platform-admins", "AmazonEKSClusterAdminPolicy", "cluster"),
                entry("arn:aws:iam::111122223333:role/platform.admins2", "AmazonEKSClusterAdminPolicy", "cluster"),
                entry("arn:aws:iam::111122223333:role/BreakGlass", "AmazonEKSAdminPolicy", "cluster"),
                entry("arn:aws:iam::444455556666:role/platform-admins", "AmazonEKSClusterAdminPolicy", "cluster"),
                entry("arn:aws:iam::111122223333:role/team", "AmazonEKSAdminPolicy", "namespace", "team"));
        var config = CheckConfig.defaults(AwsTestData.DAY).withAllowedAdminPrincipals(List.of(
                "arn:aws:iam::111122223333:role/platform-*", "arn:aws:iam::111122223333:role/BreakGlass"));

        var outcome = evaluate(new AccessEntriesLeastPrivilege(), snapshot(s.build(), Input.ACCESS_ENTRIES), config);

        assertThat(status(outcome, "AccessEntry/arn:aws:iam::111122223333:role/platform-admins")).isEqualTo(Status.PASS);
        assertThat(status(outcome, "AccessEntry/arn:aws:iam::111122223333:role/platform.admins2"))
                .as("a dot in the ARN is literal, not a wildcard").isEqualTo(Status.FAIL);
        assertThat(status(outcome, "AccessEntry/arn:aws:iam::111122223333:role/BreakGlass")).isEqualTo(Status.PASS);
        assertThat(status(outcome, "AccessEntry/arn:aws:iam::444455556666:role/platform-admins"))
                .as("another account").isEqualTo(Status.FAIL);
        assertThat(status(outcome, "AccessEntry/arn:aws:iam::111122223333:role/team")).isEqualTo(Status.PASS);
    }

    @Test
    void cluster_admin_policy_should_fail_at_any_scope() {
        var s = new AwsTestData.State();
        s.accessEntries = List.of(entry("arn:aws:iam::1:role/x", "AmazonEKSClusterAdminPolicy", "namespace", "a"));

        var outcome = evaluate(new AccessEntriesLeastPrivilege(), snapshot(s.build(), Input.ACCESS_ENTRIES));

        assertThat(status(outcome, "AccessEntry/arn:aws:iam::1:role/x")).isEqualTo(Status.FAIL);
    }

    @Test
    void every_aws_check_should_have_the_severity_and_order_of_the_design() {
        assertThat(AwsChecks.all()).extracting(c -> c.id() + " " + c.metadata().defaultSeverity()).containsExactly(
                "nodegroups-span-multiple-azs MEDIUM", "nodes-in-private-subnets HIGH",
                "private-subnets-egress-via-nat LOW", "cluster-endpoint-not-public HIGH",
                "control-plane-audit-logging MEDIUM", "secrets-envelope-encryption MEDIUM",
                "kubernetes-version-supported MEDIUM", "node-imds-v2-hop-limit HIGH",
                "node-security-groups-restricted HIGH", "nodegroup-remote-access-restricted MEDIUM",
                "access-entries-least-privilege HIGH", "ecr-image-scanning MEDIUM");
        assertThat(AwsChecks.all()).extracting(c -> c.metadata()).allSatisfy((CheckMetadata m) ->
                assertThat(m.requires()).allMatch(i -> !i.isKubernetes() || i == Input.K8S_WORKLOADS));
    }
}
