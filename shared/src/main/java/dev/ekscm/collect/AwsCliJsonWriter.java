package dev.ekscm.collect;

import dev.ekscm.model.ClusterSnapshot;
import dev.ekscm.model.Input;
import dev.ekscm.model.aws.AccessEntry;
import dev.ekscm.model.aws.AwsClusterState;
import dev.ekscm.model.aws.Ec2Instance;
import dev.ekscm.model.aws.EcrRepository;
import dev.ekscm.model.aws.EksCluster;
import dev.ekscm.model.aws.LaunchTemplateVersion;
import dev.ekscm.model.aws.MetadataOptions;
import dev.ekscm.model.aws.NatGateway;
import dev.ekscm.model.aws.Nodegroup;
import dev.ekscm.model.aws.RegistryScanning;
import dev.ekscm.model.aws.RouteTable;
import dev.ekscm.model.aws.SecurityGroup;
import dev.ekscm.model.aws.Subnet;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Writes a snapshot's AWS state as the files the AWS CLI prints ({@code --output json}), one file
 * per call, which {@link AwsCliJsonReader} reads back: {@code {"cluster":…}}, one
 * {@code {"nodegroup":…}} per nodegroup, per principal {@code {"accessEntry":…}} and
 * {@code {"associatedAccessPolicies":…,"principalArn":…}}, {@code {"Reservations":…}},
 * {@code {"Subnets":…}}, {@code {"RouteTables":…}}, {@code {"SecurityGroups":…}},
 * {@code {"LaunchTemplateVersions":…}}, {@code {"NatGateways":…}}, {@code {"repositories":…}} and
 * {@code {"scanningConfiguration":…}}. Only inputs the snapshot holds are written, so that reading
 * the folder back makes the same inputs available.
 */
public final class AwsCliJsonWriter {
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** Writes the files into {@code folder} (created when absent); returns them in the order written. */
    public List<Path> write(ClusterSnapshot snapshot, Path folder) {
        var files = new ArrayList<Path>();
        AwsClusterState aws = snapshot.aws();
        mkdirs(folder);
        if (snapshot.has(Input.EKS_CLUSTER) && aws.cluster().isPresent()) {
            files.add(write(folder, "eks-describe-cluster.json", root("cluster", cluster(aws.cluster().get()))));
        }
        if (snapshot.has(Input.NODEGROUPS)) {
            for (Nodegroup ng : aws.nodegroups()) {
                files.add(write(folder, "eks-describe-nodegroup-" + safe(ng.name()) + ".json", root("nodegroup", nodegroup(ng))));
            }
        }
        if (snapshot.has(Input.ACCESS_ENTRIES)) {
            int i = 0;
            for (AccessEntry entry : aws.accessEntries()) {
                i++;
                String suffix = String.format("%03d", i);
                files.add(write(folder, "eks-describe-access-entry-" + suffix + ".json",
                        root("accessEntry", accessEntry(entry, clusterName(snapshot)))));
                files.add(write(folder, "eks-list-associated-access-policies-" + suffix + ".json",
                        accessPolicies(entry, clusterName(snapshot))));
            }
        }
        if (snapshot.has(Input.INSTANCES)) {
            ObjectNode reservation = JSON.createObjectNode();
            ArrayNode instances = reservation.putArray("Instances");
            aws.instances().forEach(i -> instances.add(instance(i)));
            ObjectNode root = JSON.createObjectNode();
            ArrayNode reservations = root.putArray("Reservations");
            if (!aws.instances().isEmpty()) {
                reservations.add(reservation);
            }
            files.add(write(folder, "ec2-describe-instances.json", root));
        }
        if (snapshot.has(Input.SUBNETS)) {
            files.add(write(folder, "ec2-describe-subnets.json", rootArray("Subnets", aws.subnets(), AwsCliJsonWriter::subnet)));
        }
        if (snapshot.has(Input.ROUTE_TABLES)) {
            files.add(write(folder, "ec2-describe-route-tables.json",
                    rootArray("RouteTables", aws.routeTables(), AwsCliJsonWriter::routeTable)));
        }
        if (snapshot.has(Input.SECURITY_GROUPS)) {
            files.add(write(folder, "ec2-describe-security-groups.json",
                    rootArray("SecurityGroups", aws.securityGroups(), AwsCliJsonWriter::securityGroup)));
        }
        if (snapshot.has(Input.LAUNCH_TEMPLATES)) {
            files.add(write(folder, "ec2-describe-launch-template-versions.json",
                    rootArray("LaunchTemplateVersions", aws.launchTemplateVersions(), AwsCliJsonWriter::launchTemplateVersion)));
        }
        if (snapshot.has(Input.NAT_GATEWAYS)) {
            files.add(write(folder, "ec2-describe-nat-gateways.json",
                    rootArray("NatGateways", aws.natGateways(), AwsCliJsonWriter::natGateway)));
        }
        if (snapshot.has(Input.ECR_REPOSITORIES)) {
            files.add(write(folder, "ecr-describe-repositories.json",
                    rootArray("repositories", aws.ecrRepositories(), AwsCliJsonWriter::repository)));
            if (aws.registryScanning().isPresent()) {
                ObjectNode root = JSON.createObjectNode();
                root.put("registryId", snapshot.cluster().account());
                root.set("scanningConfiguration", scanning(aws.registryScanning().get()));
                files.add(write(folder, "ecr-get-registry-scanning-configuration.json", root));
            }
        }
        return files;
    }

