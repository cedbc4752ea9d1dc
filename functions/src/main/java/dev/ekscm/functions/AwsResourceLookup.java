package dev.ekscm.functions;

import dev.ekscm.routing.ClusterTags;
import dev.ekscm.routing.ResourceLookup;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociation;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.Cluster;
import software.amazon.awssdk.services.eks.model.Nodegroup;
import software.amazon.awssdk.services.eks.model.ResourceNotFoundException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@link ResourceLookup} on EC2 and EKS. Cluster tags answer first (one Describe call); where the
 * resource carries none, the region's clusters and their nodegroups are read (ListClusters,
 * DescribeCluster, ListNodegroups, DescribeNodegroup) and matched. A resource that no longer
 * exists belongs to no cluster.
 */
public final class AwsResourceLookup implements ResourceLookup {
    public static final List<String> IAM_ACTIONS = List.of(
            "ec2:DescribeInstances", "ec2:DescribeLaunchTemplates", "ec2:DescribeSecurityGroups",
            "ec2:DescribeSubnets", "ec2:DescribeRouteTables",
            "eks:ListClusters", "eks:DescribeCluster", "eks:ListNodegroups", "eks:DescribeNodegroup");

    private final AwsClients clients;

    public AwsResourceLookup(AwsClients clients) {
        this.clients = clients;
    }

    @Override
    public Set<String> clustersOfInstance(Location where, String instanceId) {
        var names = new LinkedHashSet<String>();
        try {
            ec2(where).describeInstancesPaginator(b -> b.instanceIds(instanceId)).reservations()
                    .forEach(r -> r.instances().forEach(i -> addTagged(i.tags(), names)));
        } catch (Ec2Exception e) {
            if (!notFound(e)) {
                throw e;
            }
        }
        return names;
    }

    @Override
    public Set<String> clustersUsingLaunchTemplate(Location where, String idOrName) {
        List<LaunchTemplate> templates;
        try {
            templates = idOrName.startsWith("lt-")
                    ? ec2(where).describeLaunchTemplates(b -> b.launchTemplateIds(idOrName)).launchTemplates()
                    : ec2(where).describeLaunchTemplates(b -> b.launchTemplateNames(idOrName)).launchTemplates();
        } catch (Ec2Exception e) {
            if (notFound(e)) {
                return Set.of();
            }
            throw e;
        }
        var names = new LinkedHashSet<String>();
        templates.forEach(t -> addTagged(t.tags(), names));
        if (!names.isEmpty()) {
            return names;
        }
        var ids = new LinkedHashSet<String>();
        templates.forEach(t -> {
            ids.add(t.launchTemplateId());
            ids.add(t.launchTemplateName());
        });
        ids.add(idOrName);
        return clustersWithNodegroup(where, ng -> ng.launchTemplate() != null
                && (ids.contains(ng.launchTemplate().id()) || ids.contains(ng.launchTemplate().name())));
    }

    @Override
    public Set<String> clustersUsingSecurityGroup(Location where, String groupId) {
        var names = new LinkedHashSet<String>();
        try {
            ec2(where).describeSecurityGroups(b -> b.groupIds(groupId)).securityGroups()
                    .forEach(g -> addTagged(g.tags(), names));
        } catch (Ec2Exception e) {
            if (notFound(e)) {
                return Set.of();
            }
            throw e;
        }
        ec2(where).describeInstancesPaginator(b -> b.filters(Filter.builder().name("instance.group-id").values(groupId).build()))
                .reservations().forEach(r -> r.instances().forEach(i -> addTagged(i.tags(), names)));
        if (names.isEmpty()) {
            for (Cluster c : clusters(where)) {
                var vpc = c.resourcesVpcConfig();
                if (vpc != null && (groupId.equals(vpc.clusterSecurityGroupId()) || vpc.securityGroupIds().contains(groupId))) {
                    names.add(c.name());
                }
            }
        }
        return names;
    }

