package dev.ekscm.routing;

import java.util.Set;

/**
 * The lookups that lead from an EC2 resource named in a change event to the EKS clusters it
 * belongs to. Each answers with cluster names in the event's account and region (empty: the
 * resource belongs to no cluster the monitor knows). Adapters: the EC2/EKS SDK one, and an
 * in-memory one for tests and SnapStart priming.
 */
public interface ResourceLookup {
    /** Where the resource lives: the event's account and region. */
    record Location(String account, String region) {
    }

    /** The clusters named by the instance's cluster tags. */
    Set<String> clustersOfInstance(Location where, String instanceId);

    /** The clusters whose nodegroups use the launch template (id {@code lt-…} or name). */
    Set<String> clustersUsingLaunchTemplate(Location where, String launchTemplateIdOrName);

    /** The clusters whose cluster security group, additional security groups or node instances use the group. */
    Set<String> clustersUsingSecurityGroup(Location where, String groupId);

    /** The clusters whose nodegroups or control plane use the subnet. */
    Set<String> clustersUsingSubnet(Location where, String subnetId);

    /** The clusters using a subnet associated with the route table (a main table covers its VPC's other subnets). */
    Set<String> clustersUsingRouteTable(Location where, String routeTableId);
}
