package dev.ekscm.remediation;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

import java.util.List;
import java.util.Optional;

/** The Kubernetes objects remediation reads, applies and removes in one cluster. */
public interface ClusterObjects {
    /** Calico's API, Calico's CRDs, or neither (asked of the API server's discovery). */
    PolicyBackend policyBackend();

    /** The namespace's NetworkPolicies as they are now (the guard right before applying one). */
    List<NetworkPolicy> networkPolicies(String namespace);

    Optional<GenericKubernetesResource> get(String apiVersion, String kind, String namespace, String name);

    /**
     * Server-side apply with field manager {@code ekscm}, conflicts not forced: a field another
     * manager owns fails the call instead of being taken over.
     */
    GenericKubernetesResource apply(GenericKubernetesResource desired);

    /** Objects labelled {@code app.kubernetes.io/managed-by=ekscm} of the kinds remediation creates. */
    List<GenericKubernetesResource> managed(PolicyBackend backend);

    /** Deletes the object; false when it was already gone. */
    boolean delete(GenericKubernetesResource object);

    /** For runs without Kubernetes access (EC2-only remediation): every call fails with the reason. */
    public static ClusterObjects unavailable(String why) {
        return new ClusterObjects() {
            private IllegalStateException fail() {
                return new IllegalStateException("no Kubernetes access: " + why);
            }

            @Override
            public PolicyBackend policyBackend() {
                throw fail();
            }

            @Override
            public List<NetworkPolicy> networkPolicies(String namespace) {
                throw fail();
            }

            @Override
            public Optional<GenericKubernetesResource> get(String apiVersion, String kind, String namespace, String name) {
                throw fail();
            }

            @Override
            public GenericKubernetesResource apply(GenericKubernetesResource desired) {
                throw fail();
            }

            @Override
            public List<GenericKubernetesResource> managed(PolicyBackend backend) {
                throw fail();
            }

            @Override
            public boolean delete(GenericKubernetesResource object) {
                throw fail();
            }
        };
    }
}
