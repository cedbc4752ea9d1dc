package dev.ekscm.collect;

import dev.ekscm.model.ClusterId;
import dev.ekscm.model.Input;
import dev.ekscm.model.aws.AwsClusterState;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a folder of AWS CLI JSON outputs holds: the state, which inputs were present, the cluster
 * (from describe-cluster, when present) and the cluster's tags.
 */
public record AwsFiles(AwsClusterState state, Set<Input> available, Optional<ClusterId> cluster,
                       Map<String, String> clusterTags) {
    public AwsFiles {
        available = Set.copyOf(available);
        clusterTags = Map.copyOf(clusterTags);
    }
}
