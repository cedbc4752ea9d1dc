package dev.ekscm.remediation;

import dev.ekscm.model.ClusterSnapshot;
import dev.ekscm.model.k8s.KubernetesStateBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.stream.Stream;

/**
 * How the metadata address is blocked: with Calico (its aggregated API, or its CRDs when only
 * those are served), one tiered GlobalNetworkPolicy; without it, Kubernetes NetworkPolicies per
 * namespace.
 */
public enum PolicyBackend {
    KUBERNETES("networking.k8s.io/v1", "Kubernetes NetworkPolicy per workload namespace (no Calico API served)"),
    CALICO_API("projectcalico.org/v3", "Calico Tier and GlobalNetworkPolicy (projectcalico.org/v3 API served)"),
    CALICO_CRD("crd.projectcalico.org/v1",
            "Calico Tier and GlobalNetworkPolicy written as crd.projectcalico.org/v1 custom resources "
                    + "(Calico's CRDs are served, its API server is not)");

    private final String apiVersion;
    private final String description;

    PolicyBackend(String apiVersion, String description) {
        this.apiVersion = apiVersion;
        this.description = description;
    }

    public String apiVersion() {
        return apiVersion;
    }

    public String description() {
        return description;
    }

    public boolean isCalico() {
        return this != KUBERNETES;
    }

    /**
     * For previews from files, where no API can be asked: Calico when the manifests hold Calico
     * tiers or policies (by their API group), else Kubernetes.
     */
    public static PolicyBackend inferFrom(ClusterSnapshot snapshot) {
        var k8s = snapshot.kubernetes();
        return Stream.concat(k8s.calicoTiers().stream(), k8s.calicoPolicies().stream())
                .filter(KubernetesStateBuilder::isCalico)
                .map(HasMetadata::getApiVersion)
                .map(v -> v.startsWith("crd.") ? CALICO_CRD : CALICO_API)
                .min(Enum::compareTo)
                .orElse(KUBERNETES);
    }
}
