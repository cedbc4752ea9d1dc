package dev.ekscm.collect;

import dev.ekscm.model.aws.AccessEntry;
import dev.ekscm.model.aws.Ec2Instance;
import dev.ekscm.model.aws.EcrRepository;
import dev.ekscm.model.aws.EksCluster;
import dev.ekscm.model.aws.LaunchTemplateRef;
import dev.ekscm.model.aws.LaunchTemplateVersion;
import dev.ekscm.model.aws.MetadataOptions;
import dev.ekscm.model.aws.NatGateway;
import dev.ekscm.model.aws.Nodegroup;
import dev.ekscm.model.aws.RegistryScanning;
import dev.ekscm.model.aws.RouteTable;
import dev.ekscm.model.aws.SecurityGroup;
import dev.ekscm.model.aws.Subnet;
import software.amazon.awssdk.services.ec2.model.GroupIdentifier;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;
import software.amazon.awssdk.services.ecr.model.GetRegistryScanningConfigurationResponse;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.ScanningRepositoryFilter;
import software.amazon.awssdk.services.eks.model.AssociatedAccessPolicy;
import software.amazon.awssdk.services.eks.model.Cluster;
import software.amazon.awssdk.services.eks.model.LogSetup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Turns SDK v2 model objects into the records the checks read. */
final class AwsMapper {
    private AwsMapper() {
    }

    static EksCluster cluster(Cluster c) {
        var vpc = c.resourcesVpcConfig();
        var logTypes = new LinkedHashSet<String>();
        if (c.logging() != null) {
            for (LogSetup setup : c.logging().clusterLogging()) {
                if (Boolean.TRUE.equals(setup.enabled())) {
                    setup.typesAsStrings().forEach(logTypes::add);
                }
            }
        }
        var encryption = c.encryptionConfig().stream()
                .map(e -> new EksCluster.EncryptionConfig(e.resources(),
                        Optional.ofNullable(e.provider()).map(p -> p.keyArn()).filter(k -> !k.isBlank())))
                .toList();
        return new EksCluster(
                c.name(), nz(c.arn()), nz(c.version()), nz(c.statusAsString()),
                vpc == null ? "" : nz(vpc.vpcId()),
                vpc == null ? List.of() : vpc.subnetIds(),
                vpc == null ? List.of() : vpc.securityGroupIds(),
                vpc == null ? Optional.empty() : opt(vpc.clusterSecurityGroupId()),
                vpc != null && Boolean.TRUE.equals(vpc.endpointPublicAccess()),
                vpc != null && Boolean.TRUE.equals(vpc.endpointPrivateAccess()),
                vpc == null ? List.of() : vpc.publicAccessCidrs(),
                logTypes, encryption,
                opt(c.endpoint()),
                c.certificateAuthority() == null ? Optional.empty() : opt(c.certificateAuthority().data()),
                c.accessConfig() == null ? Optional.empty() : opt(c.accessConfig().authenticationModeAsString()),
                c.tags());
    }

    static Nodegroup nodegroup(software.amazon.awssdk.services.eks.model.Nodegroup n) {
        Optional<LaunchTemplateRef> lt = Optional.ofNullable(n.launchTemplate())
                .map(t -> new LaunchTemplateRef(opt(t.id()), opt(t.name()), opt(t.version())))
                .filter(r -> r.id().isPresent() || r.name().isPresent());
        var remote = n.remoteAccess();
        List<String> asgs = n.resources() == null ? List.of()
                : n.resources().autoScalingGroups().stream().map(a -> a.name()).toList();
        return new Nodegroup(n.nodegroupName(), nz(n.clusterName()), n.subnets(), lt,
                remote == null ? Optional.empty() : opt(remote.ec2SshKey()),
                remote == null ? List.of() : remote.sourceSecurityGroups(),
                asgs, n.instanceTypes(), nz(n.statusAsString()), n.tags());
    }

    static AccessEntry.PolicyAssociation policy(AssociatedAccessPolicy p) {
        var scope = p.accessScope();
        return new AccessEntry.PolicyAssociation(p.policyArn(),
                scope == null ? "cluster" : nz(scope.typeAsString()),
                scope == null ? List.of() : scope.namespaces());
    }

    static Ec2Instance instance(Instance i) {
        Map<String, String> tags = tags(i.tags());
        var md = i.metadataOptions();
        MetadataOptions options = md == null ? MetadataOptions.unset()
                : MetadataOptions.of(md.httpTokensAsString(), md.httpPutResponseHopLimit(), md.httpEndpointAsString());
        Optional<LaunchTemplateRef> lt = Optional.ofNullable(tags.get("aws:ec2launchtemplate:id"))
                .map(id -> new LaunchTemplateRef(Optional.of(id), Optional.empty(),
                        Optional.ofNullable(tags.get("aws:ec2launchtemplate:version"))));
        return new Ec2Instance(i.instanceId(), nz(i.subnetId()), nz(i.vpcId()),
                i.state() == null ? "" : nz(i.state().nameAsString()), opt(i.publicIpAddress()), options,
                i.securityGroups().stream().map(GroupIdentifier::groupId).toList(), lt, tags);
    }

