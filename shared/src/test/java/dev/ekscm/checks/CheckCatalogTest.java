package dev.ekscm.checks;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class CheckCatalogTest {
    /** The catalog of DESIGN.md section 4: ids are part of DynamoDB keys and never renamed. */
    static final Set<String> DESIGN_IDS = Set.of(
            "nodegroups-span-multiple-azs", "nodes-in-private-subnets", "private-subnets-egress-via-nat",
            "cluster-endpoint-not-public", "control-plane-audit-logging", "secrets-envelope-encryption",
            "kubernetes-version-supported", "node-imds-v2-hop-limit", "node-security-groups-restricted",
            "nodegroup-remote-access-restricted", "access-entries-least-privilege", "ecr-image-scanning",
            "network-policy-engine-installed", "namespaces-default-deny-ingress",
            "pods-cannot-reach-instance-metadata", "workloads-not-in-default-namespace", "rbac-no-wildcards",
            "rbac-cluster-role-bindings-minimized", "containers-run-as-non-root",
            "containers-no-privilege-escalation", "pods-no-host-access", "namespaces-enforce-pod-security",
            "workloads-use-dedicated-service-accounts", "admission-policy-enforced", "images-pinned-and-trusted");

    private final CheckCatalog catalog = CheckCatalog.builtIn();

    @Test
    void catalog_should_hold_exactly_the_designed_checks() {
        assertThat(catalog.all().stream().map(Check::id).collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(DESIGN_IDS);
    }

    @Test
    void catalog_should_list_every_check_class() {
        var classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.ekscm");
        Set<String> implementations = classes.stream()
                .filter(c -> c.isAssignableTo(Check.class) && !c.isInterface()
                        && !c.getModifiers().contains(JavaModifier.ABSTRACT))
                .map(JavaClass::getName).collect(Collectors.toSet());
        Set<String> listed = catalog.all().stream().map(c -> c.getClass().getName()).collect(Collectors.toSet());
        assertThat(listed).as("Check classes missing from CheckCatalog").containsExactlyInAnyOrderElementsOf(implementations);
    }

    @Test
    void every_check_should_have_pass_and_fail_fixtures_that_say_why() {
        for (Check check : catalog.all()) {
            List<Fixtures.Fixture> fixtures = Fixtures.of(check.id());
            assertThat(fixtures).as("pass fixtures of %s", check.id()).anyMatch(Fixtures.Fixture::shouldPass);
            assertThat(fixtures).as("fail fixtures of %s", check.id()).anyMatch(f -> !f.shouldPass());
            for (var f : fixtures) {
                assertThat(f.why()).as("%s must open with a comment (or why.txt) saying why", f.name()).isNotEmpty();
            }
        }
    }

    @Test
    void every_fixture_folder_should_belong_to_a_check() {
        assertThat(Fixtures.checkFolders()).allMatch(id -> catalog.byId(id).isPresent(),
                "names a check of the catalog");
    }

    @Test
    void every_check_should_have_complete_metadata() {
        for (Check check : catalog.all()) {
            var m = check.metadata();
            assertThat(m.title()).as(m.id()).isNotBlank();
            assertThat(m.rationale()).as(m.id()).isNotBlank();
            assertThat(m.remediation()).as(m.id()).isNotBlank();
            assertThat(m.sources()).as(m.id()).isNotEmpty();
            assertThat(m.requires()).as(m.id()).isNotEmpty();
        }
    }
}
