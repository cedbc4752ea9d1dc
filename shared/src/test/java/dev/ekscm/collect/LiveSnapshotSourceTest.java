package dev.ekscm.collect;

import dev.ekscm.checks.CheckCatalog;
import dev.ekscm.checks.CheckConfig;
import dev.ekscm.checks.Evaluator;
import dev.ekscm.checks.ReachabilityOutcome;
import dev.ekscm.model.ClusterSnapshot;
import dev.ekscm.model.Input;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Status;
import dev.ekscm.model.aws.AccessEntry;
import dev.ekscm.model.aws.EcrRepository;
import dev.ekscm.testing.MotoServer;
import dev.ekscm.testing.MotoServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.ekscm.collect.KubernetesFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole live collection: EC2, ECR and nodegroups from moto; from EKS the answers moto cannot
 * give (a DescribeCluster with a real endpoint and CA, and the access entry calls moto lacks),
 * recorded in the EKS API reference shapes and served by {@link RecordedEksServer}; the Kubernetes
 * API from fabric8's mock server over HTTPS, reached with the CA from DescribeCluster and the EKS
 * token.
 */
@ExtendWith(MotoServerExtension.class)
class LiveSnapshotSourceTest {
    static final String ADMIN = "arn:aws:iam::123456789012:role/Admin";
    static final String NODE_ROLE = "arn:aws:iam::123456789012:role/eks-node";

    static AwsSeed seed;
    static RecordedEksServer eks;
    MockKubernetesApi api;

    @BeforeAll
    static void seed(MotoServer moto) throws Exception {
        try (var factory = factory(moto.endpoint())) {
            var c = factory.forRegion(MotoServer.REGION);
            seed = new AwsSeed("shop-dev", c.eks(), c.ec2(), c.ecr()).network().cluster().nodegroups(2).instances(6).repositories();
        }
        eks = new RecordedEksServer(moto.endpoint());
        eks.accessEntries("shop-dev", List.of(
                new RecordedEksServer.Entry(ADMIN, "STANDARD", "[]", """
                        [{"policyArn":"arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
                          "accessScope":{"type":"cluster","namespaces":[]},"associatedAt":1.7E9,"modifiedAt":1.7E9}]"""),
                new RecordedEksServer.Entry(NODE_ROLE, "EC2_LINUX", "[\"system:nodes\"]", "[]")));
    }

    @AfterAll
    static void stopEks() {
        eks.close();
    }

    @BeforeEach
    void startKubernetes() {
        api = new MockKubernetesApi();
        var c = api.admin();
        namespace(c, "payments", Map.of("pod-security.kubernetes.io/enforce", "restricted"));
        namespace(c, "storefront", Map.of());
        deployment(c, "payments", "payments-api", AwsSeed.image("shop/payments-api", "1.4.2"));
        deployment(c, "storefront", "storefront-web", AwsSeed.image("shop/storefront-web", "2.0.1"));
        barePod(c, "default", "debug", "nginx:latest");
        defaultDeny(c, "payments");
        rbac(c, "payments");
        recordCluster(api.url(), api.caData());
    }

    @AfterEach
    void stopKubernetes() {
        api.close();
    }

