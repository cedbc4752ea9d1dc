package dev.ekscm.onboard;

import dev.ekscm.checks.Check;
import dev.ekscm.checks.CheckCatalog;
import dev.ekscm.checks.CheckConfig;
import dev.ekscm.checks.CheckOutcome;
import dev.ekscm.checks.Evaluator;
import dev.ekscm.collect.SnapshotLoader;
import dev.ekscm.model.CheckResult;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Status;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** deploy/: least privilege by inspection, and by our own RBAC checks. */
class DeployRbacTest {
    static Path deploy() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("deploy")) && Files.exists(d.resolve("mvnw"))) {
                return d.resolve("deploy");
            }
        }
        throw new IllegalStateException("deploy/ not found");
    }

    static List<PolicyRule> rules(String role) {
        return Onboarding.manifests(true).stream().filter(o -> o instanceof ClusterRole && o.getMetadata().getName().equals(role))
                .map(o -> ((ClusterRole) o).getRules()).findFirst().orElseThrow();
    }

    @Test
    void deploy_should_hold_exactly_the_bundled_manifests() throws IOException {
        try (Stream<Path> files = Files.list(deploy())) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactlyElementsOf(Onboarding.MANIFESTS);
        }
        assertThat(Onboarding.manifests(true)).extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .containsExactly("ClusterRole/ekscm-reader", "ClusterRoleBinding/ekscm-reader",
                        "ClusterRole/ekscm-remediator", "ClusterRoleBinding/ekscm-remediator");
    }

    @Test
    void reader_should_only_read_the_collected_kinds_and_never_secrets() {
        assertThat(rules("ekscm-reader")).allSatisfy(r -> {
            assertThat(r.getVerbs()).containsExactlyInAnyOrder("get", "list", "watch");
            assertThat(r.getResources()).doesNotContain("secrets", "configmaps", "*");
            assertThat(r.getApiGroups()).doesNotContain("*");
            assertThat(r.getResourceNames()).isNullOrEmpty();
        });
        var resources = rules("ekscm-reader").stream().flatMap(r -> r.getApiGroups().stream()
                .flatMap(g -> r.getResources().stream().map(res -> (g.isEmpty() ? "core" : g) + "/" + res))).toList();
        assertThat(resources).contains("core/pods", "apps/deployments", "batch/cronjobs", "networking.k8s.io/networkpolicies",
                "rbac.authorization.k8s.io/clusterrolebindings", "admissionregistration.k8s.io/validatingadmissionpolicybindings",
                "crd.projectcalico.org/globalnetworkpolicies", "projectcalico.org/tiers");
    }

    @Test
    void remediator_should_only_write_network_policies_and_calico_policy() {
        assertThat(rules("ekscm-remediator")).allSatisfy(r -> {
            assertThat(r.getVerbs()).containsExactlyInAnyOrder("create", "patch", "delete");
            assertThat(r.getApiGroups()).isSubsetOf("networking.k8s.io", "crd.projectcalico.org", "projectcalico.org");
            assertThat(r.getResources()).isSubsetOf("networkpolicies", "tiers", "globalnetworkpolicies", "tier.globalnetworkpolicies");
        });
    }

    @Test
    void our_rbac_checks_should_pass_deploy_with_the_bindings_exempted_for_a_stated_reason() {
        var catalog = CheckCatalog.builtIn();
        Optional<Check> wildcards = catalog.byId("rbac-no-wildcards");
        Optional<Check> bindings = catalog.byId("rbac-cluster-role-bindings-minimized");
        assumeTrue(wildcards.isPresent() && bindings.isPresent(),
                "rbac-no-wildcards / rbac-cluster-role-bindings-minimized are not in this build's catalog yet");
        var snapshot = new SnapshotLoader().load(List.of(deploy()), Optional.empty());
        var evaluation = new Evaluator(List.of(wildcards.get(), bindings.get()), CheckConfig.defaults(LocalDate.of(2025, 6, 1)))
                .evaluate(snapshot, Scope.all());
        CheckOutcome noWildcards = evaluation.outcomes().get(0);
        assertThat(noWildcards.status()).isEqualTo(Status.PASS);
        assertThat(noWildcards.results()).extracting(CheckResult::status).containsOnly(Status.PASS).isNotEmpty();
        CheckOutcome minimized = evaluation.outcomes().get(1);
        assertThat(minimized.status()).isNotEqualTo(Status.FAIL);
        assertThat(minimized.results()).filteredOn(r -> r.resource().kind().equals("ClusterRoleBinding"))
                .hasSize(2).allSatisfy(r -> assertThat(r.status()).isIn(Status.EXEMPT, Status.PASS));
        for (HasMetadata binding : Onboarding.manifests(true).stream().filter(o -> o.getKind().equals("ClusterRoleBinding")).toList()) {
            assertThat(binding.getMetadata().getAnnotations()).containsEntry("ekscm.dev/exempt", "rbac-cluster-role-bindings-minimized")
                    .containsKey("ekscm.dev/exempt-reason");
        }
    }
}
