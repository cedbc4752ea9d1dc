package dev.ekscm.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * DESIGN.md section 2: model ← checks ← collect, findings, alerts, remediation ← engine ←
 * functions, cli. Checks are pure: no AWS SDK, no fabric8 client (fabric8 model classes are fine).
 */
class DependencyDirectionTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.ekscm");
    }

    @Test
    void model_should_depend_on_nothing_of_ours_but_itself() {
        noClasses().that().resideInAPackage("dev.ekscm.model..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.ekscm.checks..", "dev.ekscm.collect..",
                        "dev.ekscm.findings..", "dev.ekscm.alerts..", "dev.ekscm.remediation..", "dev.ekscm.engine..")
                .check(classes);
    }

    @Test
    void model_and_checks_should_not_use_sdk_or_kubernetes_clients() {
        noClasses().that().resideInAnyPackage("dev.ekscm.model..", "dev.ekscm.checks..")
                .should().dependOnClassesThat().resideInAnyPackage("software.amazon.awssdk..",
                        "io.fabric8.kubernetes.client..")
                .check(classes);
    }

    @Test
    void checks_should_not_depend_on_adapters_or_engine() {
        noClasses().that().resideInAPackage("dev.ekscm.checks..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.ekscm.collect..", "dev.ekscm.findings..",
                        "dev.ekscm.alerts..", "dev.ekscm.remediation..", "dev.ekscm.engine..")
                .check(classes);
    }

    @Test
    void checks_should_do_no_io_and_read_no_clock_or_environment() {
        noClasses().that().resideInAPackage("dev.ekscm.checks..")
                .should().dependOnClassesThat().resideInAnyPackage("java.net..", "java.nio.file..", "java.net.http..")
                .orShould().callMethod(System.class, "getenv", String.class)
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(java.time.LocalDate.class, "now")
                .orShould().callMethod(java.time.Instant.class, "now")
                .check(classes);
    }

    @Test
    void adapters_should_not_depend_on_the_engine_or_each_other() {
        noClasses().that().resideInAnyPackage("dev.ekscm.collect..", "dev.ekscm.findings..", "dev.ekscm.alerts..",
                        "dev.ekscm.remediation..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.ekscm.engine..", "dev.ekscm.cli..",
                        "dev.ekscm.functions..")
                .check(classes);
    }
}
