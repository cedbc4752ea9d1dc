package dev.ekscm.routing;

import java.util.Optional;

/**
 * The EC2 tags that name an EKS cluster: {@code eks:cluster-name} (managed nodegroups),
 * {@code aws:eks:cluster-name} (the cluster security group) — the value is the name — and
 * {@code kubernetes.io/cluster/<name>} (self-managed nodes, subnets), where the key holds it.
 */
public final class ClusterTags {
    public static final String EKS_CLUSTER_NAME = "eks:cluster-name";
    public static final String AWS_EKS_CLUSTER_NAME = "aws:eks:cluster-name";
    public static final String KUBERNETES_CLUSTER_PREFIX = "kubernetes.io/cluster/";

    private ClusterTags() {
    }

    /** The cluster a tag names, if it is a cluster tag; the name is not validated here. */
    public static Optional<String> clusterName(String key, String value) {
        if (key == null) {
            return Optional.empty();
        }
        if (key.equals(EKS_CLUSTER_NAME) || key.equals(AWS_EKS_CLUSTER_NAME)) {
            return Optional.ofNullable(value);
        }
        if (key.startsWith(KUBERNETES_CLUSTER_PREFIX) && key.length() > KUBERNETES_CLUSTER_PREFIX.length()) {
            return Optional.of(key.substring(KUBERNETES_CLUSTER_PREFIX.length()));
        }
        return Optional.empty();
    }
}
