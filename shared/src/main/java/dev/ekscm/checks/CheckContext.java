package dev.ekscm.checks;

import dev.ekscm.model.ClusterSnapshot;
import dev.ekscm.model.Input;
import dev.ekscm.model.aws.AwsClusterState;
import dev.ekscm.model.k8s.KubernetesState;
import dev.ekscm.model.k8s.Workload;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a check sees: the snapshot, the policy, and indexes built once per run so that no check
 * loops workloads × policies (everything per namespace is a map lookup).
 */
public final class CheckContext {
    private final ClusterSnapshot snapshot;
    private final CheckConfig config;
    private final Map<String, List<Workload>> workloadsByNamespace;
    private final Map<String, List<NetworkPolicy>> policiesByNamespace;
    private final Map<String, Namespace> namespacesByName;

    public CheckContext(ClusterSnapshot snapshot, CheckConfig config) {
        this.snapshot = snapshot;
        this.config = config;
        KubernetesState k8s = snapshot.kubernetes();
        this.workloadsByNamespace = k8s.workloads().stream().collect(Collectors.groupingBy(Workload::namespace));
        this.policiesByNamespace = k8s.networkPolicies().stream()
                .collect(Collectors.groupingBy(p -> namespaceOf(p.getMetadata().getNamespace())));
        this.namespacesByName = k8s.namespaces().stream()
                .collect(Collectors.toMap(n -> n.getMetadata().getName(), n -> n, (a, b) -> a));
    }

    public ClusterSnapshot snapshot() {
        return snapshot;
    }

    public CheckConfig config() {
        return config;
    }

    public AwsClusterState aws() {
        return snapshot.aws();
    }

    public KubernetesState kubernetes() {
        return snapshot.kubernetes();
    }

    public boolean has(Input input) {
        return snapshot.has(input);
    }

    public String clusterName() {
        return snapshot.cluster().name();
    }

    public boolean isExcludedNamespace(String namespace) {
        return config.isExcludedNamespace(namespace);
    }

    /** Workloads in namespaces that are judged (not system, not excluded), in a stable order. */
    public List<Workload> judgedWorkloads() {
        return kubernetes().workloads().stream().filter(w -> !isExcludedNamespace(w.namespace())).toList();
    }

    public List<Workload> workloadsIn(String namespace) {
        return workloadsByNamespace.getOrDefault(namespace, List.of());
    }

    public List<NetworkPolicy> networkPoliciesIn(String namespace) {
        return policiesByNamespace.getOrDefault(namespace, List.of());
    }

    public Optional<Namespace> namespace(String name) {
        return Optional.ofNullable(namespacesByName.get(name));
    }

    /**
     * Namespaces whose settings are judged: every declared Namespace object that is not system or
     * excluded, sorted by name. (Undeclared namespaces that workloads name are not judged: an
     * offline scan cannot know their labels.)
     */
    public List<Namespace> judgedNamespaces() {
        return kubernetes().namespaces().stream()
                .filter(n -> !isExcludedNamespace(n.getMetadata().getName()))
                .sorted(Comparator.comparing(n -> n.getMetadata().getName()))
                .toList();
    }

    /** Every namespace name known from Namespace objects or from the workloads in it. */
    public List<String> allNamespaceNames() {
        var names = new TreeSet<>(namespacesByName.keySet());
        names.addAll(workloadsByNamespace.keySet());
        return List.copyOf(names);
    }

    static String namespaceOf(String ns) {
        return ns == null || ns.isBlank() ? "default" : ns;
    }
}
