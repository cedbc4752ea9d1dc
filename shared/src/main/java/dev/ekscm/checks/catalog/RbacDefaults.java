package dev.ekscm.checks.catalog;

import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.util.Map;

/**
 * RBAC objects that Kubernetes and EKS create and reconcile themselves: named {@code system:…}
 * or {@code eks:…}, or labelled {@code kubernetes.io/bootstrapping=rbac-defaults}. Users cannot
 * change them for long (the API server re-creates them), so the RBAC checks leave them out.
 */
final class RbacDefaults {
    static final String BOOTSTRAPPING_LABEL = "kubernetes.io/bootstrapping";

    private RbacDefaults() {
    }

    static boolean isPlatformManaged(ObjectMeta meta) {
        String name = meta.getName() == null ? "" : meta.getName();
        Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
        return name.startsWith("system:") || name.startsWith("eks:")
                || "rbac-defaults".equals(labels.get(BOOTSTRAPPING_LABEL));
    }
}
