package dev.ekscm.checks;

import dev.ekscm.model.ResourceRef;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExemptionRuleTest {
    @Test
    void glob_should_match_stars_anywhere_and_nothing_else() {
        assertThat(ExemptionRule.glob("*", "anything")).isTrue();
        assertThat(ExemptionRule.glob("ebs-csi-node", "ebs-csi-node")).isTrue();
        assertThat(ExemptionRule.glob("ebs-csi-node", "ebs-csi-node-2")).isFalse();
        assertThat(ExemptionRule.glob("calico-*", "calico-node")).isTrue();
        assertThat(ExemptionRule.glob("*-node", "calico-node")).isTrue();
        assertThat(ExemptionRule.glob("*-node", "calico-nodes")).isFalse();
        assertThat(ExemptionRule.glob("a*b*c", "axxbyyc")).isTrue();
        assertThat(ExemptionRule.glob("a*b*c", "acb")).isFalse();
        assertThat(ExemptionRule.glob("ab*ba", "aba")).as("prefix and suffix must not overlap").isFalse();
        assertThat(ExemptionRule.glob("a.b", "axb")).as("no regex meaning").isFalse();
    }

    @Test
    void matches_should_require_check_kind_namespace_and_name() {
        var rule = new ExemptionRule(List.of("pods-no-host-access"), "DaemonSet", "*", "kube-proxy", "reason");
        assertThat(rule.matches("pods-no-host-access", ResourceRef.of("DaemonSet", "ops", "kube-proxy"))).isTrue();
        assertThat(rule.matches("rbac-no-wildcards", ResourceRef.of("DaemonSet", "ops", "kube-proxy"))).isFalse();
        assertThat(rule.matches("pods-no-host-access", ResourceRef.of("Deployment", "ops", "kube-proxy"))).isFalse();
        var all = new ExemptionRule(List.of("*"), null, "legacy", null, "");
        assertThat(all.matches("anything", ResourceRef.of("Pod", "legacy", "x"))).isTrue();
    }
}
