package dev.ekscm.model;

import dev.ekscm.model.aws.AwsClusterState;
import dev.ekscm.model.k8s.KubernetesState;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What was collected about one cluster, from a live account or from files. {@code available}
 * says which inputs were read (an absent input makes the checks that need it NOT_APPLICABLE);
 * {@code problems} says what could not be read and why; {@code requested} says which inputs a
 * live collection was asked to read (empty for files), so that a Kubernetes API that could not be
 * read is told apart from one that was not asked for.
 */
public record ClusterSnapshot(ClusterId cluster, Set<Input> available, AwsClusterState aws,
                              KubernetesState kubernetes, List<CollectionProblem> problems,
                              Map<String, String> clusterTags, Set<Input> requested) {

    public ClusterSnapshot {
        available = available.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(available));
        problems = List.copyOf(problems);
        clusterTags = Map.copyOf(clusterTags);
        requested = requested.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(requested));
    }

    /** A snapshot read from files: nothing was requested from a live API. */
    public ClusterSnapshot(ClusterId cluster, Set<Input> available, AwsClusterState aws, KubernetesState kubernetes,
                           List<CollectionProblem> problems, Map<String, String> clusterTags) {
        this(cluster, available, aws, kubernetes, problems, clusterTags, Set.of());
    }

    /** True when a live collection was asked for some Kubernetes input. */
    public boolean kubernetesRequested() {
        return requested.stream().anyMatch(Input::isKubernetes);
    }

    public boolean has(Input input) {
        return available.contains(input);
    }

    public boolean hasAll(Set<Input> inputs) {
        return available.containsAll(inputs);
    }

    /**
     * Something that could not be collected: which source and call, and why. A Kubernetes access
     * problem ({@code kubernetesUnreachable}) becomes the cluster-level result
     * monitor-cannot-reach-cluster.
     */
    public record CollectionProblem(Input.Source source, String where, String reason, boolean kubernetesUnreachable) {
    }
}