    private static String clusterName(ClusterSnapshot s) {
        return s.cluster().name();
    }

    static ObjectNode cluster(EksCluster c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", c.name());
        n.put("arn", c.arn());
        n.put("version", c.version());
        c.endpoint().ifPresent(e -> n.put("endpoint", e));
        ObjectNode vpc = n.putObject("resourcesVpcConfig");
        strings(vpc.putArray("subnetIds"), c.subnetIds());
        strings(vpc.putArray("securityGroupIds"), c.securityGroupIds());
        c.clusterSecurityGroupId().ifPresent(id -> vpc.put("clusterSecurityGroupId", id));
        vpc.put("vpcId", c.vpcId());
        vpc.put("endpointPublicAccess", c.endpointPublicAccess());
        vpc.put("endpointPrivateAccess", c.endpointPrivateAccess());
        strings(vpc.putArray("publicAccessCidrs"), c.publicAccessCidrs());
        ObjectNode logging = n.putObject("logging");
        ArrayNode setups = logging.putArray("clusterLogging");
        if (!c.enabledLogTypes().isEmpty()) {
            ObjectNode enabled = setups.addObject();
            strings(enabled.putArray("types"), c.enabledLogTypes().stream().sorted().toList());
            enabled.put("enabled", true);
        }
        n.put("status", c.status());
        c.certificateAuthority().ifPresent(ca -> n.putObject("certificateAuthority").put("data", ca));
        ArrayNode encryption = n.putArray("encryptionConfig");
        for (EksCluster.EncryptionConfig e : c.encryptionConfig()) {
            ObjectNode o = encryption.addObject();
            strings(o.putArray("resources"), e.resources());
            e.keyArn().ifPresent(k -> o.putObject("provider").put("keyArn", k));
        }
        c.authenticationMode().ifPresent(m -> n.putObject("accessConfig").put("authenticationMode", m));
        tagMap(n.putObject("tags"), c.tags());
        return n;
    }

    static ObjectNode nodegroup(Nodegroup ng) {
        ObjectNode n = JSON.createObjectNode();
        n.put("nodegroupName", ng.name());
        n.put("clusterName", ng.clusterName());
        n.put("status", ng.status());
        strings(n.putArray("instanceTypes"), ng.instanceTypes());
        strings(n.putArray("subnets"), ng.subnets());
        if (ng.remoteAccessSshKey().isPresent() || !ng.remoteAccessSourceSecurityGroups().isEmpty()) {
            ObjectNode remote = n.putObject("remoteAccess");
            ng.remoteAccessSshKey().ifPresent(k -> remote.put("ec2SshKey", k));
            strings(remote.putArray("sourceSecurityGroups"), ng.remoteAccessSourceSecurityGroups());
        }
        ArrayNode asgs = n.putObject("resources").putArray("autoScalingGroups");
        ng.autoScalingGroups().forEach(a -> asgs.addObject().put("name", a));
        ng.launchTemplate().ifPresent(lt -> {
            ObjectNode o = n.putObject("launchTemplate");
            lt.name().ifPresent(v -> o.put("name", v));
            lt.version().ifPresent(v -> o.put("version", v));
            lt.id().ifPresent(v -> o.put("id", v));
        });
        tagMap(n.putObject("tags"), ng.tags());
        return n;
    }

