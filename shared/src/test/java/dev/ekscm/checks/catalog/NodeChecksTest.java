package dev.ekscm.checks.catalog;

import dev.ekscm.model.Input;
import dev.ekscm.model.Severity;
import dev.ekscm.model.Status;
import dev.ekscm.model.aws.LaunchTemplateRef;
import dev.ekscm.model.aws.LaunchTemplateVersion;
import dev.ekscm.model.aws.MetadataOptions;
import dev.ekscm.model.aws.Nodegroup;
import dev.ekscm.model.aws.SecurityGroup;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.ekscm.checks.catalog.AwsTestData.evaluate;
import static dev.ekscm.checks.catalog.AwsTestData.instance;
import static dev.ekscm.checks.catalog.AwsTestData.severity;
import static dev.ekscm.checks.catalog.AwsTestData.snapshot;
import static dev.ekscm.checks.catalog.AwsTestData.status;
import static org.assertj.core.api.Assertions.assertThat;

/** Launch template resolution and security group severity. */
class NodeChecksTest {
    private static final List<LaunchTemplateVersion> VERSIONS = List.of(
            version("lt-1", "web", 1, false), version("lt-1", "web", 2, true), version("lt-1", "web", 3, false),
            version("lt-2", "batch", 1, true));

    private static LaunchTemplateVersion version(String id, String name, long n, boolean dflt) {
        return new LaunchTemplateVersion(id, name, n, dflt, Optional.empty());
    }

    private static LaunchTemplateRef ref(String id, String name, String version) {
        return new LaunchTemplateRef(Optional.ofNullable(id), Optional.ofNullable(name), Optional.ofNullable(version));
    }

    @Test
    void resolve_should_pick_the_named_default_or_latest_version() {
        assertThat(NodeImdsV2HopLimit.resolve(ref("lt-1", null, "1"), VERSIONS)).get()
                .extracting(LaunchTemplateVersion::versionNumber).isEqualTo(1L);
        assertThat(NodeImdsV2HopLimit.resolve(ref("lt-1", null, "$Default"), VERSIONS)).get()
                .extracting(LaunchTemplateVersion::versionNumber).isEqualTo(2L);
        assertThat(NodeImdsV2HopLimit.resolve(ref("lt-1", null, "$Latest"), VERSIONS)).get()
                .extracting(LaunchTemplateVersion::versionNumber).isEqualTo(3L);
        assertThat(NodeImdsV2HopLimit.resolve(ref("lt-1", null, null), VERSIONS)).as("no version = default").get()
                .extracting(LaunchTemplateVersion::versionNumber).isEqualTo(2L);
    }

    @Test
    void resolve_should_find_a_template_by_name_when_no_id_is_given() {
        assertThat(NodeImdsV2HopLimit.resolve(ref(null, "batch", "$Latest"), VERSIONS)).get()
                .extracting(LaunchTemplateVersion::launchTemplateId).isEqualTo("lt-2");
    }

    @Test
    void resolve_should_be_empty_for_unknown_templates_and_versions() {
        assertThat(NodeImdsV2HopLimit.resolve(ref("lt-9", null, "1"), VERSIONS)).isEmpty();
        assertThat(NodeImdsV2HopLimit.resolve(ref("lt-1", null, "7"), VERSIONS)).isEmpty();
        assertThat(NodeImdsV2HopLimit.resolve(ref("lt-1", null, "latest-please"), VERSIONS)).isEmpty();
    }

    @Test
    void imds_check_should_judge_one_template_version_used_by_two_nodegroups_once() {
        var s = new AwsTestData.State();
        var lt = Optional.of(ref("lt-1", "web", "3"));
        s.nodegroups = List.of(
                new Nodegroup("a", "c", List.of("subnet-1"), lt, Optional.empty(), List.of(), List.of(), List.of(), "ACTIVE", Map.of()),
                new Nodegroup("b", "c", List.of("subnet-1"), lt, Optional.empty(), List.of(), List.of(), List.of(), "ACTIVE", Map.of()));
        s.launchTemplateVersions = List.of(new LaunchTemplateVersion("lt-1", "web", 3, false,
                Optional.of(MetadataOptions.of("required", 3, "enabled"))));

        var outcome = evaluate(new NodeImdsV2HopLimit(), snapshot(s.build(), Input.INSTANCES, Input.NODEGROUPS,
                Input.LAUNCH_TEMPLATES));

        assertThat(outcome.results()).singleElement().satisfies(r -> {
            assertThat(r.resource().key()).isEqualTo("LaunchTemplate/lt-1:3");
            assertThat(r.status()).isEqualTo(Status.FAIL);
            assertThat(r.message()).contains("nodegroup a, b", "HttpPutResponseHopLimit=3");
        });
    }

    @Test
    void imds_check_should_be_not_applicable_without_instances() {
        var outcome = evaluate(new NodeImdsV2HopLimit(), snapshot(new AwsTestData.State().build(),
                Input.LAUNCH_TEMPLATES, Input.NODEGROUPS));

        assertThat(outcome.status()).isEqualTo(Status.NOT_APPLICABLE);
    }

