package dev.ekscm.collect;

import dev.ekscm.model.BadInputException;
import dev.ekscm.model.ClusterId;
import dev.ekscm.model.Input;
import dev.ekscm.model.aws.AccessEntry;
import dev.ekscm.model.aws.AwsClusterState;
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
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads a folder of AWS CLI JSON outputs, one file per call, recognised by top-level key whatever
 * the file name ({@code *.json}, sorted, not recursive). Several files of one kind are merged
 * (pages of describe-instances, one describe-nodegroup per nodegroup, one
 * list-associated-access-policies per principal). Absent optional fields take the AWS defaults.
 * Anything unreadable is a {@link BadInputException} naming the file, the JSON path and the
 * problem; nothing is skipped silently.
 */
public final class AwsCliJsonReader {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** The outputs this reader understands, by the top-level key that identifies them. */
    enum Kind {
        CLUSTER("cluster", "aws eks describe-cluster", Input.EKS_CLUSTER),
        NODEGROUP("nodegroup", "aws eks describe-nodegroup", Input.NODEGROUPS),
        ACCESS_POLICIES("associatedAccessPolicies", "aws eks list-associated-access-policies", Input.ACCESS_ENTRIES),
        ACCESS_ENTRY("accessEntry", "aws eks describe-access-entry", Input.ACCESS_ENTRIES),
        INSTANCES("Reservations", "aws ec2 describe-instances", Input.INSTANCES),
        SUBNETS("Subnets", "aws ec2 describe-subnets", Input.SUBNETS),
        ROUTE_TABLES("RouteTables", "aws ec2 describe-route-tables", Input.ROUTE_TABLES),
        SECURITY_GROUPS("SecurityGroups", "aws ec2 describe-security-groups", Input.SECURITY_GROUPS),
        LAUNCH_TEMPLATE_VERSIONS("LaunchTemplateVersions", "aws ec2 describe-launch-template-versions",
                Input.LAUNCH_TEMPLATES),
        NAT_GATEWAYS("NatGateways", "aws ec2 describe-nat-gateways", Input.NAT_GATEWAYS),
        REPOSITORIES("repositories", "aws ecr describe-repositories", Input.ECR_REPOSITORIES),
        REGISTRY_SCANNING("scanningConfiguration", "aws ecr get-registry-scanning-configuration",
                Input.ECR_REPOSITORIES);

        final String key;
        final String command;
        final Input input;

        Kind(String key, String command, Input input) {
            this.key = key;
            this.command = command;
            this.input = input;
        }

        static String recognised() {
            return Stream.of(values()).map(k -> "\"" + k.key + "\" (" + k.command + ")")
                    .collect(Collectors.joining(", "));
        }
    }

    public AwsFiles read(Path folder) {
        List<Path> files = jsonFiles(folder);
        if (files.isEmpty()) {
            throw new BadInputException(folder + ": no AWS CLI JSON outputs (*.json) in this folder; write them with "
                    + "`aws … --output json > FILE.json` or `ekscm snapshot --cluster NAME --out DIR`");
        }
        var state = new State();
        for (Path file : files) {
            JsonFields top = JsonFields.of(parse(file), "", file);
            Kind kind = kindOf(top, file);
            state.available.add(kind.input);
            switch (kind) {
                case CLUSTER -> state.cluster(readCluster(top.object("cluster").orElseThrow()), file);
                case NODEGROUP -> state.put(state.nodegroups, readNodegroup(top.object("nodegroup").orElseThrow()),
                        Nodegroup::name);
                case ACCESS_POLICIES -> state.accessPolicies(top);
                case ACCESS_ENTRY -> state.accessEntry(top.object("accessEntry").orElseThrow());
                case INSTANCES -> {
                    for (JsonFields reservation : top.objects("Reservations")) {
                        for (JsonFields instance : reservation.objects("Instances")) {
                            state.put(state.instances, readInstance(instance), Ec2Instance::instanceId);
                        }
                    }
                }
                case SUBNETS -> top.objects("Subnets").forEach(s -> state.put(state.subnets, readSubnet(s),
                        Subnet::subnetId));
                case ROUTE_TABLES -> top.objects("RouteTables").forEach(rt -> state.put(state.routeTables,
                        readRouteTable(rt), RouteTable::routeTableId));
                case SECURITY_GROUPS -> top.objects("SecurityGroups").forEach(sg -> state.put(state.securityGroups,
                        readSecurityGroup(sg), SecurityGroup::groupId));
                case LAUNCH_TEMPLATE_VERSIONS -> top.objects("LaunchTemplateVersions").forEach(v -> state.put(
                        state.launchTemplateVersions, readLaunchTemplateVersion(v), LaunchTemplateVersion::display));
                case NAT_GATEWAYS -> top.objects("NatGateways").forEach(n -> state.put(state.natGateways,
                        readNatGateway(n), NatGateway::natGatewayId));
                case REPOSITORIES -> top.objects("repositories").forEach(r -> state.put(state.repositories,
                        readRepository(r), AwsCliJsonReader::repositoryKey));
                case REGISTRY_SCANNING -> state.registryScanning(readScanning(top.object("scanningConfiguration")
                        .orElseThrow()));
            }
        }
        return state.build();
    }