    @Override
    public Set<String> clustersUsingSubnet(Location where, String subnetId) {
        var names = new LinkedHashSet<String>();
        try {
            ec2(where).describeSubnets(b -> b.subnetIds(subnetId)).subnets().forEach(s -> addTagged(s.tags(), names));
        } catch (Ec2Exception e) {
            if (notFound(e)) {
                return Set.of();
            }
            throw e;
        }
        if (names.isEmpty()) {
            names.addAll(clustersUsingAnySubnet(where, Set.of(subnetId)));
        }
        return names;
    }

    @Override
    public Set<String> clustersUsingRouteTable(Location where, String routeTableId) {
        var subnets = new LinkedHashSet<String>();
        var mainOfVpcs = new LinkedHashSet<String>();
        try {
            ec2(where).describeRouteTables(b -> b.routeTableIds(routeTableId)).routeTables().forEach(t -> {
                for (RouteTableAssociation a : t.associations()) {
                    if (a.subnetId() != null) {
                        subnets.add(a.subnetId());
                    }
                    if (Boolean.TRUE.equals(a.main())) {
                        mainOfVpcs.add(t.vpcId());
                    }
                }
            });
        } catch (Ec2Exception e) {
            if (notFound(e)) {
                return Set.of();
            }
            throw e;
        }
        var names = new LinkedHashSet<String>();
        if (!subnets.isEmpty()) {
            ec2(where).describeSubnets(b -> b.subnetIds(subnets)).subnets().forEach(s -> addTagged(s.tags(), names));
            names.addAll(clustersUsingAnySubnet(where, subnets));
        }
        if (!mainOfVpcs.isEmpty()) {
            // the main table routes every subnet of its VPC that has no explicit association
            for (Cluster c : clusters(where)) {
                if (c.resourcesVpcConfig() != null && mainOfVpcs.contains(c.resourcesVpcConfig().vpcId())) {
                    names.add(c.name());
                }
            }
        }
        return names;
    }

    private Set<String> clustersUsingAnySubnet(Location where, Collection<String> subnetIds) {
        var names = new LinkedHashSet<String>(clustersWithNodegroup(where,
                ng -> ng.subnets().stream().anyMatch(subnetIds::contains)));
        for (Cluster c : clusters(where)) {
            if (c.resourcesVpcConfig() != null && c.resourcesVpcConfig().subnetIds().stream().anyMatch(subnetIds::contains)) {
                names.add(c.name());
            }
        }
        return names;
    }

    private List<Cluster> clusters(Location where) {
        EksClient eks = eks(where);
        var result = new ArrayList<Cluster>();
        for (String name : eks.listClustersPaginator(b -> b.maxResults(100)).clusters()) {
            try {
                result.add(eks.describeCluster(b -> b.name(name)).cluster());
            } catch (ResourceNotFoundException gone) {
                // deleted between the two calls
            }
        }
        return result;
    }

    private Set<String> clustersWithNodegroup(Location where, Predicate<Nodegroup> uses) {
        EksClient eks = eks(where);
        var names = new LinkedHashSet<String>();
        for (String cluster : eks.listClustersPaginator(b -> b.maxResults(100)).clusters()) {
            try {
                for (String ng : eks.listNodegroupsPaginator(b -> b.clusterName(cluster)).nodegroups()) {
                    Nodegroup nodegroup = eks.describeNodegroup(b -> b.clusterName(cluster).nodegroupName(ng)).nodegroup();
                    if (uses.test(nodegroup)) {
                        names.add(cluster);
                        break;
                    }
                }
            } catch (ResourceNotFoundException gone) {
                // deleted while we looked
            }
        }
        return names;
    }

    private static void addTagged(List<Tag> tags, Set<String> names) {
        for (Tag t : tags) {
            ClusterTags.clusterName(t.key(), t.value()).ifPresent(names::add);
        }
    }

    private static boolean notFound(Ec2Exception e) {
        String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
        return code != null && (code.endsWith(".NotFound") || code.endsWith(".Malformed") || code.startsWith("InvalidLaunchTemplate"));
    }

    private Ec2Client ec2(Location where) {
        return clients.ec2(where.account(), where.region());
    }

    private EksClient eks(Location where) {
        return clients.eks(where.account(), where.region());
    }
}
