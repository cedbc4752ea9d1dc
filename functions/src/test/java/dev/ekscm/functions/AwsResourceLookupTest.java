package dev.ekscm.functions;

import dev.ekscm.routing.ResourceLookup.Location;
import dev.ekscm.testing.AwsTestClients;
import dev.ekscm.testing.MotoServer;
import dev.ekscm.testing.MotoServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.eks.EksClient;

import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The EC2/EKS lookups against the emulator: tags first, then the clusters' nodegroups. */
@ExtendWith(MotoServerExtension.class)
class AwsResourceLookupTest {
    static final String ACCOUNT = "123456789012";
    static final Location HERE = new Location(ACCOUNT, MotoServer.REGION);
    static AwsClients clients;
    static AwsResourceLookup lookup;
    static String taggedSubnet, nodegroupSubnet, freeSubnet, instanceId, nodeGroup, clusterGroup, taggedTemplate,
            nodegroupTemplate, routeTable, freeRouteTable;

    static Tag tag(String k, String v) {
        return Tag.builder().key(k).value(v).build();
    }

    static TagSpecification tags(ResourceType type, Tag... tags) {
        return TagSpecification.builder().resourceType(type).tags(tags).build();
    }

    @BeforeAll
    static void seed(MotoServer moto) {
        clients = new AwsClients(UrlConnectionHttpClient.create(), StaticCredentialsProvider.create(
                AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)), Optional.of(moto.endpoint()),
                Optional.empty(), Set.of(), MotoServer.REGION);
        lookup = new AwsResourceLookup(clients);
        try (Ec2Client ec2 = AwsTestClients.of(Ec2Client.builder(), moto); EksClient eks = AwsTestClients.of(EksClient.builder(), moto)) {
            String vpc = ec2.createVpc(b -> b.cidrBlock("10.40.0.0/16")).vpc().vpcId();
            taggedSubnet = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.40.1.0/24")
                    .tagSpecifications(tags(ResourceType.SUBNET, tag("kubernetes.io/cluster/shop-prod", "owned")))).subnet().subnetId();
            nodegroupSubnet = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.40.2.0/24")).subnet().subnetId();
            freeSubnet = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.40.3.0/24")).subnet().subnetId();
            nodeGroup = ec2.createSecurityGroup(b -> b.groupName("nodes").description("nodes").vpcId(vpc)).groupId();
            clusterGroup = ec2.createSecurityGroup(b -> b.groupName("eks-cluster-sg-shop-prod").description("cluster").vpcId(vpc)
                    .tagSpecifications(tags(ResourceType.SECURITY_GROUP, tag("aws:eks:cluster-name", "shop-prod")))).groupId();
            String image = ec2.describeImages(b -> b.maxResults(5)).images().get(0).imageId();
            instanceId = ec2.runInstances(b -> b.imageId(image).minCount(1).maxCount(1).subnetId(taggedSubnet)
                    .securityGroupIds(nodeGroup)
                    .tagSpecifications(tags(ResourceType.INSTANCE, tag("eks:cluster-name", "shop-prod"))))
                    .instances().get(0).instanceId();
            taggedTemplate = ec2.createLaunchTemplate(b -> b.launchTemplateName("shop-prod-general").launchTemplateData(d -> d.imageId(image))
                    .tagSpecifications(tags(ResourceType.LAUNCH_TEMPLATE, tag("eks:cluster-name", "shop-prod"))))
                    .launchTemplate().launchTemplateId();
            nodegroupTemplate = ec2.createLaunchTemplate(b -> b.launchTemplateName("shop-dev-batch").launchTemplateData(d -> d.imageId(image)))
                    .launchTemplate().launchTemplateId();
            routeTable = ec2.createRouteTable(b -> b.vpcId(vpc)).routeTable().routeTableId();
            ec2.associateRouteTable(b -> b.routeTableId(routeTable).subnetId(taggedSubnet));
            freeRouteTable = ec2.createRouteTable(b -> b.vpcId(vpc)).routeTable().routeTableId();
            ec2.associateRouteTable(b -> b.routeTableId(freeRouteTable).subnetId(freeSubnet));

            eks.createCluster(b -> b.name("shop-dev").roleArn("arn:aws:iam::" + ACCOUNT + ":role/eks")
                    .resourcesVpcConfig(v -> v.subnetIds(nodegroupSubnet)));
            eks.createNodegroup(b -> b.clusterName("shop-dev").nodegroupName("batch").nodeRole("arn:aws:iam::" + ACCOUNT + ":role/node")
                    .subnets(nodegroupSubnet).launchTemplate(t -> t.id(nodegroupTemplate)));
        }
    }

    @AfterAll
    static void close() {
        clients.close();
    }

    @Test
    void instance_should_resolve_through_its_cluster_tag() {
        assertThat(lookup.clustersOfInstance(HERE, instanceId)).containsExactly("shop-prod");
    }

    @Test
    void a_missing_instance_should_belong_to_no_cluster() {
        assertThat(lookup.clustersOfInstance(HERE, "i-0aaaaaaaaaaaaaaaa")).isEmpty();
    }

    @Test
    void tagged_launch_template_should_resolve_without_reading_nodegroups() {
        assertThat(lookup.clustersUsingLaunchTemplate(HERE, taggedTemplate)).containsExactly("shop-prod");
        assertThat(lookup.clustersUsingLaunchTemplate(HERE, "shop-prod-general")).containsExactly("shop-prod");
    }

    @Test
    void untagged_launch_template_should_resolve_to_the_cluster_whose_nodegroup_uses_it() {
        assertThat(lookup.clustersUsingLaunchTemplate(HERE, nodegroupTemplate)).containsExactly("shop-dev");
    }

    @Test
    void security_group_should_resolve_by_its_eks_tag_or_by_the_instances_in_it() {
        assertThat(lookup.clustersUsingSecurityGroup(HERE, clusterGroup)).containsExactly("shop-prod");
        assertThat(lookup.clustersUsingSecurityGroup(HERE, nodeGroup)).containsExactly("shop-prod");
    }

    @Test
    void subnet_should_resolve_by_tag_then_by_nodegroup_and_an_unused_one_to_nothing() {
        assertThat(lookup.clustersUsingSubnet(HERE, taggedSubnet)).containsExactly("shop-prod");
        assertThat(lookup.clustersUsingSubnet(HERE, nodegroupSubnet)).containsExactly("shop-dev");
        assertThat(lookup.clustersUsingSubnet(HERE, freeSubnet)).isEmpty();
    }

    @Test
    void route_table_should_resolve_through_its_associated_subnets() {
        assertThat(lookup.clustersUsingRouteTable(HERE, routeTable)).containsExactly("shop-prod");
        assertThat(lookup.clustersUsingRouteTable(HERE, freeRouteTable)).isEmpty();
        assertThat(lookup.clustersUsingRouteTable(HERE, "rtb-0aaaaaaaaaaaaaaaa")).isEmpty();
    }
}
