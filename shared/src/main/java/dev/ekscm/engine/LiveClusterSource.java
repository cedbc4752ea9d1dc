package dev.ekscm.engine;

import dev.ekscm.collect.CollectionPlan;
import dev.ekscm.collect.LiveSnapshotSource;
import dev.ekscm.model.ClusterSnapshot;
import dev.ekscm.model.Input;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A live cluster as the pipeline's snapshot source: an EKS cluster by name and region (the
 * Kubernetes API reached through DescribeCluster and an EKS token, or through a kube context when
 * one is given), or any cluster through a kube context alone (no AWS calls).
 */
public final class LiveClusterSource implements SnapshotSource {
    private final LiveSnapshotSource live;
    private final Optional<String> clusterName;
    private final String region;
    private final Optional<String> kubeContext;
    private Map<String, Integer> calls = Map.of();

    private LiveClusterSource(LiveSnapshotSource live, Optional<String> clusterName, String region, Optional<String> kubeContext) {
        this.live = live;
        this.clusterName = clusterName;
        this.region = region;
        this.kubeContext = kubeContext;
    }

    public static LiveClusterSource eks(LiveSnapshotSource live, String clusterName, String region, Optional<String> kubeContext) {
        return new LiveClusterSource(live, Optional.of(clusterName), region, kubeContext);
    }

    public static LiveClusterSource kubeContext(LiveSnapshotSource live, String kubeContext) {
        return new LiveClusterSource(live, Optional.empty(), "", Optional.of(kubeContext));
    }

    @Override
    public ClusterSnapshot collect(Set<Input> needed) {
        var plan = new CollectionPlan(needed);
        var collection = clusterName.isPresent()
                ? live.collect(clusterName.get(), region, kubeContext, plan)
                : live.collectKubernetes(kubeContext.orElseThrow(), plan);
        calls = collection.apiCalls();
        return collection.snapshot();
    }

    @Override
    public Map<String, Integer> apiCalls() {
        return calls;
    }
}
