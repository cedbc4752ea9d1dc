package dev.ekscm.collect;

import dev.ekscm.model.ClusterId;
import dev.ekscm.model.ClusterSnapshot.CollectionProblem;
import dev.ekscm.model.BadInputException;
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
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.eks.model.ResourceNotFoundException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one cluster's AWS state with the SDK, only the inputs a {@link CollectionPlan} fetches,
 * with list and describe calls whose number does not grow with the number of nodes: instances,
 * subnets, route tables, NAT gateways and security groups are one filtered (paginated) call each.
 *
 * <p>An AWS API error does not stop the run: it becomes a {@link CollectionProblem} naming the
 * call ({@code "ec2:DescribeRouteTables"}) and the error, and that input (and the inputs that
 * cannot be located without it) stay unavailable, so the checks needing them are NOT_APPLICABLE.
 * Only an unknown cluster is an error ({@link BadInputException}).
 *
 * <p>IAM actions used: {@link #IAM_ACTIONS}.
 */
public final class AwsCollector {
    /** Every IAM action this collector may call, for the deployment's role. */
    public static final List<String> IAM_ACTIONS = List.of(
            "eks:DescribeCluster", "eks:ListNodegroups", "eks:DescribeNodegroup", "eks:ListAccessEntries",
            "eks:DescribeAccessEntry", "eks:ListAssociatedAccessPolicies", "ec2:DescribeInstances",
            "ec2:DescribeSubnets", "ec2:DescribeRouteTables", "ec2:DescribeNatGateways",
            "ec2:DescribeSecurityGroups", "ec2:DescribeLaunchTemplateVersions", "ecr:DescribeRepositories",
            "ecr:GetRegistryScanningConfiguration");

    /** Access entry types that cannot have access policies (nodes, Fargate). */
    private static final Set<String> NODE_ENTRY_TYPES = Set.of("EC2_LINUX", "EC2_WINDOWS", "FARGATE_LINUX", "HYBRID_LINUX", "EC2");

    private static final Pattern ECR_IMAGE = Pattern.compile(
            "^(\\d{12})\\.dkr\\.ecr(?:-fips)?\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?/(.+)$");

    private final AwsClientFactory.AwsClients clients;
    private final ApiCallCounter counter;

    /**
     * @param counter the run's counter, attached to every request (the clients' own interceptor
     *                counts across runs)
     */
    public AwsCollector(AwsClientFactory.AwsClients clients, ApiCallCounter counter) {
        this.clients = clients;
        this.counter = counter;
    }

    /** What the collector found: the state, the inputs it holds, and what could not be read. */
    public record Result(ClusterId cluster, Optional<EksCluster> eksCluster, AwsClusterState state,
                         Set<Input> available, List<CollectionProblem> problems) {
        public Result {
            available = available.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(available));
            problems = List.copyOf(problems);
        }

        public Map<String, String> clusterTags() {
            return eksCluster.map(EksCluster::tags).orElse(Map.of());
        }

        /** The same result with the ECR part of another collection added. */
        public Result withEcr(EcrResult ecr) {
            var avail = EnumSet.noneOf(Input.class);
            avail.addAll(available);
            avail.addAll(ecr.available());
            var all = new ArrayList<>(problems);
            all.addAll(ecr.problems());
            AwsClusterState s = new AwsClusterState(state.cluster(), state.nodegroups(), state.accessEntries(),
                    state.instances(), state.subnets(), state.routeTables(), state.natGateways(),
                    state.securityGroups(), state.launchTemplateVersions(), ecr.repositories(), ecr.registryScanning());
            return new Result(cluster, eksCluster, s, avail, all);
        }
    }

    /** ECR repositories the cluster's images come from, and registry scanning. */
    public record EcrResult(List<EcrRepository> repositories, Optional<RegistryScanning> registryScanning,
                            Set<Input> available, List<CollectionProblem> problems) {
        public EcrResult {
            repositories = List.copyOf(repositories);
            available = Set.copyOf(available);
            problems = List.copyOf(problems);
        }

        public static EcrResult unavailable(CollectionProblem why) {
            return new EcrResult(List.of(), Optional.empty(), Set.of(), List.of(why));
        }
    }

    /**
     * Everything the plan fetches from EKS and EC2 (not ECR: which repositories matter is known
     * only from the workloads' images, see {@link #collectEcr}). DescribeCluster is always called:
     * it gives the account, the VPC, the tags and the API endpoint.
     *
     * @throws BadInputException when the cluster does not exist in this region
     */
    public Result collect(String clusterName, CollectionPlan plan) {
        var run = new Run();
        Set<Input> fetch = plan.toFetch();

        var described = run.call("eks:DescribeCluster", () -> {
            try {
                return clients.eks().describeCluster(r -> r.name(clusterName).overrideConfiguration(counter::attach)).cluster();
            } catch (ResourceNotFoundException e) {
                throw new BadInputException("cluster '" + clusterName + "' not found in region " + clients.region()
                        + " (eks:DescribeCluster: " + e.awsErrorDetails().errorMessage()
                        + "); check --cluster and --region", e);
            }
        });
        Optional<EksCluster> cluster = described.map(AwsMapper::cluster);
        ClusterId id = cluster.map(c -> safeFromArn(c.arn(), clusterName))
                .orElseGet(() -> new ClusterId(ClusterId.UNKNOWN, clients.region(), clusterName));
        if (cluster.isPresent()) {
            run.available.add(Input.EKS_CLUSTER);
        } else {
            run.unavailable(Input.EKS_CLUSTER);
        }
        Optional<String> clusterVpc = cluster.map(EksCluster::vpcId).filter(v -> !v.isBlank());

        List<Nodegroup> nodegroups = List.of();
        if (fetch.contains(Input.NODEGROUPS)) {
            nodegroups = run.input(Input.NODEGROUPS, () -> nodegroups(clusterName)).orElse(List.of());
        }
        List<AccessEntry> accessEntries = List.of();
        if (fetch.contains(Input.ACCESS_ENTRIES)) {
            accessEntries = run.input(Input.ACCESS_ENTRIES, () -> accessEntries(clusterName)).orElse(List.of());
        }
        List<Ec2Instance> instances = List.of();
        if (fetch.contains(Input.INSTANCES)) {
            instances = run.input(Input.INSTANCES, () -> instances(clusterName, clusterVpc)).orElse(List.of());
        }
        // EKS always names the VPC; an emulator may not: the nodes' VPC is the cluster's.
        List<Ec2Instance> nodes = instances;
        Optional<String> vpcId = clusterVpc.or(() -> nodes.stream().map(Ec2Instance::vpcId).filter(v -> !v.isBlank()).findFirst());
        List<Subnet> subnets = List.of();
        if (fetch.contains(Input.SUBNETS)) {
            if (run.has(Input.NODEGROUPS) && run.has(Input.INSTANCES)) {
                var ids = new LinkedHashSet<String>();
                nodegroups.forEach(ng -> ids.addAll(ng.subnets()));
                instances.forEach(i -> ids.add(i.subnetId()));
                ids.remove(null);
                ids.remove("");
                subnets = run.input(Input.SUBNETS, () -> subnets(ids)).orElse(List.of());
            } else {
                run.cannotLocate(Input.SUBNETS, "ec2:DescribeSubnets", "the node subnets come from the nodegroups and instances");
            }
        }
        List<RouteTable> routeTables = List.of();
        if (fetch.contains(Input.ROUTE_TABLES)) {
            if (vpcId.isPresent()) {
                routeTables = run.input(Input.ROUTE_TABLES, () -> routeTables(vpcId.get())).orElse(List.of());
            } else {
                run.cannotLocate(Input.ROUTE_TABLES, "ec2:DescribeRouteTables", "the VPC comes from eks:DescribeCluster");
            }
        }
        List<NatGateway> natGateways = List.of();
        if (fetch.contains(Input.NAT_GATEWAYS)) {
            if (vpcId.isPresent()) {
                natGateways = run.input(Input.NAT_GATEWAYS, () -> natGateways(vpcId.get())).orElse(List.of());
            } else {
                run.cannotLocate(Input.NAT_GATEWAYS, "ec2:DescribeNatGateways", "the VPC comes from eks:DescribeCluster");
            }
        }
        List<SecurityGroup> securityGroups = List.of();
        if (fetch.contains(Input.SECURITY_GROUPS)) {
            if (cluster.isPresent() && run.has(Input.INSTANCES)) {
                var ids = new LinkedHashSet<>(cluster.get().allSecurityGroupIds());
                instances.forEach(i -> ids.addAll(i.securityGroupIds()));
                securityGroups = run.input(Input.SECURITY_GROUPS, () -> securityGroups(ids)).orElse(List.of());
            } else {
                run.cannotLocate(Input.SECURITY_GROUPS, "ec2:DescribeSecurityGroups",
                        "the groups come from eks:DescribeCluster and the node instances");
            }
        }
        List<LaunchTemplateVersion> launchTemplates = List.of();
        if (fetch.contains(Input.LAUNCH_TEMPLATES)) {
            if (run.has(Input.NODEGROUPS)) {
                List<Nodegroup> ngs = nodegroups;
                launchTemplates = run.input(Input.LAUNCH_TEMPLATES, () -> launchTemplateVersions(ngs)).orElse(List.of());
            } else {
                run.cannotLocate(Input.LAUNCH_TEMPLATES, "ec2:DescribeLaunchTemplateVersions",
                        "the launch templates in use come from the nodegroups");
            }
        }
        var state = new AwsClusterState(cluster, nodegroups, accessEntries, instances, subnets, routeTables,
                natGateways, securityGroups, launchTemplates, List.of(), Optional.empty());
        return new Result(id, cluster, state, run.available, run.problems);
    }

    /**
     * The ECR repositories (of this account's registry, in this region) that the given images come
     * from, and the registry's scanning configuration. Images from other registries are not ECR's
     * to judge; ECR images of other accounts or regions are noted as a problem.
     */
    public EcrResult collectEcr(ClusterId cluster, Collection<String> images) {
        var run = new Run();
        Map<String, Set<String>> byRegistry = new TreeMap<>();
        var elsewhere = new LinkedHashSet<String>();
        for (String image : images) {
            Optional<EcrImage> ecr = EcrImage.parse(image);
            if (ecr.isEmpty()) {
                continue;
            }
            if (!ecr.get().region().equals(clients.region())) {
                elsewhere.add(image);
                continue;
            }
            byRegistry.computeIfAbsent(ecr.get().registryId(), k -> new java.util.TreeSet<>()).add(ecr.get().repository());
        }
        var repositories = new ArrayList<EcrRepository>();
        boolean ok = true;
        for (var entry : byRegistry.entrySet()) {
            var found = run.call("ecr:DescribeRepositories", () -> repositories(entry.getKey(), entry.getValue()));
            if (found.isPresent()) {
                repositories.addAll(found.get());
            } else {
                ok = false;
            }
        }
        if (!elsewhere.isEmpty()) {
            run.problems.add(new CollectionProblem(Input.Source.AWS, "ecr:DescribeRepositories",
                    "not read: images from ECR in another region than " + clients.region() + ": " + String.join(", ", elsewhere),
                    false));
        }
        Optional<RegistryScanning> scanning = run.call("ecr:GetRegistryScanningConfiguration", () -> AwsMapper.registryScanning(
                clients.ecr().getRegistryScanningConfiguration(r -> r.overrideConfiguration(counter::attach))));
        if (ok) {
            run.available.add(Input.ECR_REPOSITORIES);
        }
        return new EcrResult(repositories, scanning, run.available, run.problems);
    }

    private List<Nodegroup> nodegroups(String clusterName) {
        var names = new ArrayList<String>();
        clients.eks().listNodegroupsPaginator(r -> r.clusterName(clusterName).overrideConfiguration(counter::attach))
                .forEach(page -> names.addAll(page.nodegroups()));
        var result = new ArrayList<Nodegroup>();
        for (String name : names) {
            result.add(AwsMapper.nodegroup(clients.eks().describeNodegroup(r -> r.clusterName(clusterName)
                    .nodegroupName(name).overrideConfiguration(counter::attach)).nodegroup()));
        }
        return result;
    }

    private List<AccessEntry> accessEntries(String clusterName) {
        var principals = new ArrayList<String>();
        clients.eks().listAccessEntriesPaginator(r -> r.clusterName(clusterName).overrideConfiguration(counter::attach))
                .forEach(page -> principals.addAll(page.accessEntries()));
        var result = new ArrayList<AccessEntry>();
        for (String principal : principals) {
            var entry = clients.eks().describeAccessEntry(r -> r.clusterName(clusterName).principalArn(principal)
                    .overrideConfiguration(counter::attach)).accessEntry();
            var policies = new ArrayList<AccessEntry.PolicyAssociation>();
            // Node and Fargate entries cannot have access policies: no call for them.
            if (!NODE_ENTRY_TYPES.contains(String.valueOf(entry.type()))) {
                clients.eks().listAssociatedAccessPoliciesPaginator(r -> r.clusterName(clusterName).principalArn(principal)
                                .overrideConfiguration(counter::attach))
                        .forEach(page -> page.associatedAccessPolicies().forEach(p -> policies.add(AwsMapper.policy(p))));
            }
            result.add(new AccessEntry(principal, entry.type() == null ? "" : entry.type(),
                    entry.kubernetesGroups(), policies));
        }
        return result;
    }

    /**
     * The cluster's node instances, pending or running, found by the tags EKS, eksctl and
     * Karpenter put on nodes. EC2 ANDs different filters, so one call asks for any of the tag keys
     * (in the cluster's VPC) and the values are matched here: one call instead of three.
     */
    private List<Ec2Instance> instances(String clusterName, Optional<String> vpcId) {
        var filters = new ArrayList<Filter>();
        filters.add(Filter.builder().name("tag-key")
                .values("eks:cluster-name", "aws:eks:cluster-name", "kubernetes.io/cluster/" + clusterName).build());
        filters.add(Filter.builder().name("instance-state-name").values("pending", "running").build());
        vpcId.ifPresent(v -> filters.add(Filter.builder().name("vpc-id").values(v).build()));
        var result = new ArrayList<Ec2Instance>();
        clients.ec2().describeInstancesPaginator(r -> r.filters(filters).maxResults(1000).overrideConfiguration(counter::attach))
                .reservations().forEach(res -> res.instances().stream()
                        .filter(i -> belongsTo(i, clusterName))
                        .forEach(i -> result.add(AwsMapper.instance(i))));
        return result;
    }

    static boolean belongsTo(Instance instance, String clusterName) {
        for (Tag t : instance.tags()) {
            if (t.key().equals("kubernetes.io/cluster/" + clusterName)
                    || ((t.key().equals("eks:cluster-name") || t.key().equals("aws:eks:cluster-name"))
                    && clusterName.equals(t.value()))) {
                return true;
            }
        }
        return false;
    }

    private List<Subnet> subnets(Set<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        var result = new ArrayList<Subnet>();
        clients.ec2().describeSubnetsPaginator(r -> r.filters(Filter.builder().name("subnet-id").values(ids).build())
                        .overrideConfiguration(counter::attach))
                .subnets().forEach(s -> result.add(AwsMapper.subnet(s)));
        return result;
    }

    /** Every route table of the VPC: explicit associations and the main table in one call. */
    private List<RouteTable> routeTables(String vpcId) {
        var result = new ArrayList<RouteTable>();
        clients.ec2().describeRouteTablesPaginator(r -> r.filters(Filter.builder().name("vpc-id").values(vpcId).build())
                        .overrideConfiguration(counter::attach))
                .routeTables().forEach(rt -> result.add(AwsMapper.routeTable(rt)));
        return result;
    }

    private List<NatGateway> natGateways(String vpcId) {
        var result = new ArrayList<NatGateway>();
        clients.ec2().describeNatGatewaysPaginator(r -> r.filter(Filter.builder().name("vpc-id").values(vpcId).build())
                        .overrideConfiguration(counter::attach))
                .natGateways().forEach(n -> result.add(AwsMapper.natGateway(n)));
        return result;
    }

    private List<SecurityGroup> securityGroups(Set<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        var result = new ArrayList<SecurityGroup>();
        clients.ec2().describeSecurityGroupsPaginator(r -> r.filters(Filter.builder().name("group-id").values(ids).build())
                        .overrideConfiguration(counter::attach))
                .securityGroups().forEach(g -> result.add(AwsMapper.securityGroup(g)));
        return result;
    }

    /** The launch template versions the nodegroups use: one call per template, for all its versions in use. */
    private List<LaunchTemplateVersion> launchTemplateVersions(List<Nodegroup> nodegroups) {
        Map<String, Set<String>> versionsByTemplate = new LinkedHashMap<>();
        Map<String, Boolean> byId = new LinkedHashMap<>();
        for (Nodegroup ng : nodegroups) {
            if (ng.launchTemplate().isEmpty()) {
                continue;
            }
            LaunchTemplateRef ref = ng.launchTemplate().get();
            Optional<String> key = ref.id().or(ref::name);
            if (key.isEmpty()) {
                continue;
            }
            byId.put(key.get(), ref.id().isPresent());
            versionsByTemplate.computeIfAbsent(key.get(), k -> new LinkedHashSet<>()).add(ref.version().orElse("$Default"));
        }
        var result = new ArrayList<LaunchTemplateVersion>();
        for (var entry : versionsByTemplate.entrySet()) {
            boolean isId = byId.get(entry.getKey());
            clients.ec2().describeLaunchTemplateVersionsPaginator(r -> {
                        if (isId) {
                            r.launchTemplateId(entry.getKey());
                        } else {
                            r.launchTemplateName(entry.getKey());
                        }
                        r.versions(entry.getValue()).overrideConfiguration(counter::attach);
                    })
                    .launchTemplateVersions().forEach(v -> result.add(AwsMapper.launchTemplateVersion(v)));
        }
        return result;
    }

    /**
     * DescribeRepositories fails as a whole when one named repository does not exist (an image of
     * a deleted repository); the remaining ones are then asked for one at a time.
     */
    private List<EcrRepository> repositories(String registryId, Set<String> names) {
        var result = new ArrayList<EcrRepository>();
        try {
            for (List<String> batch : batches(List.copyOf(names), 100)) {
                clients.ecr().describeRepositoriesPaginator(r -> r.registryId(registryId).repositoryNames(batch)
                                .overrideConfiguration(counter::attach))
                        .repositories().forEach(repo -> result.add(AwsMapper.repository(repo)));
            }
            return result;
        } catch (RepositoryNotFoundException e) {
            result.clear();
            for (String name : names) {
                try {
                    clients.ecr().describeRepositories(r -> r.registryId(registryId).repositoryNames(name)
                                    .overrideConfiguration(counter::attach))
                            .repositories().forEach(repo -> result.add(AwsMapper.repository(repo)));
                } catch (RepositoryNotFoundException gone) {
                    // an image of a repository that no longer exists: nothing to judge
                }
            }
            return result;
        }
    }

    private static <T> List<List<T>> batches(List<T> all, int size) {
        var out = new ArrayList<List<T>>();
        for (int i = 0; i < all.size(); i += size) {
            out.add(all.subList(i, Math.min(all.size(), i + size)));
        }
        return out;
    }

    private static ClusterId safeFromArn(String arn, String name) {
        try {
            return ClusterId.fromArn(arn);
        } catch (IllegalArgumentException e) {
            return new ClusterId(ClusterId.UNKNOWN, ClusterId.UNKNOWN, name);
        }
    }

    /** An image in an ECR registry: {@code ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO[:TAG][@DIGEST]}. */
    record EcrImage(String registryId, String region, String repository) {
        static Optional<EcrImage> parse(String image) {
            if (image == null) {
                return Optional.empty();
            }
            Matcher m = ECR_IMAGE.matcher(image.trim());
            if (!m.matches()) {
                return Optional.empty();
            }
            String path = m.group(3);
            int at = path.indexOf('@');
            if (at >= 0) {
                path = path.substring(0, at);
            }
            int slash = path.lastIndexOf('/');
            int colon = path.lastIndexOf(':');
            if (colon > slash) {
                path = path.substring(0, colon);
            }
            return path.isEmpty() ? Optional.empty() : Optional.of(new EcrImage(m.group(1), m.group(2), path));
        }
    }

    /** {@code AccessDenied: User ... is not authorized ...}, or {@code HTTP 404} when AWS says no more. */
    static String describe(AwsServiceException e) {
        var details = e.awsErrorDetails();
        String code = details == null || details.errorCode() == null || details.errorCode().isBlank()
                ? "HTTP " + e.statusCode() : details.errorCode();
        String message = details == null ? null : details.errorMessage();
        return message == null || message.isBlank() ? code : code + ": " + message;
    }

    /** Book-keeping of one collection: what is available, what went wrong. */
    private final class Run {
        final Set<Input> available = EnumSet.noneOf(Input.class);
        final Set<Input> failed = EnumSet.noneOf(Input.class);
        final List<CollectionProblem> problems = new ArrayList<>();

        boolean has(Input input) {
            return available.contains(input);
        }

        void unavailable(Input input) {
            failed.add(input);
        }

        <T> Optional<T> input(Input input, Supplier<T> fetch) {
            Optional<T> value = call(null, fetch);
            if (value.isPresent()) {
                available.add(input);
            } else {
                failed.add(input);
            }
            return value;
        }

        void cannotLocate(Input input, String operation, String why) {
            failed.add(input);
            problems.add(new CollectionProblem(Input.Source.AWS, operation,
                    "not called: " + why + ", which could not be read", false));
        }

        <T> Optional<T> call(String operation, Supplier<T> fetch) {
            try {
                return Optional.of(fetch.get());
            } catch (AwsServiceException e) {
                String op = operation != null ? operation : counter.lastCall().orElse("aws");
                problems.add(new CollectionProblem(Input.Source.AWS, op, describe(e), false));
                return Optional.empty();
            } catch (SdkException e) {
                String op = operation != null ? operation : counter.lastCall().orElse("aws");
                problems.add(new CollectionProblem(Input.Source.AWS, op, e.getMessage(), false));
                return Optional.empty();
            }
        }
    }
}
