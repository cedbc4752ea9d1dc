package dev.ekscm.model.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Sorts Kubernetes objects (from files or from list calls) into a {@link KubernetesState}.
 * Objects of kinds no check reads are counted and otherwise ignored.
 */
public final class KubernetesStateBuilder {
    public static final Set<String> CALICO_GROUPS = Set.of("projectcalico.org", "crd.projectcalico.org");

    private final List<Namespace> namespaces = new ArrayList<>();
    private final List<Workload> workloads = new ArrayList<>();
    private final List<NetworkPolicy> networkPolicies = new ArrayList<>();
    private final List<GenericKubernetesResource> calicoPolicies = new ArrayList<>();
    private final List<GenericKubernetesResource> calicoTiers = new ArrayList<>();
    private final List<Role> roles = new ArrayList<>();
    private final List<ClusterRole> clusterRoles = new ArrayList<>();
    private final List<RoleBinding> roleBindings = new ArrayList<>();
    private final List<ClusterRoleBinding> clusterRoleBindings = new ArrayList<>();
    private final List<ServiceAccount> serviceAccounts = new ArrayList<>();
    private final List<ValidatingWebhookConfiguration> webhooks = new ArrayList<>();
    private final List<ValidatingAdmissionPolicy> admissionPolicies = new ArrayList<>();
    private final List<ValidatingAdmissionPolicyBinding> admissionPolicyBindings = new ArrayList<>();
    private int ignored;

    /** Adds one object; returns false when no check reads its kind. */
    public boolean add(HasMetadata obj) {
        if (obj instanceof Namespace n) {
            namespaces.add(n);
        } else if (obj instanceof NetworkPolicy p) {
            networkPolicies.add(p);
        } else if (obj instanceof Role r) {
            roles.add(r);
        } else if (obj instanceof ClusterRole r) {
            clusterRoles.add(r);
        } else if (obj instanceof RoleBinding b) {
            roleBindings.add(b);
        } else if (obj instanceof ClusterRoleBinding b) {
            clusterRoleBindings.add(b);
        } else if (obj instanceof ServiceAccount sa) {
            serviceAccounts.add(sa);
        } else if (obj instanceof ValidatingWebhookConfiguration w) {
            webhooks.add(w);
        } else if (obj instanceof ValidatingAdmissionPolicy p) {
            admissionPolicies.add(p);
        } else if (obj instanceof ValidatingAdmissionPolicyBinding b) {
            admissionPolicyBindings.add(b);
        } else if (obj instanceof GenericKubernetesResource g && isCalico(g)) {
            if ("Tier".equals(g.getKind())) {
                calicoTiers.add(g);
            } else if ("GlobalNetworkPolicy".equals(g.getKind()) || "NetworkPolicy".equals(g.getKind())) {
                calicoPolicies.add(g);
            } else {
                ignored++;
                return false;
            }
        } else {
            var w = Workload.from(obj);
            if (w.isPresent()) {
                workloads.add(w.get());
            } else {
                ignored++;
                return false;
            }
        }
        return true;
    }

    public KubernetesStateBuilder addAll(Iterable<? extends HasMetadata> objects) {
        objects.forEach(this::add);
        return this;
    }

    public int ignored() {
        return ignored;
    }

    public static boolean isCalico(HasMetadata obj) {
        String apiVersion = obj.getApiVersion();
        if (apiVersion == null) {
            return false;
        }
        int slash = apiVersion.indexOf('/');
        return slash > 0 && CALICO_GROUPS.contains(apiVersion.substring(0, slash));
    }

    public KubernetesState build() {
        return new KubernetesState(namespaces, workloads, networkPolicies, calicoPolicies, calicoTiers, roles,
                clusterRoles, roleBindings, clusterRoleBindings, serviceAccounts, webhooks, admissionPolicies,
                admissionPolicyBindings);
    }
}
