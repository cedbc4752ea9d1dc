package dev.ekscm.routing;

/**
 * How the value found at a locator's pointers leads to cluster names. The first three read the
 * record itself; the others cost one {@link ResourceLookup} call.
 */
public enum Resolution {
    /** The value is an EKS cluster name. */
    CLUSTER_NAME,
    /** The value is an EKS ARN ({@code :cluster/NAME}, {@code :nodegroup/CLUSTER/…}); may be URL-encoded. */
    EKS_ARN,
    /** The value is a list of EC2 tags ({@code key}/{@code value} or {@code Key}/{@code Value}); cluster tags name the cluster. */
    CLUSTER_TAGS,
    /** An EC2 instance id: its cluster tags (one DescribeInstances). */
    INSTANCE,
    /** A launch template id or name: the nodegroups that use it. */
    LAUNCH_TEMPLATE,
    /** A security group id: the clusters whose cluster security group or node instances use it. */
    SECURITY_GROUP,
    /** A subnet id: the clusters whose nodegroups (or control plane) use it. */
    SUBNET,
    /** A route table id: the subnets associated with it, then as {@link #SUBNET}. */
    ROUTE_TABLE;

    public boolean needsLookup() {
        return ordinal() >= INSTANCE.ordinal();
    }
}
