package dev.ekscm.checks.netpol;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;

import java.util.List;

/**
 * Kubernetes NetworkPolicy facts that several checks and remediations need. Without
 * {@code policyTypes}, Kubernetes defaults them: every policy affects Ingress, and Egress only
 * when it has a non-empty {@code egress} section (an absent and an empty list mean the same).
 */
public final class NetworkPolicies {
    public static final String INGRESS = "Ingress";
    public static final String EGRESS = "Egress";

    private NetworkPolicies() {
    }

    public static boolean affectsIngress(NetworkPolicy policy) {
        var spec = spec(policy);
        var types = types(spec);
        return types.isEmpty() || types.contains(INGRESS);
    }

    public static boolean affectsEgress(NetworkPolicy policy) {
        var spec = spec(policy);
        var types = types(spec);
        if (types.isEmpty()) {
            return spec.getEgress() != null && !spec.getEgress().isEmpty();
        }
        return types.contains(EGRESS);
    }

    /** True when {@code policyTypes} is absent and the types are the Kubernetes defaults. */
    public static boolean typesImplied(NetworkPolicy policy) {
        return types(spec(policy)).isEmpty();
    }

    /** True when the podSelector is {@code {}}: the policy selects every pod of its namespace. */
    public static boolean selectsAllPods(NetworkPolicy policy) {
        return LabelSelectors.isEmpty(spec(policy).getPodSelector());
    }

    public static String name(NetworkPolicy policy) {
        return policy.getMetadata() == null ? "(unnamed)" : String.valueOf(policy.getMetadata().getName());
    }

    static NetworkPolicySpec spec(NetworkPolicy policy) {
        return policy.getSpec() == null ? new NetworkPolicySpec() : policy.getSpec();
    }

    private static List<String> types(NetworkPolicySpec spec) {
        return spec.getPolicyTypes() == null ? List.of() : spec.getPolicyTypes();
    }
}