    private static List<Path> jsonFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new BadInputException(folder + ": not a folder; --aws needs a folder of AWS CLI JSON outputs");
        }
        try (Stream<Path> list = Files.list(folder)) {
            return list.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json"))
                    .sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new BadInputException(folder + ": cannot list the folder: " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException | UncheckedIOException e) {
            throw new BadInputException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (text.isBlank()) {
            throw new BadInputException(file + ": the file is empty; expected the JSON output of an AWS CLI call");
        }
        try {
            return JSON.readTree(text);
        } catch (JacksonException e) {
            if (String.valueOf(e.getOriginalMessage()).startsWith("Trailing token")) {
                throw new BadInputException(file + ": more than one JSON value (the next starts" + at(e.getLocation())
                        + "); write one AWS CLI output per file", e);
            }
            throw new BadInputException(file + ": not valid JSON" + at(e.getLocation()) + ": "
                    + e.getOriginalMessage() + " (is the file complete? AWS CLI output must be written with "
                    + "--output json)", e);
        }
    }

    private static String at(TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static Kind kindOf(JsonFields top, Path file) {
        var found = Stream.of(Kind.values()).filter(k -> top.has(k.key)).toList();
        if (found.isEmpty()) {
            throw new BadInputException(file + ": not a recognised AWS CLI output (top-level keys "
                    + topKeys(top) + "); expected one of the top-level keys " + Kind.recognised());
        }
        if (found.size() > 1) {
            throw new BadInputException(file + ": holds the outputs of several calls (top-level keys "
                    + found.stream().map(k -> k.key).toList() + "); write one AWS CLI output per file");
        }
        return found.get(0);
    }

    private static String topKeys(JsonFields top) {
        return top.keys().isEmpty() ? "none" : top.keys().toString();
    }

    // --- EKS ---------------------------------------------------------------------------------

    static EksCluster readCluster(JsonFields c) {
        String name = c.requiredString("name");
        var vpc = c.object("resourcesVpcConfig");
        var enabledLogs = new LinkedHashSet<String>();
        c.object("logging").ifPresent(logging -> {
            for (JsonFields setup : logging.objects("clusterLogging")) {
                List<String> types = setup.strings("types");
                if (setup.bool("enabled", false)) {
                    enabledLogs.addAll(types);
                } else {
                    types.forEach(enabledLogs::remove);
                }
            }
        });
        var encryption = new ArrayList<EksCluster.EncryptionConfig>();
        for (JsonFields e : c.objects("encryptionConfig")) {
            encryption.add(new EksCluster.EncryptionConfig(e.strings("resources"),
                    e.object("provider").flatMap(p -> p.optString("keyArn")).filter(s -> !s.isBlank())));
        }
        boolean publicAccess = vpc.map(v -> v.bool("endpointPublicAccess", true)).orElse(true);
        return new EksCluster(
                name,
                c.string("arn", ""),
                c.string("version", ""),
                c.string("status", ""),
                vpc.map(v -> v.string("vpcId", "")).orElse(""),
                vpc.map(v -> v.strings("subnetIds")).orElse(List.of()),
                vpc.map(v -> v.strings("securityGroupIds")).orElse(List.of()),
                vpc.flatMap(v -> v.optString("clusterSecurityGroupId")).filter(s -> !s.isBlank()),
                publicAccess,
                vpc.map(v -> v.bool("endpointPrivateAccess", false)).orElse(false),
                // EKS default: a public endpoint open to 0.0.0.0/0 unless CIDRs are given.
                vpc.map(v -> v.strings("publicAccessCidrs", List.of("0.0.0.0/0"))).orElse(List.of("0.0.0.0/0")),
                enabledLogs,
                encryption,
                c.optString("endpoint"),
                c.object("certificateAuthority").flatMap(ca -> ca.optString("data")),
                c.object("accessConfig").flatMap(a -> a.optString("authenticationMode")),
                c.tagMap("tags"));
    }

    static Nodegroup readNodegroup(JsonFields ng) {
        var remote = ng.object("remoteAccess");
        var asgs = ng.object("resources").map(r -> r.objects("autoScalingGroups")).orElse(List.of()).stream()
                .map(a -> a.string("name", "")).filter(s -> !s.isBlank()).toList();
        Optional<LaunchTemplateRef> template = ng.object("launchTemplate").map(lt -> new LaunchTemplateRef(
                lt.optString("id"), lt.optString("name"), lt.optString("version")));
        return new Nodegroup(
                ng.requiredString("nodegroupName"),
                ng.string("clusterName", ""),
                ng.strings("subnets"),
                template,
                remote.flatMap(r -> r.optString("ec2SshKey")).filter(s -> !s.isBlank()),
                remote.map(r -> r.strings("sourceSecurityGroups")).orElse(List.of()),
                asgs,
                ng.strings("instanceTypes"),
                ng.string("status", ""),
                ng.tagMap("tags"));
    }

    /** A principal's associated access policies (list-associated-access-policies). */
    static List<AccessEntry.PolicyAssociation> readAccessPolicies(JsonFields top) {
        var out = new ArrayList<AccessEntry.PolicyAssociation>();
        for (JsonFields p : top.objects("associatedAccessPolicies")) {
            var scope = p.object("accessScope");
            out.add(new AccessEntry.PolicyAssociation(p.requiredString("policyArn"),
                    scope.map(s -> s.string("type", "cluster")).orElse("cluster"),
                    scope.map(s -> s.strings("namespaces")).orElse(List.of())));
        }
        return out;
    }

    // --- EC2 ---------------------------------------------------------------------------------

    static Ec2Instance readInstance(JsonFields i) {
        Map<String, String> tags = i.ec2Tags("Tags");
        // describe-instances has no launch template field; EC2 tags every instance it launches from one.
        Optional<LaunchTemplateRef> template = Optional.ofNullable(tags.get("aws:ec2launchtemplate:id"))
                .map(id -> new LaunchTemplateRef(Optional.of(id), Optional.empty(),
                        Optional.ofNullable(tags.get("aws:ec2launchtemplate:version"))));
        var groups = i.objects("SecurityGroups").stream().map(g -> g.requiredString("GroupId")).toList();
        return new Ec2Instance(
                i.requiredString("InstanceId"),
                i.string("SubnetId", ""),
                i.string("VpcId", ""),
                i.object("State").map(s -> s.string("Name", "running")).orElse("running"),
                i.optString("PublicIpAddress").filter(s -> !s.isBlank()),
                i.object("MetadataOptions").map(AwsCliJsonReader::readMetadataOptions).orElse(MetadataOptions.unset()),
                groups,
                template,
                tags);
    }

    static MetadataOptions readMetadataOptions(JsonFields m) {
        return new MetadataOptions(m.optString("HttpTokens"), m.optInt("HttpPutResponseHopLimit"),
                m.optString("HttpEndpoint"));
    }

    static Subnet readSubnet(JsonFields s) {
        return new Subnet(s.requiredString("SubnetId"), s.string("VpcId", ""), s.string("AvailabilityZone", ""),
                s.bool("MapPublicIpOnLaunch", false), s.ec2Tags("Tags"));
    }

    /** Route target fields of describe-route-tables, in the order a route names them. */
    private static final List<String> ROUTE_TARGETS = List.of("GatewayId", "NatGatewayId", "TransitGatewayId",
            "EgressOnlyInternetGatewayId", "VpcPeeringConnectionId", "VpcEndpointId", "InstanceId",
            "NetworkInterfaceId", "CarrierGatewayId", "LocalGatewayId", "CoreNetworkArn");

    static RouteTable readRouteTable(JsonFields rt) {
        var associations = new ArrayList<RouteTable.Association>();
        for (JsonFields a : rt.objects("Associations")) {
            String state = a.object("AssociationState").map(s -> s.string("State", "associated")).orElse("associated");
            if (state.equals("disassociated") || state.equals("failed")) {
                continue;
            }
            associations.add(new RouteTable.Association(a.optString("SubnetId"), a.bool("Main", false)));
        }
        var routes = new ArrayList<RouteTable.Route>();
        for (JsonFields r : rt.objects("Routes")) {
            String destination = r.optString("DestinationCidrBlock")
                    .or(() -> r.optString("DestinationIpv6CidrBlock"))
                    .or(() -> r.optString("DestinationPrefixListId"))
                    .orElse("");
            String target = "";
            for (String field : ROUTE_TARGETS) {
                Optional<String> t = r.optString(field);
                if (t.isPresent()) {
                    target = t.get();
                    break;
                }
            }
            routes.add(new RouteTable.Route(destination, target, r.string("State", "active")));
        }
        return new RouteTable(rt.requiredString("RouteTableId"), rt.string("VpcId", ""), associations, routes);
    }

    static SecurityGroup readSecurityGroup(JsonFields sg) {
        var ingress = new ArrayList<SecurityGroup.IpPermission>();
        for (JsonFields p : sg.objects("IpPermissions")) {
            ingress.add(new SecurityGroup.IpPermission(
                    p.string("IpProtocol", "-1"),
                    p.optInt("FromPort"),
                    p.optInt("ToPort"),
                    p.objects("IpRanges").stream().map(r -> r.requiredString("CidrIp")).toList(),
                    p.objects("Ipv6Ranges").stream().map(r -> r.requiredString("CidrIpv6")).toList(),
                    p.objects("UserIdGroupPairs").stream().map(g -> g.string("GroupId", "")).filter(s -> !s.isBlank())
                            .toList()));
        }
        return new SecurityGroup(sg.requiredString("GroupId"), sg.string("GroupName", ""), sg.string("VpcId", ""),
                ingress);
    }

    static LaunchTemplateVersion readLaunchTemplateVersion(JsonFields v) {
        return new LaunchTemplateVersion(
                v.requiredString("LaunchTemplateId"),
                v.string("LaunchTemplateName", ""),
                v.requiredLong("VersionNumber"),
                v.bool("DefaultVersion", false),
                v.object("LaunchTemplateData").flatMap(d -> d.object("MetadataOptions"))
                        .map(AwsCliJsonReader::readMetadataOptions));
    }

    static NatGateway readNatGateway(JsonFields n) {
        return new NatGateway(n.requiredString("NatGatewayId"), n.string("SubnetId", ""), n.string("VpcId", ""),
                n.string("State", "available"), n.string("ConnectivityType", "public"));
    }

    // --- ECR ---------------------------------------------------------------------------------

    static EcrRepository readRepository(JsonFields r) {
        return new EcrRepository(r.requiredString("repositoryName"), r.string("repositoryUri", ""),
                r.string("registryId", ""),
                r.object("imageScanningConfiguration").map(s -> s.bool("scanOnPush", false)).orElse(false));
    }

    static RegistryScanning readScanning(JsonFields s) {
        var rules = new ArrayList<RegistryScanning.Rule>();
        for (JsonFields rule : s.objects("rules")) {
            rules.add(new RegistryScanning.Rule(rule.string("scanFrequency", "SCAN_ON_PUSH"),
                    rule.objects("repositoryFilters").stream().map(f -> f.requiredString("filter")).toList()));
        }
        return new RegistryScanning(s.string("scanType", "BASIC"), rules);
    }

    private static String repositoryKey(EcrRepository r) {
        return r.repositoryUri().isEmpty() ? r.registryId() + "/" + r.repositoryName() : r.repositoryUri();
    }

    /** What the files said so far; merges several files of one kind. */
    private static final class State {
        final Set<Input> available = EnumSet.noneOf(Input.class);
        Optional<EksCluster> cluster = Optional.empty();
        final Map<String, Nodegroup> nodegroups = new LinkedHashMap<>();
        final Map<String, Ec2Instance> instances = new LinkedHashMap<>();
        final Map<String, Subnet> subnets = new LinkedHashMap<>();
        final Map<String, RouteTable> routeTables = new LinkedHashMap<>();
        final Map<String, SecurityGroup> securityGroups = new LinkedHashMap<>();
        final Map<String, LaunchTemplateVersion> launchTemplateVersions = new LinkedHashMap<>();
        final Map<String, NatGateway> natGateways = new LinkedHashMap<>();
        final Map<String, EcrRepository> repositories = new LinkedHashMap<>();
        final Map<String, AccessEntryParts> accessEntries = new LinkedHashMap<>();
        Optional<RegistryScanning> registryScanning = Optional.empty();
        Optional<Path> clusterFile = Optional.empty();

        <T> void put(Map<String, T> map, T value, java.util.function.Function<T, String> key) {
            map.put(key.apply(value), value);
        }

        void cluster(EksCluster c, Path file) {
            if (cluster.isPresent() && !cluster.get().name().equals(c.name())) {
                throw new BadInputException(file + ": describes cluster '" + c.name() + "' but "
                        + clusterFile.orElseThrow() + " describes cluster '" + cluster.get().name()
                        + "'; an --aws folder holds the outputs for one cluster");
            }
            cluster = Optional.of(c);
            clusterFile = Optional.of(file);
        }

        void accessPolicies(JsonFields top) {
            String principal = top.requiredString("principalArn");
            parts(principal).policies.addAll(readAccessPolicies(top));
        }

        void accessEntry(JsonFields entry) {
            AccessEntryParts parts = parts(entry.requiredString("principalArn"));
            parts.type = entry.optString("type");
            parts.groups = entry.strings("kubernetesGroups");
        }

        private AccessEntryParts parts(String principal) {
            return accessEntries.computeIfAbsent(principal, p -> new AccessEntryParts());
        }

        void registryScanning(RegistryScanning scanning) {
            // Merge, so that a registry configuration split over files still counts as one.
            registryScanning = Optional.of(registryScanning
                    .map(old -> new RegistryScanning(scanning.scanType(),
                            Stream.concat(old.rules().stream(), scanning.rules().stream()).toList()))
                    .orElse(scanning));
        }

        AwsFiles build() {
            var entries = accessEntries.entrySet().stream()
                    .map(e -> new AccessEntry(e.getKey(), e.getValue().type.orElse("STANDARD"), e.getValue().groups,
                            e.getValue().policies))
                    .toList();
            var state = new AwsClusterState(cluster, List.copyOf(nodegroups.values()), entries,
                    List.copyOf(instances.values()), List.copyOf(subnets.values()), List.copyOf(routeTables.values()),
                    List.copyOf(natGateways.values()), List.copyOf(securityGroups.values()),
                    List.copyOf(launchTemplateVersions.values()), List.copyOf(repositories.values()),
                    registryScanning);
            Optional<ClusterId> id = cluster.map(c -> clusterId(c, clusterFile.orElseThrow()));
            return new AwsFiles(state, available, id, cluster.map(EksCluster::tags).orElse(Map.of()));
        }
    }

    private static final class AccessEntryParts {
        Optional<String> type = Optional.empty();
        List<String> groups = List.of();
        final List<AccessEntry.PolicyAssociation> policies = new ArrayList<>();
    }

    private static ClusterId clusterId(EksCluster c, Path file) {
        if (c.arn().isBlank()) {
            return ClusterId.offline(c.name());
        }
        try {
            return ClusterId.fromArn(c.arn());
        } catch (IllegalArgumentException e) {
            throw new BadInputException(file + ": cluster.arn: " + e.getMessage(), e);
        }
    }
}
