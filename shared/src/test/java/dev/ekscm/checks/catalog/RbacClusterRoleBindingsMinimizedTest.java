package dev.ekscm.checks.catalog;

import dev.ekscm.model.Severity;
import dev.ekscm.model.Status;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RbacClusterRoleBindingsMinimizedTest {

    @ParameterizedTest(name = "{0} {2}/{1} exempt={3}")
    @CsvSource(nullValues = "-", value = {
            "User, system:kube-controller-manager, -, true",
            "Group, system:nodes, -, true",
            "Group, system:masters, -, true",
            "ServiceAccount, coredns, kube-system, true",
            "User, system:serviceaccount:kube-system:coredns, -, true",
            "Group, system:serviceaccounts:kube-system, -, true",
            "User, alice@example.com, -, false",
            "Group, developers, -, false",
            "ServiceAccount, payments-api, payments, false",
            "ServiceAccount, default, default, false",
            "User, system:serviceaccount:default:ci, -, false",
            "Group, system:authenticated, -, false",
            "Group, system:unauthenticated, -, false",
            "User, system:anonymous, -, false",
            "Group, system:serviceaccounts, -, false",
            "Group, system:serviceaccounts:payments, -, false",
            "Robot, system:anything, -, false",
    })
    void nonExemptReason_should_exempt_only_components_and_kube_system_accounts(String kind, String name,
                                                                              String namespace, boolean exempt) {
        var subject = new SubjectBuilder().withKind(kind).withName(name).withNamespace(namespace).build();

        assertThat(RbacClusterRoleBindingsMinimized.nonExemptReason(subject).isEmpty()).isEqualTo(exempt);
    }

    @Test
    void evaluate_should_be_critical_for_cluster_admin_and_medium_otherwise() {
        var context = Manifests.context("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: admins}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
                subjects:
                  - {kind: Group, name: platform-admins, apiGroup: rbac.authorization.k8s.io}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: readers}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
                subjects:
                  - {kind: Group, name: auditors, apiGroup: rbac.authorization.k8s.io}
                  - {kind: User, name: bob@example.com, apiGroup: rbac.authorization.k8s.io}
                """);

        var results = new RbacClusterRoleBindingsMinimized().evaluate(context);

        assertThat(results).hasSize(2);
        assertThat(results.get(0).resource().key()).isEqualTo("ClusterRoleBinding/admins");
        assertThat(results.get(0).severity()).isEqualTo(Severity.CRITICAL);
        assertThat(results.get(0).message()).contains("Group platform-admins").contains("cluster-admin");
        assertThat(results.get(1).status()).isEqualTo(Status.FAIL);
        assertThat(results.get(1).severity()).isEqualTo(Severity.MEDIUM);
        // one result per binding, naming every non-exempt subject
        assertThat(results.get(1).message()).contains("Group auditors").contains("User bob@example.com");
    }
}
