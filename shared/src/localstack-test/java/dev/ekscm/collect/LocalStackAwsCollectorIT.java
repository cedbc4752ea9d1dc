package dev.ekscm.collect;

import dev.ekscm.model.ClusterSnapshot.CollectionProblem;
import dev.ekscm.model.Input;
import dev.ekscm.model.aws.AwsClusterState;
import dev.ekscm.model.aws.Ec2Instance;
import dev.ekscm.model.aws.EcrRepository;
import dev.ekscm.model.aws.Nodegroup;
import dev.ekscm.model.aws.RouteTable;
import dev.ekscm.model.aws.SecurityGroup;
import dev.ekscm.model.aws.Subnet;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The AWS collector against LocalStack in Docker, started by Testcontainers: the same seed as
 * {@link AwsCollectorTest} (which runs against moto in every build), read back through the SDK
 * from a second emulator. Runs only with the Maven profile {@code localstack}:
 *
 * <pre>./mvnw -B -Plocalstack test -pl shared -Dtest='LocalStack*'</pre>
 *
 * <p>Without a Docker engine the class is skipped with a message ({@link DockerRequired}).
 *
 * <p>The community image emulates EC2 (nodes, subnets, route tables, NAT gateways, security
 * groups, launch templates); EKS and ECR are LocalStack Pro services. The test asks the
 * container which of them it answers: EC2 is always seeded and collected (with a plan of EC2
 * inputs; the cluster's VPC then comes from the nodes, and an unanswered eks:DescribeCluster is a
 * problem naming the call, not a crash); the EKS and ECR tests run where the image emulates those
 * services ({@code LOCALSTACK_AUTH_TOKEN} set, and then the Pro image by default) and are skipped
 * with a message otherwise. The image can be chosen with {@code -Dekscm.localstack.image=...}.
 *
 * <p>LocalStack takes a 12-digit access key id as the account id, so the seeded resources live in
 * {@link AwsSeed#ACCOUNT} as they do in moto.
 */
@ExtendWith(LocalStackAwsCollectorIT.DockerRequired.class)
class LocalStackAwsCollectorIT {
    static final String CLUSTER = "shop-dev";
    static final String REGION = "us-east-1";
    /** A community release (no auth token needed); later images ask for one. */
    static final String COMMUNITY_IMAGE = "localstack/localstack:4.9";
    static final String PRO_IMAGE = "localstack/localstack-pro:4.9";

    static LocalStackContainer localstack;
    static AwsClientFactory factory;
    static AwsSeed seed;
    static boolean eks;
    static boolean ecr;

    /** Disables the class, with the reason, where Testcontainers finds no Docker engine. */
    static final class DockerRequired implements ExecutionCondition {
        static final String MESSAGE = "Docker is not available: the LocalStack profile is skipped;"
                + " the default build runs these tests against moto (AwsCollectorTest)";

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (DockerClientFactory.instance().isDockerAvailable()) {
                return ConditionEvaluationResult.enabled("Docker is available");
            }
            if (context.getTestMethod().isEmpty()) {
                System.err.println("[" + LocalStackAwsCollectorIT.class.getSimpleName() + "] SKIPPED: " + MESSAGE);
            }
            return ConditionEvaluationResult.disabled(MESSAGE);
        }
    }

    @BeforeAll
    static void start() {
        String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
        boolean pro = token != null && !token.isBlank();
        String image = System.getProperty("ekscm.localstack.image", pro ? PRO_IMAGE : COMMUNITY_IMAGE);
        localstack = new LocalStackContainer(DockerImageName.parse(image))
                .withServices("ec2", "ecr", "eks", "sts")
                .withStartupTimeout(Duration.ofMinutes(3));
        if (pro) {
            localstack.withEnv("LOCALSTACK_AUTH_TOKEN", token);
        }
        localstack.start();

        factory = new AwsClientFactory(StaticCredentialsProvider.create(
                AwsBasicCredentials.create(AwsSeed.ACCOUNT, localstack.getSecretKey())),
                Optional.of(localstack.getEndpoint()), new ApiCallCounter());
        var c = factory.forRegion(REGION);
        eks = emulates("eks", () -> c.eks().listClusters());
        ecr = emulates("ecr", () -> c.ecr().describeRepositories());
        System.out.println("LocalStack " + image + " at " + localstack.getEndpoint() + ": EC2 yes, EKS "
                + (eks ? "yes" : "no") + ", ECR " + (ecr ? "yes" : "no"));

        seed = new AwsSeed(CLUSTER, c.eks(), c.ec2(), c.ecr()).network();
        if (eks) {
            seed.cluster().nodegroups(2);
        }
        seed.instances(6);
        if (ecr) {
            seed.repositories();
        }
    }

    @AfterAll
    static void stop() {
        if (factory != null) {
            factory.close();
        }
        if (localstack != null) {
            localstack.stop();
        }
    }

    private static AwsCollector collector(ApiCallCounter counter) {
        return new AwsCollector(factory.forRegion(REGION), counter);
    }

    @Test
    void collect_should_read_the_nodes_and_their_network_from_ec2() {
        // GIVEN the seeded VPC, node instances of two tag styles, another cluster's node and a stopped node
        var counter = new ApiCallCounter();

        // WHEN the EC2 inputs are collected
        var result = collector(counter).collect(CLUSTER,
                CollectionPlan.of(Input.INSTANCES, Input.ROUTE_TABLES, Input.NAT_GATEWAYS));
        AwsClusterState aws = result.state();

        // THEN only this cluster's running nodes, with their metadata options and security groups
        assertThat(aws.instances()).extracting(Ec2Instance::instanceId).containsExactlyInAnyOrderElementsOf(seed.nodeInstances);
        var byId = aws.instances().stream().collect(Collectors.toMap(Ec2Instance::instanceId, Function.identity()));
        var v2 = byId.get(seed.nodeInstances.get(0)).metadataOptions();
        assertThat(v2.httpTokens()).contains("required");
        assertThat(v2.httpPutResponseHopLimit()).contains(1);
        var v1 = byId.get(seed.nodeInstances.get(1)).metadataOptions();
        assertThat(v1.httpTokens()).contains("optional");
        assertThat(v1.httpPutResponseHopLimit()).contains(2);
        assertThat(byId.get(seed.nodeInstances.get(0)).securityGroupIds()).containsExactly(seed.nodeSg);
        assertThat(aws.instances()).extracting(Ec2Instance::vpcId).containsOnly(seed.vpcId);

        // AND the VPC's route tables: the explicit associations and the main table
        var tables = aws.routeTables().stream().collect(Collectors.toMap(RouteTable::routeTableId, Function.identity()));
        assertThat(tables).containsKeys(seed.publicRouteTable, seed.privateRouteTable, seed.mainRouteTable);
        assertThat(tables.get(seed.publicRouteTable).isAssociatedWith(seed.publicC)).isTrue();
        assertThat(tables.get(seed.publicRouteTable).routes())
                .anyMatch(r -> r.isDefault() && r.toInternetGateway() && r.target().equals(seed.igwId));
        assertThat(tables.get(seed.privateRouteTable).isAssociatedWith(seed.privateA)).isTrue();
        assertThat(tables.get(seed.privateRouteTable).routes())
                .anyMatch(r -> r.isDefault() && r.toNatGateway() && r.target().equals(seed.natId));
        assertThat(tables.get(seed.mainRouteTable).isMain()).isTrue();
        assertThat(tables.get(seed.mainRouteTable).routes()).noneMatch(RouteTable.Route::isDefault);

        // AND the NAT gateway in the public subnet
        assertThat(aws.natGateways()).singleElement().satisfies(n -> {
            assertThat(n.natGatewayId()).isEqualTo(seed.natId);
            assertThat(n.subnetId()).isEqualTo(seed.publicC);
        });
        assertThat(result.available()).contains(Input.INSTANCES, Input.ROUTE_TABLES, Input.NAT_GATEWAYS);

        // AND without EKS (community image) the cluster is a problem naming the call, not a crash
        if (eks) {
            assertThat(result.available()).contains(Input.EKS_CLUSTER);
            assertThat(result.cluster().account()).isEqualTo(AwsSeed.ACCOUNT);
        } else {
            assertThat(result.available()).doesNotContain(Input.EKS_CLUSTER);
            assertThat(result.problems()).extracting(CollectionProblem::where).containsExactly("eks:DescribeCluster");
        }

        // AND one call per kind of data, not per node
        System.out.println("LocalStack AWS calls, EC2 inputs of 6 nodes: " + counter.counts());
        assertThat(counter.get("ec2:DescribeInstances")).isEqualTo(1);
        assertThat(counter.get("ec2:DescribeRouteTables")).isEqualTo(1);
        assertThat(counter.get("ec2:DescribeNatGateways")).isEqualTo(1);
    }

    @Test
    void collect_should_read_the_cluster_nodegroups_subnets_and_groups_where_eks_is_emulated() {
        assumeTrue(eks, "this LocalStack image does not emulate EKS (a Pro service: set LOCALSTACK_AUTH_TOKEN);"
                + " the cluster side is covered against moto by AwsCollectorTest");

        var result = collector(new ApiCallCounter()).collect(CLUSTER, CollectionPlan.of(Input.NODEGROUPS,
                Input.SUBNETS, Input.SECURITY_GROUPS, Input.LAUNCH_TEMPLATES));
        AwsClusterState aws = result.state();

        var cluster = aws.cluster().orElseThrow();
        assertThat(cluster.version()).isEqualTo("1.29");
        assertThat(result.clusterTags()).containsEntry("ekscm:team", "payments");
        assertThat(aws.nodegroups()).extracting(Nodegroup::name).containsExactlyInAnyOrderElementsOf(seed.nodegroups);
        var ng1 = aws.nodegroups().stream().filter(n -> n.name().endsWith("-ng-1")).findFirst().orElseThrow();
        assertThat(ng1.remoteAccessSshKey()).contains("ops-key");
        assertThat(aws.subnets()).extracting(Subnet::subnetId).containsExactlyInAnyOrder(seed.privateA, seed.privateB, seed.publicC);
        assertThat(aws.subnet(seed.publicC).orElseThrow().mapPublicIpOnLaunch()).isTrue();
        assertThat(aws.securityGroups()).extracting(SecurityGroup::groupId).contains(seed.nodeSg, seed.clusterSg);
        assertThat(aws.securityGroup(seed.nodeSg).orElseThrow().ingress()).anyMatch(p -> p.openToWorld() && p.coversTcpPort(22));
        assertThat(aws.launchTemplateVersions()).singleElement().satisfies(v -> {
            assertThat(v.launchTemplateId()).isEqualTo(seed.launchTemplateId);
            assertThat(v.versionNumber()).isEqualTo(1);
        });
        assertThat(result.available()).contains(Input.EKS_CLUSTER, Input.NODEGROUPS, Input.INSTANCES, Input.SUBNETS,
                Input.SECURITY_GROUPS, Input.LAUNCH_TEMPLATES);
    }

    @Test
    void collectEcr_should_read_the_repositories_the_images_come_from_where_ecr_is_emulated() {
        assumeTrue(ecr, "this LocalStack image does not emulate ECR (a Pro service: set LOCALSTACK_AUTH_TOKEN);"
                + " ECR is covered against moto by AwsCollectorTest");

        var collector = collector(new ApiCallCounter());
        var cluster = collector.collect(CLUSTER, CollectionPlan.of(Input.EKS_CLUSTER)).cluster();
        var result = collector.collectEcr(cluster, List.of(AwsSeed.image("shop/payments-api", "1.4.2"),
                AwsSeed.image("shop/storefront-web", "2.0.1"), AwsSeed.image("shop/deleted-long-ago", "1"), "nginx:latest"));

        assertThat(result.available()).containsExactly(Input.ECR_REPOSITORIES);
        assertThat(result.repositories()).extracting(EcrRepository::repositoryName, EcrRepository::scanOnPush)
                .containsExactlyInAnyOrder(Tuple.tuple("shop/payments-api", true), Tuple.tuple("shop/storefront-web", false));
    }

    /**
     * Whether the container answers a service: LocalStack refuses one it does not emulate with
     * HTTP 501 ("not yet implemented or pro feature") or a licence error.
     */
    private static boolean emulates(String service, Runnable probe) {
        try {
            probe.run();
            return true;
        } catch (AwsServiceException e) {
            String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            boolean refused = e.statusCode() == 501 || message.contains("not yet implemented")
                    || message.contains("pro feature") || message.contains("license");
            if (!refused) {
                throw e;
            }
            System.out.println("LocalStack does not emulate " + service + ": " + e.getMessage());
            return false;
        }
    }
}