    static ObjectNode accessEntry(AccessEntry e, String clusterName) {
        ObjectNode n = JSON.createObjectNode();
        n.put("clusterName", clusterName);
        n.put("principalArn", e.principalArn());
        strings(n.putArray("kubernetesGroups"), e.kubernetesGroups());
        n.put("type", e.type().isBlank() ? "STANDARD" : e.type());
        return n;
    }

    static ObjectNode accessPolicies(AccessEntry e, String clusterName) {
        ObjectNode n = JSON.createObjectNode();
        n.put("clusterName", clusterName);
        n.put("principalArn", e.principalArn());
        ArrayNode policies = n.putArray("associatedAccessPolicies");
        for (AccessEntry.PolicyAssociation p : e.policies()) {
            ObjectNode o = policies.addObject();
            o.put("policyArn", p.policyArn());
            ObjectNode scope = o.putObject("accessScope");
            scope.put("type", p.scopeType());
            strings(scope.putArray("namespaces"), p.namespaces());
        }
        return n;
    }

    static ObjectNode instance(Ec2Instance i) {
        ObjectNode n = JSON.createObjectNode();
        n.put("InstanceId", i.instanceId());
        n.putObject("State").put("Name", i.state());
        n.put("SubnetId", i.subnetId());
        n.put("VpcId", i.vpcId());
        i.publicIpAddress().ifPresent(ip -> n.put("PublicIpAddress", ip));
        ArrayNode groups = n.putArray("SecurityGroups");
        i.securityGroupIds().forEach(g -> groups.addObject().put("GroupId", g));
        n.set("MetadataOptions", metadataOptions(i.metadataOptions()));
        ec2Tags(n.putArray("Tags"), i.tags());
        return n;
    }

    static ObjectNode metadataOptions(MetadataOptions m) {
        ObjectNode n = JSON.createObjectNode();
        m.httpTokens().ifPresent(v -> n.put("HttpTokens", v));
        m.httpPutResponseHopLimit().ifPresent(v -> n.put("HttpPutResponseHopLimit", v));
        m.httpEndpoint().ifPresent(v -> n.put("HttpEndpoint", v));
        return n;
    }

    static ObjectNode subnet(Subnet s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("SubnetId", s.subnetId());
        n.put("VpcId", s.vpcId());
        n.put("AvailabilityZone", s.availabilityZone());
        n.put("MapPublicIpOnLaunch", s.mapPublicIpOnLaunch());
        ec2Tags(n.putArray("Tags"), s.tags());
        return n;
    }

    static ObjectNode routeTable(RouteTable rt) {
        ObjectNode n = JSON.createObjectNode();
        n.put("RouteTableId", rt.routeTableId());
        n.put("VpcId", rt.vpcId());
        ArrayNode associations = n.putArray("Associations");
        for (RouteTable.Association a : rt.associations()) {
            ObjectNode o = associations.addObject();
            o.put("Main", a.main());
            a.subnetId().ifPresent(id -> o.put("SubnetId", id));
            o.putObject("AssociationState").put("State", "associated");
        }
        ArrayNode routes = n.putArray("Routes");
        for (RouteTable.Route r : rt.routes()) {
            ObjectNode o = routes.addObject();
            String d = r.destination();
            o.put(d.startsWith("pl-") ? "DestinationPrefixListId" : d.contains(":") ? "DestinationIpv6CidrBlock"
                    : "DestinationCidrBlock", d);
            if (!r.target().isEmpty()) {
                o.put(targetField(r.target()), r.target());
            }
            o.put("State", r.state());
        }
        return n;
    }

    /** The describe-route-tables field a route target id sits in, from its prefix. */
    static String targetField(String target) {
        var byPrefix = new TreeMap<String, String>(Map.of(
                "nat-", "NatGatewayId", "tgw-", "TransitGatewayId", "eigw-", "EgressOnlyInternetGatewayId",
                "pcx-", "VpcPeeringConnectionId", "eni-", "NetworkInterfaceId", "i-", "InstanceId",
                "cagw-", "CarrierGatewayId", "lgw-", "LocalGatewayId", "arn:", "CoreNetworkArn"));
        return byPrefix.entrySet().stream().filter(e -> target.startsWith(e.getKey())).map(Map.Entry::getValue)
                .findFirst().orElse("GatewayId"); // igw-, vgw-, vpce- and "local"
    }