    static Subnet subnet(software.amazon.awssdk.services.ec2.model.Subnet s) {
        return new Subnet(s.subnetId(), nz(s.vpcId()), nz(s.availabilityZone()),
                Boolean.TRUE.equals(s.mapPublicIpOnLaunch()), tags(s.tags()));
    }

    static RouteTable routeTable(software.amazon.awssdk.services.ec2.model.RouteTable rt) {
        var associations = rt.associations().stream()
                .filter(a -> a.subnetId() != null || Boolean.TRUE.equals(a.main()))
                .map(a -> new RouteTable.Association(opt(a.subnetId()), Boolean.TRUE.equals(a.main())))
                .toList();
        var routes = rt.routes().stream()
                .map(r -> new RouteTable.Route(
                        first(r.destinationCidrBlock(), r.destinationIpv6CidrBlock(), r.destinationPrefixListId()),
                        first(r.gatewayId(), r.natGatewayId(), r.transitGatewayId(), r.egressOnlyInternetGatewayId(),
                                r.vpcPeeringConnectionId(), r.networkInterfaceId(), r.instanceId(), r.localGatewayId(),
                                r.carrierGatewayId(), r.coreNetworkArn()),
                        r.state() == null ? "active" : nz(r.stateAsString())))
                .toList();
        return new RouteTable(rt.routeTableId(), nz(rt.vpcId()), associations, routes);
    }

    static NatGateway natGateway(software.amazon.awssdk.services.ec2.model.NatGateway n) {
        return new NatGateway(n.natGatewayId(), nz(n.subnetId()), nz(n.vpcId()), nz(n.stateAsString()),
                n.connectivityType() == null ? "public" : nz(n.connectivityTypeAsString()));
    }

    static SecurityGroup securityGroup(software.amazon.awssdk.services.ec2.model.SecurityGroup g) {
        var ingress = new ArrayList<SecurityGroup.IpPermission>();
        for (IpPermission p : g.ipPermissions()) {
            ingress.add(new SecurityGroup.IpPermission(nz(p.ipProtocol()), Optional.ofNullable(p.fromPort()),
                    Optional.ofNullable(p.toPort()),
                    p.ipRanges().stream().map(IpRange::cidrIp).toList(),
                    p.ipv6Ranges().stream().map(Ipv6Range::cidrIpv6).toList(),
                    p.userIdGroupPairs().stream().map(UserIdGroupPair::groupId).filter(java.util.Objects::nonNull).toList()));
        }
        return new SecurityGroup(g.groupId(), nz(g.groupName()), nz(g.vpcId()), ingress);
    }

    static LaunchTemplateVersion launchTemplateVersion(software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion v) {
        var data = v.launchTemplateData();
        Optional<MetadataOptions> md = data == null || data.metadataOptions() == null ? Optional.empty()
                : Optional.of(MetadataOptions.of(data.metadataOptions().httpTokensAsString(),
                data.metadataOptions().httpPutResponseHopLimit(), data.metadataOptions().httpEndpointAsString()));
        return new LaunchTemplateVersion(v.launchTemplateId(), nz(v.launchTemplateName()),
                v.versionNumber() == null ? 0 : v.versionNumber(), Boolean.TRUE.equals(v.defaultVersion()), md);
    }

    static EcrRepository repository(Repository r) {
        return new EcrRepository(r.repositoryName(), nz(r.repositoryUri()), nz(r.registryId()),
                r.imageScanningConfiguration() != null && Boolean.TRUE.equals(r.imageScanningConfiguration().scanOnPush()));
    }

    static RegistryScanning registryScanning(GetRegistryScanningConfigurationResponse response) {
        var config = response.scanningConfiguration();
        if (config == null) {
            return new RegistryScanning("BASIC", List.of());
        }
        var rules = config.rules().stream()
                .map(rule -> new RegistryScanning.Rule(nz(rule.scanFrequencyAsString()),
                        rule.repositoryFilters().stream().map(ScanningRepositoryFilter::filter).toList()))
                .toList();
        return new RegistryScanning(config.scanType() == null ? "BASIC" : config.scanTypeAsString(), rules);
    }

    static Map<String, String> tags(List<Tag> tags) {
        var map = new LinkedHashMap<String, String>();
        tags.forEach(t -> {
            if (t.key() != null) {
                map.put(t.key(), t.value() == null ? "" : t.value());
            }
        });
        return map;
    }

    private static String first(String... values) {
        return Stream.of(values).filter(v -> v != null && !v.isBlank()).findFirst().orElse("");
    }

    private static Optional<String> opt(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
