package dev.ekscm.remediation;

import dev.ekscm.collect.SnapshotLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code ekscm remediate --manifests examples/insecure-cluster/manifests --aws … --plan} builds on. */
class PreviewExampleTest {
    private static final Path EXAMPLE = Path.of("..").toAbsolutePath().normalize().resolve("examples/insecure-cluster");

    @Test
    void preview_of_the_insecure_example_should_plan_both_remediations_and_say_it_is_not_opted_in() {
        var snapshot = new SnapshotLoader().load(List.of(EXAMPLE.resolve("manifests")), Optional.of(EXAMPLE.resolve("aws")));

        var plan = RemediationPlanner.preview(snapshot, TestCluster.CONFIG, true);

        assertThat(plan.policy().tagged()).isFalse();
        assertThat(plan.objects()).isNotEmpty().allSatisfy(o -> assertThat(o.target())
                .startsWith("NetworkPolicy/").endsWith("/" + ImdsPolicyObjects.NETWORK_POLICY_NAME));
        assertThat(plan.instanceChanges()).isNotEmpty()
                .allSatisfy(m -> assertThat(m.after()).isEqualTo(RemediationPlanner.HOP_LIMIT_TARGET));
        assertThat(plan.manual()).anySatisfy(m -> assertThat(m.target()).startsWith("LaunchTemplate/"));
        assertThat(plan.toYaml()).startsWith("# ekscm remediation plan for cluster shop-dev")
                .contains("not opted in").contains("kind: NetworkPolicy");
    }
}
