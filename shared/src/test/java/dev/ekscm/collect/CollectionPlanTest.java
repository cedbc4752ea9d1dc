package dev.ekscm.collect;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.ekscm.checks.Check;
import dev.ekscm.checks.CheckCatalog;
import dev.ekscm.model.Input;
import dev.ekscm.model.Scope;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class CollectionPlanTest {
    private final CheckCatalog catalog = CheckCatalog.builtIn();

    @Test
    void nodes_recheck_should_need_no_kubernetes_input() {
        var plan = CollectionPlan.forScopes(catalog.all(), Set.of(Scope.NODES));

        assertThat(plan.needsKubernetes()).isFalse();
        assertThat(plan.toFetch()).contains(Input.INSTANCES, Input.NODEGROUPS, Input.SUBNETS, Input.LAUNCH_TEMPLATES);
    }

    @Test
    void toFetch_should_add_what_locates_an_input() {
        assertThat(CollectionPlan.of(Input.ROUTE_TABLES).toFetch()).containsExactlyInAnyOrder(Input.ROUTE_TABLES, Input.EKS_CLUSTER);
        assertThat(CollectionPlan.of(Input.SUBNETS).toFetch())
                .containsExactlyInAnyOrder(Input.SUBNETS, Input.NODEGROUPS, Input.INSTANCES);
        assertThat(CollectionPlan.of(Input.ECR_REPOSITORIES).toFetch()).contains(Input.K8S_WORKLOADS);
        assertThat(CollectionPlan.of(Input.ECR_REPOSITORIES).needsKubernetes()).isTrue();
        assertThat(CollectionPlan.of(Input.K8S_RBAC).needsAws()).isFalse();
    }

    @Test
    void full_scan_should_fetch_every_input() {
        var all = CollectionPlan.forChecks(catalog.all());
        // every AWS input; Kubernetes kinds only when some check reads them (no check reads ServiceAccounts today)
        assertThat(all.toFetch()).containsAll(EnumSet.range(Input.EKS_CLUSTER, Input.ECR_REPOSITORIES));
        var read = catalog.all().stream().flatMap(c -> c.metadata().requires().stream()).collect(Collectors.toSet());
        assertThat(all.kubernetesInputs()).containsAll(read.stream().filter(Input::isKubernetes).toList());
    }

    /** A check that reads an input it neither requires nor has collected for it would judge on missing data live. */
    @Test
    void every_input_a_check_refers_to_should_be_required_or_consulted_for_its_scope() {
        var classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.ekscm.checks.catalog");
        for (Check check : catalog.all()) {
            JavaClass javaClass = classes.get(check.getClass());
            Set<Input> referenced = javaClass.getFieldAccessesFromSelf().stream()
                    .filter(a -> a.getTargetOwner().isEquivalentTo(Input.class))
                    .map(a -> Input.valueOf(a.getTarget().getName()))
                    .collect(Collectors.toCollection(() -> EnumSet.noneOf(Input.class)));
            var covered = EnumSet.noneOf(Input.class);
            covered.addAll(CollectionPlan.forChecks(java.util.List.of(check)).toFetch());
            assertThat(covered).as("inputs %s refers to (add to requires or CollectionPlan.CONSULTED)", check.id())
                    .containsAll(referenced);
        }
    }
}
