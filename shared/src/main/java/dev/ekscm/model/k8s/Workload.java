package dev.ekscm.model.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import dev.ekscm.model.ResourceRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Something that runs pods: a bare Pod, or a controller with a pod template. Checks judge
 * workloads, not the pods a controller owns.
 *
 * @param podLabels labels of the pods it runs (the template's), which NetworkPolicies select
 * @param podSpec   the spec of those pods (never null: an empty spec when the manifest has none)
 */
public record Workload(String kind, String namespace, String name, Map<String, String> labels,
                       Map<String, String> annotations, Map<String, String> podLabels, PodSpec podSpec,
                       HasMetadata source) {

    public static final List<String> KINDS = List.of("Pod", "Deployment", "StatefulSet", "DaemonSet",
            "ReplicaSet", "Job", "CronJob", "ReplicationController");

    public Workload {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        podLabels = Map.copyOf(podLabels);
        podSpec = podSpec == null ? new PodSpec() : podSpec;
    }

    public ResourceRef ref() {
        return ResourceRef.of(kind, namespace, name);
    }

    /** Regular and init containers (ephemeral containers are debug sessions, not the workload). */
    public List<Container> allContainers() {
        var all = new ArrayList<Container>();
        Optional.ofNullable(podSpec.getInitContainers()).ifPresent(all::addAll);
        Optional.ofNullable(podSpec.getContainers()).ifPresent(all::addAll);
        return all;
    }

    public boolean hostNetwork() {
        return Boolean.TRUE.equals(podSpec.getHostNetwork());
    }

    /** The service account its pods run as; {@code default} when unset. */
    public String serviceAccountName() {
        String sa = podSpec.getServiceAccountName();
        if (sa == null || sa.isBlank()) {
            sa = podSpec.getServiceAccount();
        }
        return sa == null || sa.isBlank() ? "default" : sa;
    }

    /**
     * The application this workload belongs to: {@code app.kubernetes.io/name}, else {@code app},
     * else {@code k8s-app}, else the workload's own name.
     */
    public String appName() {
        return Stream.of("app.kubernetes.io/name", "app", "k8s-app")
                .map(k -> Optional.ofNullable(podLabels.get(k)).orElse(labels.get(k)))
                .filter(v -> v != null && !v.isBlank())
                .findFirst().orElse(name);
    }

    /**
     * Turns a Kubernetes object into a workload, or empty when it is not a workload kind or is
     * owned by another object (a controller's pods, a Deployment's ReplicaSets, a CronJob's Jobs).
     */
    public static Optional<Workload> from(HasMetadata obj) {
        if (obj.getMetadata() == null) {
            return Optional.empty();
        }
        var refs = obj.getMetadata().getOwnerReferences();
        if (refs != null && !refs.isEmpty()) {
            return Optional.empty();
        }
        PodTemplateSpec template = null;
        PodSpec spec = null;
        Map<String, String> podLabels = null;
        if (obj instanceof Pod p) {
            spec = p.getSpec();
            podLabels = p.getMetadata().getLabels();
        } else if (obj instanceof Deployment d && d.getSpec() != null) {
            template = d.getSpec().getTemplate();
        } else if (obj instanceof StatefulSet s && s.getSpec() != null) {
            template = s.getSpec().getTemplate();
        } else if (obj instanceof DaemonSet ds && ds.getSpec() != null) {
            template = ds.getSpec().getTemplate();
        } else if (obj instanceof ReplicaSet rs && rs.getSpec() != null) {
            template = rs.getSpec().getTemplate();
        } else if (obj instanceof Job j && j.getSpec() != null) {
            template = j.getSpec().getTemplate();
        } else if (obj instanceof CronJob cj && cj.getSpec() != null && cj.getSpec().getJobTemplate() != null
                && cj.getSpec().getJobTemplate().getSpec() != null) {
            template = cj.getSpec().getJobTemplate().getSpec().getTemplate();
        } else if (obj instanceof ReplicationController rc && rc.getSpec() != null) {
            template = rc.getSpec().getTemplate();
        } else if (!(obj instanceof Deployment || obj instanceof StatefulSet || obj instanceof DaemonSet
                || obj instanceof ReplicaSet || obj instanceof Job || obj instanceof CronJob
                || obj instanceof ReplicationController)) {
            return Optional.empty();
        }
        if (template != null) {
            spec = template.getSpec();
            podLabels = template.getMetadata() == null ? null : template.getMetadata().getLabels();
        }
        var meta = obj.getMetadata();
        String namespace = meta.getNamespace() == null || meta.getNamespace().isBlank() ? "default" : meta.getNamespace();
        return Optional.of(new Workload(obj.getKind(), namespace, String.valueOf(meta.getName()),
                nullToEmpty(meta.getLabels()), nullToEmpty(meta.getAnnotations()), nullToEmpty(podLabels), spec, obj));
    }

    private static Map<String, String> nullToEmpty(Map<String, String> m) {
        if (m == null) {
            return Map.of();
        }
        var copy = new java.util.HashMap<String, String>();
        m.forEach((k, v) -> {
            if (k != null && v != null) {
                copy.put(k, v);
            }
        });
        return copy;
    }
}
