package dev.ekscm.checks.catalog;

import dev.ekscm.checks.Check;

import java.util.List;

/** The workload checks of the catalog, in the order of DESIGN.md section 4. */
public final class WorkloadChecks {
    private WorkloadChecks() {
    }

    public static List<Check> all() {
        return List.of(
                new WorkloadsNotInDefaultNamespace(),
                new RbacNoWildcards(),
                new RbacClusterRoleBindingsMinimized(),
                new ContainersRunAsNonRoot(),
                new ContainersNoPrivilegeEscalation(),
                new PodsNoHostAccess(),
                new NamespacesEnforcePodSecurity(),
                new WorkloadsUseDedicatedServiceAccounts(),
                new AdmissionPolicyEnforced(),
                new ImagesPinnedAndTrusted());
    }
}
