package dev.ekscm.collect;

import dev.ekscm.model.BadInputException;
import dev.ekscm.model.ClusterSnapshot.CollectionProblem;
import dev.ekscm.model.Input;
import dev.ekscm.model.aws.AwsClusterState;
import dev.ekscm.model.aws.Ec2Instance;
import dev.ekscm.model.aws.EcrRepository;
import dev.ekscm.model.aws.RouteTable;
import dev.ekscm.model.aws.SecurityGroup;
import dev.ekscm.model.aws.Subnet;
import dev.ekscm.testing.MotoServer;
import dev.ekscm.testing.MotoServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The AWS collector against moto. moto's EKS has no access entries (its ListAccessEntries is not
 * implemented), which this test uses as a real API error; access entries themselves are covered
 * against recorded EKS responses in {@link LiveSnapshotSourceTest}.
 */
@ExtendWith(MotoServerExtension.class)
class AwsCollectorTest {
    static AwsClientFactory factory;
    static AwsSeed seed;

    @BeforeAll
    static void seed(MotoServer moto) {
        factory = new AwsClientFactory(StaticCredentialsProvider.create(
                AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)), Optional.of(moto.endpoint()),
                new ApiCallCounter());
        var c = factory.forRegion(MotoServer.REGION);
        seed = new AwsSeed("shop-dev", c.eks(), c.ec2(), c.ecr()).network().cluster().nodegroups(2).instances(6).repositories();
    }

    @AfterAll
    static void close() {
        factory.close();
    }

    private AwsCollector collector(ApiCallCounter counter) {
        return new AwsCollector(factory.forRegion(MotoServer.REGION), counter);
    }

    @Test
    void collect_should_read_the_cluster_its_nodes_and_their_network() {
        // WHEN everything is collected
        var counter = new ApiCallCounter();
        var result = collector(counter).collect("shop-dev", CollectionPlan.everything());
        AwsClusterState aws = result.state();

        // THEN the cluster
        var cluster = aws.cluster().orElseThrow();
        assertThat(result.cluster().account()).isEqualTo(AwsSeed.ACCOUNT);
        assertThat(result.cluster().region()).isEqualTo("us-east-1");
        assertThat(cluster.version()).isEqualTo("1.29");
        // (moto's DescribeCluster omits resourcesVpcConfig.vpcId; the collector then takes the nodes' VPC)
        assertThat(cluster.endpointPublicAccess()).isTrue();
        assertThat(cluster.publicAccessCidrs()).containsExactly("0.0.0.0/0");
        assertThat(cluster.enabledLogTypes()).containsExactly("api");
        assertThat(cluster.securityGroupIds()).containsExactly(seed.clusterSg);
        assertThat(cluster.endpoint()).isPresent();
        assertThat(result.clusterTags()).containsEntry("ekscm:team", "payments");

        // AND the nodegroups, with launch template and SSH key
        assertThat(aws.nodegroups()).extracting(n -> n.name()).containsExactlyInAnyOrderElementsOf(seed.nodegroups);
        var ng0 = aws.nodegroups().stream().filter(n -> n.name().endsWith("-ng-0")).findFirst().orElseThrow();
        assertThat(ng0.subnets()).containsExactlyInAnyOrder(seed.privateA, seed.privateB);
        assertThat(ng0.launchTemplate().orElseThrow().id()).contains(seed.launchTemplateId);
        assertThat(ng0.launchTemplate().orElseThrow().version()).contains("1");
        var ng1 = aws.nodegroups().stream().filter(n -> n.name().endsWith("-ng-1")).findFirst().orElseThrow();
        assertThat(ng1.remoteAccessSshKey()).contains("ops-key");

        // AND only this cluster's running node instances, whatever tag style marks them
        assertThat(aws.instances()).extracting(Ec2Instance::instanceId).containsExactlyInAnyOrderElementsOf(seed.nodeInstances);
        var byId = aws.instances().stream().collect(Collectors.toMap(Ec2Instance::instanceId, i -> i));
        var v2 = byId.get(seed.nodeInstances.get(0)).metadataOptions();
        assertThat(v2.httpTokens()).contains("required");
        assertThat(v2.httpPutResponseHopLimit()).contains(1);
        var v1 = byId.get(seed.nodeInstances.get(1)).metadataOptions();
        assertThat(v1.httpTokens()).contains("optional");
        assertThat(v1.httpPutResponseHopLimit()).contains(2);
        assertThat(byId.get(seed.nodeInstances.get(0)).securityGroupIds()).containsExactly(seed.nodeSg);

        // AND the node subnets with their AZs
        assertThat(aws.subnets()).extracting(Subnet::subnetId)
                .containsExactlyInAnyOrder(seed.privateA, seed.privateB, seed.publicC);
        assertThat(aws.subnets()).extracting(Subnet::availabilityZone).containsExactlyInAnyOrder("us-east-1a", "us-east-1b", "us-east-1c");
        assertThat(aws.subnet(seed.publicC).orElseThrow().mapPublicIpOnLaunch()).isTrue();
        assertThat(aws.subnet(seed.privateA).orElseThrow().mapPublicIpOnLaunch()).isFalse();

        // AND the route tables: explicit associations, and the main table for the subnet without one
        assertThat(aws.routeTableFor(aws.subnet(seed.publicC).orElseThrow()).orElseThrow().routes())
                .anyMatch(r -> r.isDefault() && r.toInternetGateway() && r.target().equals(seed.igwId));
        assertThat(aws.routeTableFor(aws.subnet(seed.privateA).orElseThrow()).orElseThrow().routes())
                .anyMatch(r -> r.isDefault() && r.toNatGateway() && r.target().equals(seed.natId));
        RouteTable forB = aws.routeTableFor(aws.subnet(seed.privateB).orElseThrow()).orElseThrow();
        assertThat(forB.routeTableId()).isEqualTo(seed.mainRouteTable);
        assertThat(forB.isMain()).isTrue();
        assertThat(forB.routes()).noneMatch(RouteTable.Route::isDefault);

        // AND the NAT gateway, the node and cluster security groups, the launch template version in use
        assertThat(aws.natGateways()).singleElement().satisfies(n -> {
            assertThat(n.natGatewayId()).isEqualTo(seed.natId);
            assertThat(n.subnetId()).isEqualTo(seed.publicC);
        });
        assertThat(aws.securityGroups()).extracting(SecurityGroup::groupId).containsExactlyInAnyOrder(seed.nodeSg, seed.clusterSg);
        assertThat(aws.securityGroup(seed.nodeSg).orElseThrow().ingress())
                .anyMatch(p -> p.openToWorld() && p.coversTcpPort(22));
        assertThat(aws.launchTemplateVersions()).singleElement().satisfies(v -> {
            assertThat(v.launchTemplateId()).isEqualTo(seed.launchTemplateId);
            assertThat(v.versionNumber()).isEqualTo(1);
            assertThat(v.metadataOptions().orElseThrow().httpPutResponseHopLimit()).contains(2);
        });

        // AND access entries, which moto lacks, are a problem naming the call, not a crash
        assertThat(result.available()).contains(Input.EKS_CLUSTER, Input.NODEGROUPS, Input.INSTANCES, Input.SUBNETS,
                Input.ROUTE_TABLES, Input.NAT_GATEWAYS, Input.SECURITY_GROUPS, Input.LAUNCH_TEMPLATES);
        assertThat(result.available()).doesNotContain(Input.ACCESS_ENTRIES, Input.ECR_REPOSITORIES);
        assertThat(result.problems()).extracting(CollectionProblem::where).containsExactly("eks:ListAccessEntries");
        assertThat(result.problems().get(0).kubernetesUnreachable()).isFalse();

        // AND one call per kind of data, not per node
        System.out.println("AWS calls, full collection of 2 nodegroups, 6 nodes: " + counter.counts());
        assertThat(counter.get("ec2:DescribeInstances")).isEqualTo(1);
        assertThat(counter.get("eks:DescribeNodegroup")).isEqualTo(2);
        assertThat(counter.get("ec2:DescribeLaunchTemplateVersions")).isEqualTo(1);
    }

    @Test
    void collect_should_call_only_what_the_plan_needs() {
        var counter = new ApiCallCounter();

        var result = collector(counter).collect("shop-dev", CollectionPlan.of(Input.NODEGROUPS, Input.SUBNETS));

        assertThat(counter.counts()).containsOnlyKeys("eks:DescribeCluster", "eks:ListNodegroups", "eks:DescribeNodegroup",
                "ec2:DescribeInstances", "ec2:DescribeSubnets");
        assertThat(result.available()).containsExactlyInAnyOrder(Input.EKS_CLUSTER, Input.NODEGROUPS, Input.INSTANCES, Input.SUBNETS);
        assertThat(result.state().routeTables()).isEmpty();
    }

    @Test
    void collectEcr_should_read_the_repositories_the_images_come_from() {
        var counter = new ApiCallCounter();
        var collector = collector(counter);
        var cluster = collector.collect("shop-dev", CollectionPlan.of(Input.EKS_CLUSTER)).cluster();

        var ecr = collector.collectEcr(cluster, List.of(
                AwsSeed.image("shop/payments-api", "1.4.2"),
                AwsSeed.ACCOUNT + ".dkr.ecr.us-east-1.amazonaws.com/shop/storefront-web@sha256:" + "a".repeat(64),
                AwsSeed.image("shop/deleted-long-ago", "1"),
                "nginx:latest", "busybox"));

        assertThat(ecr.available()).containsExactly(Input.ECR_REPOSITORIES);
        assertThat(ecr.repositories()).extracting(EcrRepository::repositoryName, EcrRepository::scanOnPush)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("shop/payments-api", true),
                        org.assertj.core.groups.Tuple.tuple("shop/storefront-web", false));
        assertThat(ecr.registryScanning()).isPresent();
        assertThat(ecr.problems()).isEmpty();
        System.out.println("ECR calls with one deleted repository: " + counter.counts());
    }

    @Test
    void collect_should_reject_an_unknown_cluster_with_a_clear_message() {
        assertThatThrownBy(() -> collector(new ApiCallCounter()).collect("no-such-cluster", CollectionPlan.everything()))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("cluster 'no-such-cluster' not found in region us-east-1")
                .hasMessageContaining("--region");
    }

    @Test
    void ecr_image_should_parse_registry_region_and_repository() {
        assertThat(AwsCollector.EcrImage.parse("111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/payments-api:1.4.2@sha256:abc"))
                .contains(new AwsCollector.EcrImage("111122223333", "eu-west-1", "shop/payments-api"));
        assertThat(AwsCollector.EcrImage.parse("111122223333.dkr.ecr.eu-west-1.amazonaws.com/app"))
                .contains(new AwsCollector.EcrImage("111122223333", "eu-west-1", "app"));
        assertThat(AwsCollector.EcrImage.parse("public.ecr.aws/nginx/nginx:1")).isEmpty();
        assertThat(AwsCollector.EcrImage.parse("localhost:5000/app:1")).isEmpty();
    }

    @Test
    void sdk_should_honour_the_configured_endpoint_url_without_an_override(MotoServer moto) {
        // GIVEN the endpoint set the way AWS_ENDPOINT_URL sets it (the SDK reads the system property
        // aws.endpointUrl and the environment variable alike), and a factory without override
        String before = System.getProperty("aws.endpointUrl");
        System.setProperty("aws.endpointUrl", moto.endpoint().toString());
        try (var plain = new AwsClientFactory(StaticCredentialsProvider.create(
                AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)), Optional.empty(), new ApiCallCounter())) {
            // WHEN the cluster is described THEN the emulator answers (the real endpoint would refuse fake keys)
            var result = new AwsCollector(plain.forRegion(MotoServer.REGION), new ApiCallCounter())
                    .collect("shop-dev", CollectionPlan.of(Input.EKS_CLUSTER));
            assertThat(result.state().cluster()).isPresent();
            assertThat(plain.stsEndpoint()).contains(moto.endpoint());
        } finally {
            if (before == null) {
                System.clearProperty("aws.endpointUrl");
            } else {
                System.setProperty("aws.endpointUrl", before);
            }
        }
    }

    @Test
    void problem_should_name_the_call_and_the_error() {
        var result = collector(new ApiCallCounter()).collect("shop-dev", CollectionPlan.of(Input.ACCESS_ENTRIES));

        CollectionProblem problem = result.problems().get(0);
        System.out.println("problem: " + problem);
        assertThat(problem.source()).isEqualTo(Input.Source.AWS);
        assertThat(problem.where()).isEqualTo("eks:ListAccessEntries");
        assertThat(problem.reason()).isNotBlank().doesNotContain("null");
    }
}