    static ObjectNode securityGroup(SecurityGroup g) {
        ObjectNode n = JSON.createObjectNode();
        n.put("GroupId", g.groupId());
        n.put("GroupName", g.groupName());
        n.put("VpcId", g.vpcId());
        ArrayNode permissions = n.putArray("IpPermissions");
        for (SecurityGroup.IpPermission p : g.ingress()) {
            ObjectNode o = permissions.addObject();
            o.put("IpProtocol", p.protocol());
            p.fromPort().ifPresent(v -> o.put("FromPort", v));
            p.toPort().ifPresent(v -> o.put("ToPort", v));
            ArrayNode v4 = o.putArray("IpRanges");
            p.ipv4Ranges().forEach(c -> v4.addObject().put("CidrIp", c));
            ArrayNode v6 = o.putArray("Ipv6Ranges");
            p.ipv6Ranges().forEach(c -> v6.addObject().put("CidrIpv6", c));
            ArrayNode pairs = o.putArray("UserIdGroupPairs");
            p.sourceGroupIds().forEach(id -> pairs.addObject().put("GroupId", id));
        }
        return n;
    }

    static ObjectNode launchTemplateVersion(LaunchTemplateVersion v) {
        ObjectNode n = JSON.createObjectNode();
        n.put("LaunchTemplateId", v.launchTemplateId());
        n.put("LaunchTemplateName", v.launchTemplateName());
        n.put("VersionNumber", v.versionNumber());
        n.put("DefaultVersion", v.defaultVersion());
        ObjectNode data = n.putObject("LaunchTemplateData");
        v.metadataOptions().ifPresent(m -> data.set("MetadataOptions", metadataOptions(m)));
        return n;
    }

    static ObjectNode natGateway(NatGateway g) {
        ObjectNode n = JSON.createObjectNode();
        n.put("NatGatewayId", g.natGatewayId());
        n.put("SubnetId", g.subnetId());
        n.put("VpcId", g.vpcId());
        n.put("State", g.state());
        n.put("ConnectivityType", g.connectivityType());
        return n;
    }

    static ObjectNode repository(EcrRepository r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("repositoryName", r.repositoryName());
        n.put("repositoryUri", r.repositoryUri());
        n.put("registryId", r.registryId());
        n.putObject("imageScanningConfiguration").put("scanOnPush", r.scanOnPush());
        return n;
    }

    static ObjectNode scanning(RegistryScanning s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("scanType", s.scanType());
        ArrayNode rules = n.putArray("rules");
        for (RegistryScanning.Rule rule : s.rules()) {
            ObjectNode o = rules.addObject();
            o.put("scanFrequency", rule.scanFrequency());
            ArrayNode filters = o.putArray("repositoryFilters");
            rule.repositoryFilters().forEach(f -> filters.addObject().put("filter", f).put("filterType", "WILDCARD"));
        }
        return n;
    }

    private static ObjectNode root(String key, ObjectNode value) {
        ObjectNode root = JSON.createObjectNode();
        root.set(key, value);
        return root;
    }

    private static <T> ObjectNode rootArray(String key, Collection<T> items, java.util.function.Function<T, ObjectNode> map) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode array = root.putArray(key);
        items.forEach(i -> array.add(map.apply(i)));
        return root;
    }

    private static void strings(ArrayNode array, Collection<String> values) {
        values.forEach(array::add);
    }

    private static void tagMap(ObjectNode node, Map<String, String> tags) {
        new TreeMap<>(tags).forEach(node::put);
    }

    private static void ec2Tags(ArrayNode array, Map<String, String> tags) {
        new TreeMap<>(tags).forEach((k, v) -> array.addObject().put("Key", k).put("Value", v));
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static void mkdirs(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + folder + ": " + e.getMessage(), e);
        }
    }

    private static Path write(Path folder, String name, ObjectNode content) {
        Path file = folder.resolve(name);
        try {
            Files.writeString(file, JSON.writeValueAsString(content) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

}