    private static SecurityGroup.IpPermission rule(String protocol, Integer from, Integer to) {
        return new SecurityGroup.IpPermission(protocol, Optional.ofNullable(from), Optional.ofNullable(to),
                List.of("0.0.0.0/0"), List.of(), List.of());
    }

    @Test
    void severity_should_be_critical_for_all_traffic_all_ports_ssh_and_rdp() {
        assertThat(NodeSecurityGroupsRestricted.severity(rule("-1", null, null))).isEqualTo(Severity.CRITICAL);
        assertThat(NodeSecurityGroupsRestricted.severity(rule("tcp", 22, 22))).isEqualTo(Severity.CRITICAL);
        assertThat(NodeSecurityGroupsRestricted.severity(rule("tcp", 20, 25))).isEqualTo(Severity.CRITICAL);
        assertThat(NodeSecurityGroupsRestricted.severity(rule("tcp", 3389, 3389))).isEqualTo(Severity.CRITICAL);
        assertThat(NodeSecurityGroupsRestricted.severity(rule("6", 3000, 4000))).isEqualTo(Severity.CRITICAL);
        assertThat(NodeSecurityGroupsRestricted.severity(rule("tcp", 0, 65535))).isEqualTo(Severity.CRITICAL);
        assertThat(NodeSecurityGroupsRestricted.severity(rule("udp", 0, 65535))).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void severity_should_be_high_for_other_ports_and_icmp() {
        assertThat(NodeSecurityGroupsRestricted.severity(rule("tcp", 443, 443))).isEqualTo(Severity.HIGH);
        assertThat(NodeSecurityGroupsRestricted.severity(rule("tcp", 30000, 32767))).isEqualTo(Severity.HIGH);
        assertThat(NodeSecurityGroupsRestricted.severity(rule("tcp", 23, 3388))).isEqualTo(Severity.HIGH);
        assertThat(NodeSecurityGroupsRestricted.severity(rule("icmp", -1, -1))).isEqualTo(Severity.HIGH);
        assertThat(NodeSecurityGroupsRestricted.severity(rule("udp", 53, 53))).isEqualTo(Severity.HIGH);
    }

    @Test
    void describe_should_name_protocol_and_ports() {
        assertThat(NodeSecurityGroupsRestricted.describe(rule("-1", null, null))).isEqualTo("all traffic");
        assertThat(NodeSecurityGroupsRestricted.describe(rule("tcp", 22, 22))).isEqualTo("tcp port 22");
        assertThat(NodeSecurityGroupsRestricted.describe(rule("6", 8000, 8080))).isEqualTo("tcp ports 8000-8080");
        assertThat(NodeSecurityGroupsRestricted.describe(rule("udp", 0, 65535))).isEqualTo("udp on all ports");
        assertThat(NodeSecurityGroupsRestricted.describe(rule("icmp", -1, -1))).isEqualTo("icmp");
    }

    @Test
    void security_group_check_should_keep_the_highest_severity_of_several_open_rules() {
        var s = new AwsTestData.State();
        s.instances = List.of(instance("i-1", "subnet-1", "running", null, MetadataOptions.unset(), "sg-1"));
        s.securityGroups = List.of(new SecurityGroup("sg-1", "nodes", "vpc-1",
                List.of(rule("tcp", 443, 443), rule("tcp", 22, 22))));

        var outcome = evaluate(new NodeSecurityGroupsRestricted(), snapshot(s.build(), Input.SECURITY_GROUPS,
                Input.INSTANCES));

        assertThat(severity(outcome, "SecurityGroup/sg-1")).isEqualTo(Severity.CRITICAL);
        assertThat(outcome.results().get(0).message()).contains("tcp port 443 from 0.0.0.0/0", "tcp port 22");
    }

    @Test
    void security_group_check_should_judge_only_node_and_cluster_groups_when_it_knows_them() {
        var s = new AwsTestData.State();
        s.instances = List.of(instance("i-1", "subnet-1", "running", null, MetadataOptions.unset(), "sg-nodes"));
        s.securityGroups = List.of(new SecurityGroup("sg-nodes", "nodes", "vpc-1", List.of()),
                new SecurityGroup("sg-alb", "alb", "vpc-1", List.of(rule("tcp", 443, 443))));

        var known = evaluate(new NodeSecurityGroupsRestricted(), snapshot(s.build(), Input.SECURITY_GROUPS,
                Input.INSTANCES));
        var unknown = evaluate(new NodeSecurityGroupsRestricted(), snapshot(s.build(), Input.SECURITY_GROUPS));

        assertThat(known.status()).isEqualTo(Status.PASS);
        assertThat(status(known, "SecurityGroup/sg-alb")).isNull();
        assertThat(status(unknown, "SecurityGroup/sg-alb")).as("no node data: every collected group")
                .isEqualTo(Status.FAIL);
    }
}