    static AwsClientFactory factory(java.net.URI endpoint) {
        return new AwsClientFactory(StaticCredentialsProvider.create(
                AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)), Optional.of(endpoint), new ApiCallCounter());
    }

    /** DescribeCluster as EKS answers it (moto omits the VPC id and makes up the CA). */
    static void recordCluster(String endpoint, String ca) {
        recordCluster(eks, seed, endpoint, ca);
    }

    static void recordCluster(RecordedEksServer eks, AwsSeed seed, String endpoint, String ca) {
        eks.describeCluster("shop-dev", """
                {"name":"shop-dev","arn":"arn:aws:eks:us-east-1:123456789012:cluster/shop-dev","createdAt":1.7E9,
                 "version":"1.29","endpoint":"%s","roleArn":"arn:aws:iam::123456789012:role/eks-cluster",
                 "resourcesVpcConfig":{"subnetIds":["%s","%s","%s"],"securityGroupIds":["%s"],
                   "clusterSecurityGroupId":"%s","vpcId":"%s","endpointPublicAccess":true,"endpointPrivateAccess":false,
                   "publicAccessCidrs":["0.0.0.0/0"]},
                 "kubernetesNetworkConfig":{"serviceIpv4Cidr":"172.20.0.0/16","ipFamily":"ipv4"},
                 "logging":{"clusterLogging":[{"types":["api"],"enabled":true},
                   {"types":["audit","authenticator","controllerManager","scheduler"],"enabled":false}]},
                 "identity":{"oidc":{"issuer":"https://oidc.eks.us-east-1.amazonaws.com/id/5C3B9A"}},
                 "status":"ACTIVE","certificateAuthority":{"data":"%s"},"platformVersion":"eks.5",
                 "tags":{"ekscm:team":"payments","ekscm:remediation-mode":"dry-run"},"encryptionConfig":[],
                 "accessConfig":{"authenticationMode":"API_AND_CONFIG_MAP"}}"""
                .formatted(endpoint, seed.privateA, seed.privateB, seed.publicC, seed.clusterSg, seed.clusterSg, seed.vpcId, ca));
    }

    private LiveSnapshotSource source(KubernetesCollector.Settings settings) {
        return new LiveSnapshotSource(factory(eks.endpoint()), settings, Clock.systemUTC());
    }

    @Test
    void collect_should_assemble_aws_and_kubernetes_state_of_a_live_cluster() {
        LiveSnapshotSource.LiveCollection live;
        try (var source = source(KubernetesCollector.Settings.defaults())) {
            live = source.collect("shop-dev", "us-east-1", Optional.empty(), CollectionPlan.everything());
        }
        ClusterSnapshot s = live.snapshot();

        // THEN every input is there, nothing went wrong
        assertThat(s.problems()).isEmpty();
        assertThat(s.available()).containsExactlyInAnyOrderElementsOf(EnumSet.allOf(Input.class));
        assertThat(s.cluster().key()).isEqualTo("123456789012#us-east-1#shop-dev");
        assertThat(s.clusterTags()).containsEntry("ekscm:team", "payments");

        // AND the access entries, with policies only asked for the entry that can have them
        assertThat(s.aws().accessEntries()).extracting(AccessEntry::principalArn).containsExactly(ADMIN, NODE_ROLE);
        AccessEntry admin = s.aws().accessEntries().get(0);
        assertThat(admin.type()).isEqualTo("STANDARD");
        assertThat(admin.policies()).singleElement().satisfies(p -> {
            assertThat(p.policyName()).isEqualTo("AmazonEKSClusterAdminPolicy");
            assertThat(p.clusterScoped()).isTrue();
        });
        assertThat(s.aws().accessEntries().get(1).kubernetesGroups()).containsExactly("system:nodes");
        assertThat(live.apiCalls()).containsEntry("eks:ListAccessEntries", 2).containsEntry("eks:DescribeAccessEntry", 2)
                .containsEntry("eks:ListAssociatedAccessPolicies", 1);

        // AND the VPC from DescribeCluster located the route tables and NAT gateways
        assertThat(s.aws().routeTables()).extracting(r -> r.routeTableId())
                .contains(seed.publicRouteTable, seed.privateRouteTable, seed.mainRouteTable);
        assertThat(s.aws().securityGroups()).extracting(g -> g.groupId()).containsExactlyInAnyOrder(seed.clusterSg, seed.nodeSg);

        // AND Kubernetes read through the endpoint and CA of DescribeCluster, with the EKS token
        assertThat(s.kubernetes().workloads()).hasSize(3);
        assertThat(api.authorizations).isNotEmpty().allMatch(a -> a.startsWith("Bearer k8s-aws-v1."));
        var url = EksTokenProviderTest.decode(api.authorizations.get(0).substring("Bearer ".length()));
        assertThat(EksTokenProviderTest.query(url)).containsEntry("Action", "GetCallerIdentity");
        assertThat(EksTokenProviderTest.query(url).get("X-Amz-SignedHeaders")).contains("x-k8s-aws-id");

        // AND the ECR repositories of the workloads' images, not the unused one
        assertThat(s.aws().ecrRepositories()).extracting(EcrRepository::repositoryName)
                .containsExactlyInAnyOrder("shop/payments-api", "shop/storefront-web");

        // AND the run's API calls, per service and operation
        System.out.println("API calls of a full live collection: " + live.apiCalls());
        assertThat(live.apiCalls().keySet()).anyMatch(k -> k.startsWith("kubernetes:list "));

        // AND the reachability verdict is PASS
        var evaluation = new Evaluator(CheckCatalog.builtIn().all(), CheckConfig.defaults(LocalDate.of(2025, 6, 1)))
                .evaluate(s, Scope.all());
        assertThat(evaluation.outcomes()).filteredOn(o -> o.metadata().id().equals(ReachabilityOutcome.ID))
                .singleElement().extracting(o -> o.status()).isEqualTo(Status.PASS);

        // AND the AWS checks judge what was collected: the seeded mistakes fail, on the right resources
        var failing = evaluation.findings().stream().map(r -> r.checkId() + " " + r.resource().key()).toList();
        System.out.println("Findings of the live collection: " + failing);
        assertThat(failing).contains(
                "cluster-endpoint-not-public Cluster/shop-dev",
                "control-plane-audit-logging Cluster/shop-dev",
                "secrets-envelope-encryption Cluster/shop-dev",
                "node-security-groups-restricted SecurityGroup/" + seed.nodeSg,
                "nodegroup-remote-access-restricted Nodegroup/shop-dev-ng-1",
                "nodegroups-span-multiple-azs Nodegroup/shop-dev-ng-1",
                "node-imds-v2-hop-limit Instance/" + seed.nodeInstances.get(1),
                "nodes-in-private-subnets Subnet/" + seed.publicC,
                "access-entries-least-privilege AccessEntry/" + ADMIN,
                "ecr-image-scanning EcrRepository/shop/storefront-web",
                "images-pinned-and-trusted Pod/default/debug");
        assertThat(failing).doesNotContain(
                "nodegroups-span-multiple-azs Nodegroup/shop-dev-ng-0",
                "node-imds-v2-hop-limit Instance/" + seed.nodeInstances.get(0),
                "nodes-in-private-subnets Subnet/" + seed.privateA,
                "access-entries-least-privilege AccessEntry/" + NODE_ROLE,
                "ecr-image-scanning EcrRepository/shop/payments-api");
        assertThat(evaluation.outcomes()).filteredOn(o -> o.status() == Status.NOT_APPLICABLE).isEmpty();
    }

    @Test
    void collect_should_record_an_unreachable_api_and_still_collect_aws() throws Exception {
        // GIVEN DescribeCluster names an endpoint where nothing listens
        int closed;
        try (var s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        recordCluster("https://127.0.0.1:" + closed, api.caData());
        var settings = KubernetesCollector.Settings.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)).withRetries(0);

        LiveSnapshotSource.LiveCollection live;
        try (var source = source(settings)) {
            live = source.collect("shop-dev", "us-east-1", Optional.empty(), CollectionPlan.everything());
        }
        ClusterSnapshot s = live.snapshot();

        // THEN the AWS inputs are there, Kubernetes and ECR (which needs the images) are not
        assertThat(s.available()).contains(Input.EKS_CLUSTER, Input.NODEGROUPS, Input.INSTANCES, Input.SUBNETS,
                Input.ROUTE_TABLES, Input.SECURITY_GROUPS, Input.ACCESS_ENTRIES);
        assertThat(s.available()).noneMatch(Input::isKubernetes).doesNotContain(Input.ECR_REPOSITORIES);
        assertThat(s.problems()).anySatisfy(p -> {
            assertThat(p.kubernetesUnreachable()).isTrue();
            assertThat(p.reason()).contains("cannot connect").contains("ekscm onboard --cluster shop-dev");
        });
        assertThat(s.problems()).anySatisfy(p -> assertThat(p.where()).isEqualTo("ecr:DescribeRepositories"));

        // AND the evaluation says so on the cluster, HIGH
        var evaluation = new Evaluator(CheckCatalog.builtIn().all(), CheckConfig.defaults(LocalDate.of(2025, 6, 1)))
                .evaluate(s, Scope.all());
        var reach = evaluation.outcomes().stream().filter(o -> o.metadata().id().equals(ReachabilityOutcome.ID)).findFirst().orElseThrow();
        assertThat(reach.status()).isEqualTo(Status.FAIL);
        assertThat(reach.results().get(0).resource().key()).isEqualTo("Cluster/shop-dev");
        assertThat(reach.results().get(0).message()).contains("ekscm-reader");
    }

    @Test
    void nodes_recheck_should_make_no_kubernetes_call() {
        var plan = CollectionPlan.of(Input.NODEGROUPS, Input.INSTANCES, Input.LAUNCH_TEMPLATES);

        LiveSnapshotSource.LiveCollection live;
        try (var source = source(KubernetesCollector.Settings.defaults())) {
            live = source.collect("shop-dev", "us-east-1", Optional.empty(), plan);
        }

        System.out.println("API calls of a nodes recheck: " + live.apiCalls());
        try (var source = source(KubernetesCollector.Settings.defaults())) {
            var cluster = source.cluster("shop-dev", "us-east-1", Optional.empty());
            assertThat(cluster.collect(plan.requested()).available()).isEqualTo(live.snapshot().available());
            assertThat(cluster.apiCalls()).isEqualTo(live.apiCalls());
        }
        assertThat(api.requests).isEmpty();
        assertThat(live.apiCalls().keySet()).noneMatch(k -> k.startsWith("kubernetes:"));
        assertThat(live.snapshot().kubernetesRequested()).isFalse();
        assertThat(live.snapshot().available()).containsExactlyInAnyOrder(Input.EKS_CLUSTER, Input.NODEGROUPS, Input.INSTANCES,
                Input.LAUNCH_TEMPLATES);
        var evaluation = new Evaluator(CheckCatalog.builtIn().all(), CheckConfig.defaults(LocalDate.of(2025, 6, 1)))
                .evaluate(live.snapshot(), java.util.Set.of(Scope.NODES));
        assertThat(evaluation.outcomes()).noneMatch(o -> o.metadata().id().equals(ReachabilityOutcome.ID));
    }

    @Test
    void snapshot_written_should_read_back_to_the_same_state_and_findings(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        // GIVEN a live collection written as `ekscm snapshot --out DIR` does
        ClusterSnapshot live;
        try (var source = source(KubernetesCollector.Settings.defaults())) {
            live = source.collect("shop-dev", "us-east-1", Optional.empty(), CollectionPlan.everything()).snapshot();
        }
        var files = new SnapshotWriter().write(live, dir);
        System.out.println("snapshot files: " + files.stream().map(f -> dir.relativize(f).toString()).toList());

        // WHEN read back as `ekscm scan --manifests DIR/manifests --aws DIR/aws` does
        ClusterSnapshot replay = new SnapshotLoader().load(List.of(dir.resolve("manifests")), Optional.of(dir.resolve("aws")));

        // THEN the same cluster, inputs, AWS state and findings
        assertThat(replay.cluster()).isEqualTo(live.cluster());
        assertThat(replay.clusterTags()).isEqualTo(live.clusterTags());
        assertThat(replay.available()).isEqualTo(live.available());
        assertThat(replay.aws()).isEqualTo(live.aws());
        assertThat(replay.kubernetes().workloads()).extracting(w -> w.ref().key())
                .containsExactlyInAnyOrderElementsOf(live.kubernetes().workloads().stream().map(w -> w.ref().key()).toList());
        var evaluator = new Evaluator(CheckCatalog.builtIn().all(), CheckConfig.defaults(LocalDate.of(2025, 6, 1)));
        var liveFindings = evaluator.evaluate(live, Scope.all()).findings();
        var replayFindings = evaluator.evaluate(replay, Scope.all()).findings();
        assertThat(liveFindings).isNotEmpty();
        assertThat(replayFindings).containsExactlyInAnyOrderElementsOf(liveFindings);
    }
}
