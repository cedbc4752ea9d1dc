package dev.ekscm.remediation;

import java.util.Map;

/**
 * Whether an EC2 instance is a node of a cluster, by the tags EKS managed nodegroups, Karpenter,
 * eksctl and self-managed node templates set. The hop-limit remediation changes only instances
 * that say they belong to the cluster.
 */
public final class NodeOwnership {
    private NodeOwnership() {
    }

    public static boolean belongsTo(Map<String, String> tags, String clusterName) {
        String v = tags.get("kubernetes.io/cluster/" + clusterName);
        return clusterName.equals(tags.get("eks:cluster-name"))
                || clusterName.equals(tags.get("aws:eks:cluster-name"))
                || "owned".equals(v) || "shared".equals(v);
    }
}
