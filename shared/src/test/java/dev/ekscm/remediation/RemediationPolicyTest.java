package dev.ekscm.remediation;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RemediationPolicyTest {
    private static final String REMEDIATE = RemediationPolicy.AUTO_REMEDIATE_TAG;
    private static final String MODE = RemediationPolicy.MODE_TAG;

    @Test
    void fromTags_should_enable_nothing_when_the_cluster_is_not_tagged_even_with_the_switch_on() {
        var policy = RemediationPolicy.fromTags(Map.of(MODE, "enforce", "team", "shop"), true);

        assertThat(policy.enablesAny()).isFalse();
        assertThat(policy.tagged()).isFalse();
        assertThat(policy.whyOff(RemediationId.IMDS_HOP_LIMIT)).hasValueSatisfying(w -> assertThat(w).contains("not opted in"));
        assertThat(policy.describe()).contains("not opted in");
    }

    @Test
    void fromTags_should_read_a_comma_list_of_ids_and_default_to_dry_run() {
        var policy = RemediationPolicy.fromTags(Map.of(REMEDIATE, " imds-hop-limit , "), true);

        assertThat(policy.enables(RemediationId.IMDS_HOP_LIMIT)).isTrue();
        assertThat(policy.enables(RemediationId.IMDS_NETWORK_POLICY)).isFalse();
        assertThat(policy.mode()).isEqualTo(RemediationMode.DRY_RUN);
        assertThat(policy.warnings()).isEmpty();
    }

    @Test
    void fromTags_should_enable_every_remediation_for_all_and_enforce_only_when_asked_exactly() {
        var policy = RemediationPolicy.fromTags(Map.of(REMEDIATE, "all", MODE, "enforce"), true);

        assertThat(policy.requested()).containsExactlyInAnyOrder(RemediationId.values());
        assertThat(policy.mode()).isEqualTo(RemediationMode.ENFORCE);
        assertThat(policy.describe()).isEqualTo("opted in: ekscm:auto-remediate=imds-hop-limit,imds-network-policy, mode enforce");
    }

    @Test
    void fromTags_should_fall_back_to_dry_run_with_a_warning_for_an_unknown_mode() {
        var policy = RemediationPolicy.fromTags(Map.of(REMEDIATE, "all", MODE, "yes-please"), true);

        assertThat(policy.mode()).isEqualTo(RemediationMode.DRY_RUN);
        assertThat(policy.warnings()).singleElement().satisfies(w -> assertThat(w).contains("yes-please").contains("dry-run"));
    }

    @Test
    void fromTags_should_ignore_unknown_ids_with_a_warning_naming_the_known_ones() {
        var policy = RemediationPolicy.fromTags(Map.of(REMEDIATE, "imds-network-policy,reboot-nodes"), true);

        assertThat(policy.requested()).containsExactly(RemediationId.IMDS_NETWORK_POLICY);
        assertThat(policy.warnings()).singleElement().satisfies(w ->
                assertThat(w).contains("reboot-nodes").contains("imds-network-policy, imds-hop-limit"));
    }

    @Test
    void fromTags_should_warn_about_an_empty_list() {
        var policy = RemediationPolicy.fromTags(Map.of(REMEDIATE, ""), true);

        assertThat(policy.enablesAny()).isFalse();
        assertThat(policy.warnings()).singleElement().satisfies(w -> assertThat(w).contains("is empty"));
    }

    @Test
    void the_switch_off_should_stop_everything_whatever_the_tags_say() {
        var policy = RemediationPolicy.fromTags(Map.of(REMEDIATE, "all", MODE, "enforce"), false);

        assertThat(policy.enablesAny()).isFalse();
        assertThat(policy.whyOff(RemediationId.IMDS_NETWORK_POLICY)).hasValueSatisfying(w ->
                assertThat(w).contains("REMEDIATION_ENABLED"));
    }

    @Test
    void switchFromEnvironment_should_default_on_and_fail_safe_on_unknown_values() {
        assertThat(RemediationPolicy.switchFromEnvironment(null)).isTrue();
        assertThat(RemediationPolicy.switchFromEnvironment(" TRUE ")).isTrue();
        assertThat(RemediationPolicy.switchFromEnvironment("false")).isFalse();
        assertThat(RemediationPolicy.switchFromEnvironment("0")).isFalse();
        assertThat(RemediationPolicy.switchFromEnvironment("maybe")).isFalse();
    }

    @Test
    void mode_and_should_enforce_only_when_both_say_enforce() {
        assertThat(RemediationMode.ENFORCE.and(RemediationMode.ENFORCE)).isEqualTo(RemediationMode.ENFORCE);
        assertThat(RemediationMode.ENFORCE.and(RemediationMode.DRY_RUN)).isEqualTo(RemediationMode.DRY_RUN);
        assertThat(RemediationMode.DRY_RUN.and(RemediationMode.ENFORCE)).isEqualTo(RemediationMode.DRY_RUN);
    }
}
