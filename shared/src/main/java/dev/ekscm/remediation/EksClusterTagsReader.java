package dev.ekscm.remediation;

import dev.ekscm.model.ClusterId;
import software.amazon.awssdk.services.eks.EksClient;

import java.util.Map;

/** Cluster tags from EKS {@code DescribeCluster} (one call; needs eks:DescribeCluster). */
public final class EksClusterTagsReader implements ClusterTagsReader {
    private final EksClient eks;

    public EksClusterTagsReader(EksClient eks) {
        this.eks = eks;
    }

    @Override
    public Map<String, String> tags(ClusterId cluster) {
        var tags = eks.describeCluster(r -> r.name(cluster.name())).cluster().tags();
        return tags == null ? Map.of() : Map.copyOf(tags);
    }
}
