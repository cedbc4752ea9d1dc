package dev.ekscm.model.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;

import java.util.List;

/**
 * The Kubernetes objects of one cluster that the checks read. Workloads of every namespace are
 * here (system ones too: the policy-engine check looks for agents in kube-system); checks leave
 * out the system namespaces themselves.
 *
 * @param calicoPolicies Calico GlobalNetworkPolicy and NetworkPolicy objects (projectcalico.org/v3
 *                       or crd.projectcalico.org/v1), kept generic
 * @param calicoTiers    Calico Tier objects
 */
public record KubernetesState(
        List<Namespace> namespaces,
        List<Workload> workloads,
        List<NetworkPolicy> networkPolicies,
        List<GenericKubernetesResource> calicoPolicies,
        List<GenericKubernetesResource> calicoTiers,
        List<Role> roles,
        List<ClusterRole> clusterRoles,
        List<RoleBinding> roleBindings,
        List<ClusterRoleBinding> clusterRoleBindings,
        List<ServiceAccount> serviceAccounts,
        List<ValidatingWebhookConfiguration> validatingWebhooks,
        List<ValidatingAdmissionPolicy> validatingAdmissionPolicies,
        List<ValidatingAdmissionPolicyBinding> validatingAdmissionPolicyBindings) {

    public KubernetesState {
        namespaces = List.copyOf(namespaces);
        workloads = List.copyOf(workloads);
        networkPolicies = List.copyOf(networkPolicies);
        calicoPolicies = List.copyOf(calicoPolicies);
        calicoTiers = List.copyOf(calicoTiers);
        roles = List.copyOf(roles);
        clusterRoles = List.copyOf(clusterRoles);
        roleBindings = List.copyOf(roleBindings);
        clusterRoleBindings = List.copyOf(clusterRoleBindings);
        serviceAccounts = List.copyOf(serviceAccounts);
        validatingWebhooks = List.copyOf(validatingWebhooks);
        validatingAdmissionPolicies = List.copyOf(validatingAdmissionPolicies);
        validatingAdmissionPolicyBindings = List.copyOf(validatingAdmissionPolicyBindings);
    }

    public static KubernetesState empty() {
        return new KubernetesState(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }
}
