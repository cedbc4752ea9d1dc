package dev.ekscm.model.aws;

import java.util.List;
import java.util.Optional;

/**
 * Everything AWS says about one cluster and its nodes. Lists whose input was not collected are
 * empty; {@link dev.ekscm.model.ClusterSnapshot#available()} says which were.
 */
public record AwsClusterState(
        Optional<EksCluster> cluster,
        List<Nodegroup> nodegroups,
        List<AccessEntry> accessEntries,
        List<Ec2Instance> instances,
        List<Subnet> subnets,
        List<RouteTable> routeTables,
        List<NatGateway> natGateways,
        List<SecurityGroup> securityGroups,
        List<LaunchTemplateVersion> launchTemplateVersions,
        List<EcrRepository> ecrRepositories,
        Optional<RegistryScanning> registryScanning) {

    public AwsClusterState {
        nodegroups = List.copyOf(nodegroups);
        accessEntries = List.copyOf(accessEntries);
        instances = List.copyOf(instances);
        subnets = List.copyOf(subnets);
        routeTables = List.copyOf(routeTables);
        natGateways = List.copyOf(natGateways);
        securityGroups = List.copyOf(securityGroups);
        launchTemplateVersions = List.copyOf(launchTemplateVersions);
        ecrRepositories = List.copyOf(ecrRepositories);
    }

    public static AwsClusterState empty() {
        return new AwsClusterState(Optional.empty(), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of(), List.of(), List.of(), Optional.empty());
    }

    public Optional<Subnet> subnet(String id) {
        return subnets.stream().filter(s -> s.subnetId().equals(id)).findFirst();
    }

    public Optional<SecurityGroup> securityGroup(String id) {
        return securityGroups.stream().filter(s -> s.groupId().equals(id)).findFirst();
    }

    /**
     * The route table that governs a subnet: its explicit association, else the main table of its
     * VPC.
     */
    public Optional<RouteTable> routeTableFor(Subnet subnet) {
        return routeTables.stream().filter(rt -> rt.isAssociatedWith(subnet.subnetId())).findFirst()
                .or(() -> routeTables.stream()
                        .filter(rt -> rt.vpcId().equals(subnet.vpcId()) && rt.isMain()).findFirst());
    }

    /** Subnets the nodes live in: the nodegroups' subnets and the running instances' subnets. */
    public List<String> nodeSubnetIds() {
        var ids = new java.util.LinkedHashSet<String>();
        nodegroups.forEach(ng -> ids.addAll(ng.subnets()));
        instances.stream().filter(Ec2Instance::isRunning).forEach(i -> ids.add(i.subnetId()));
        return List.copyOf(ids);
    }

    public AwsClusterState withInstances(List<Ec2Instance> newInstances) {
        return new AwsClusterState(cluster, nodegroups, accessEntries, newInstances, subnets, routeTables,
                natGateways, securityGroups, launchTemplateVersions, ecrRepositories, registryScanning);
    }
}
