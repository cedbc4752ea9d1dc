package dev.ekscm.collect;

import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.LogType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Seeds the emulator with one EKS cluster and its surroundings, like a real account would hold:
 * a VPC with subnets in three AZs (two private, one public), an internet gateway routed from the
 * public subnet, a NAT gateway routed from one private subnet (the other uses the VPC's main
 * table), a node security group open to the world on SSH, a launch template that allows IMDSv1
 * with hop limit 2, nodegroups, node instances tagged for the cluster (one per tag style), an
 * instance of another cluster, and ECR repositories with and without scan-on-push.
 */
public final class AwsSeed {
    public static final String ACCOUNT = "123456789012";
    static final String AMI = "ami-12c6146b"; // one of moto's built-in AMIs

    final String cluster;
    String vpcId;
    String privateA;
    String privateB;
    String publicC;
    String igwId;
    String natId;
    String publicRouteTable;
    String privateRouteTable;
    String mainRouteTable;
    String nodeSg;
    String clusterSg;
    String launchTemplateId;
    final List<String> nodegroups = new ArrayList<>();
    public final List<String> nodeInstances = new ArrayList<>();
    public String otherClusterInstance;

    private final EksClient eks;
    private final Ec2Client ec2;
    private final EcrClient ecr;

    public AwsSeed(String cluster, EksClient eks, Ec2Client ec2, EcrClient ecr) {
        this.cluster = cluster;
        this.eks = eks;
        this.ec2 = ec2;
        this.ecr = ecr;
    }

    /** The network, security groups and launch template. */
    public AwsSeed network() {
        vpcId = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        privateA = subnet("10.0.1.0/24", "us-east-1a", false);
        privateB = subnet("10.0.2.0/24", "us-east-1b", false);
        publicC = subnet("10.0.3.0/24", "us-east-1c", true);
        igwId = ec2.createInternetGateway(r -> { }).internetGateway().internetGatewayId();
        ec2.attachInternetGateway(r -> r.vpcId(vpcId).internetGatewayId(igwId));
        String eip = ec2.allocateAddress(r -> r.domain("vpc")).allocationId();
        natId = ec2.createNatGateway(r -> r.subnetId(publicC).allocationId(eip)).natGateway().natGatewayId();

        publicRouteTable = ec2.createRouteTable(r -> r.vpcId(vpcId)).routeTable().routeTableId();
        ec2.createRoute(r -> r.routeTableId(publicRouteTable).destinationCidrBlock("0.0.0.0/0").gatewayId(igwId));
        ec2.associateRouteTable(r -> r.routeTableId(publicRouteTable).subnetId(publicC));
        privateRouteTable = ec2.createRouteTable(r -> r.vpcId(vpcId)).routeTable().routeTableId();
        ec2.createRoute(r -> r.routeTableId(privateRouteTable).destinationCidrBlock("0.0.0.0/0").natGatewayId(natId));
        ec2.associateRouteTable(r -> r.routeTableId(privateRouteTable).subnetId(privateA));
        mainRouteTable = ec2.describeRouteTables(r -> r.filters(f -> f.name("vpc-id").values(vpcId),
                f -> f.name("association.main").values("true"))).routeTables().get(0).routeTableId();

        nodeSg = ec2.createSecurityGroup(r -> r.groupName(cluster + "-nodes").description("nodes").vpcId(vpcId)).groupId();
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(nodeSg).ipPermissions(p -> p.ipProtocol("tcp").fromPort(22).toPort(22)
                .ipRanges(ip -> ip.cidrIp("0.0.0.0/0"))));
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(nodeSg).ipPermissions(p -> p.ipProtocol("tcp").fromPort(10250)
                .toPort(10250).ipRanges(ip -> ip.cidrIp("10.0.0.0/16"))));
        clusterSg = ec2.createSecurityGroup(r -> r.groupName(cluster + "-cluster").description("control plane").vpcId(vpcId)).groupId();
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(clusterSg).ipPermissions(p -> p.ipProtocol("tcp").fromPort(443)
                .toPort(443).ipRanges(ip -> ip.cidrIp("10.0.0.0/16"))));

        launchTemplateId = ec2.createLaunchTemplate(r -> r.launchTemplateName(cluster + "-nodes").launchTemplateData(d -> d
                        .metadataOptions(m -> m.httpTokens("optional").httpPutResponseHopLimit(2).httpEndpoint("enabled"))))
                .launchTemplate().launchTemplateId();
        ec2.createLaunchTemplateVersion(r -> r.launchTemplateId(launchTemplateId).launchTemplateData(d -> d
                .metadataOptions(m -> m.httpTokens("required").httpPutResponseHopLimit(1))));
        return this;
    }

    /** The cluster, public endpoint open to the world, only api logs, tagged for a team. */
    public AwsSeed cluster() {
        eks.createCluster(r -> r.name(cluster).roleArn("arn:aws:iam::" + ACCOUNT + ":role/eks-cluster").version("1.29")
                .resourcesVpcConfig(v -> v.subnetIds(privateA, privateB, publicC).securityGroupIds(clusterSg)
                        .endpointPublicAccess(true).endpointPrivateAccess(false).publicAccessCidrs("0.0.0.0/0"))
                .logging(l -> l.clusterLogging(s -> s.types(LogType.API).enabled(true),
                        s -> s.types(LogType.AUDIT, LogType.AUTHENTICATOR).enabled(false)))
                .tags(Map.of("ekscm:team", "payments", "ekscm:auto-remediate", "imds-hop-limit")));
        return this;
    }

    /**
     * Nodegroups: the first spans the two private subnets with the launch template (version 1),
     * the second sits in the public subnet with an SSH key; further ones (for cost tests) use the
     * template's version 2.
     */
    public AwsSeed nodegroups(int count) {
        for (int i = 0; i < count; i++) {
            String name = cluster + "-ng-" + i;
            int n = i;
            eks.createNodegroup(r -> {
                r.clusterName(cluster).nodegroupName(name).nodeRole("arn:aws:iam::" + ACCOUNT + ":role/eks-node")
                        .scalingConfig(s -> s.minSize(1).maxSize(3).desiredSize(1));
                if (n == 0) {
                    r.subnets(privateA, privateB).launchTemplate(lt -> lt.id(launchTemplateId).version("1"));
                } else if (n == 1) {
                    r.subnets(publicC).remoteAccess(ra -> ra.ec2SshKey("ops-key"));
                } else {
                    r.subnets(privateA, privateB).launchTemplate(lt -> lt.id(launchTemplateId).version("2"));
                }
            });
            nodegroups.add(name);
        }
        return this;
    }

    /**
     * Node instances spread over the node subnets. Every third uses each tag style; even ones
     * require IMDSv2, odd ones allow IMDSv1 with hop limit 2. Also an instance of another cluster
     * and a stopped node, which must not be collected.
     */
    public AwsSeed instances(int count) {
        String[] subnets = {privateA, privateB, publicC};
        for (int i = 0; i < count; i++) {
            Tag tag = switch (i % 3) {
                case 0 -> Tag.builder().key("eks:cluster-name").value(cluster).build();
                case 1 -> Tag.builder().key("kubernetes.io/cluster/" + cluster).value("owned").build();
                default -> Tag.builder().key("aws:eks:cluster-name").value(cluster).build();
            };
            boolean v2 = i % 2 == 0;
            String subnet = subnets[i % 3];
            nodeInstances.add(run(subnet, List.of(tag, Tag.builder().key("Name").value("node-" + i).build()),
                    v2 ? "required" : "optional", v2 ? 1 : 2));
        }
        otherClusterInstance = run(privateA, List.of(Tag.builder().key("eks:cluster-name").value("someone-else").build()), "required", 1);
        String stopped = run(privateA, List.of(Tag.builder().key("eks:cluster-name").value(cluster).build()), "optional", 2);
        ec2.stopInstances(r -> r.instanceIds(stopped));
        return this;
    }

    public AwsSeed repositories() {
        ecr.createRepository(r -> r.repositoryName("shop/payments-api").imageScanningConfiguration(c -> c.scanOnPush(true)));
        ecr.createRepository(r -> r.repositoryName("shop/storefront-web").imageScanningConfiguration(c -> c.scanOnPush(false)));
        ecr.createRepository(r -> r.repositoryName("unused/other").imageScanningConfiguration(c -> c.scanOnPush(false)));
        return this;
    }

    static String image(String repository, String tag) {
        return ACCOUNT + ".dkr.ecr.us-east-1.amazonaws.com/" + repository + ":" + tag;
    }

    private String subnet(String cidr, String az, boolean publicIp) {
        String id = ec2.createSubnet(r -> r.vpcId(vpcId).cidrBlock(cidr).availabilityZone(az)).subnet().subnetId();
        if (publicIp) {
            ec2.modifySubnetAttribute(r -> r.subnetId(id).mapPublicIpOnLaunch(b -> b.value(true)));
        }
        return id;
    }

    private String run(String subnet, List<Tag> tags, String tokens, int hopLimit) {
        return ec2.runInstances(r -> r.imageId(AMI).instanceType(InstanceType.T3_MEDIUM).minCount(1).maxCount(1)
                        .subnetId(subnet).securityGroupIds(nodeSg)
                        .metadataOptions(m -> m.httpTokens(HttpTokensState.fromValue(tokens)).httpPutResponseHopLimit(hopLimit)
                                .httpEndpoint("enabled"))
                        .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(tags).build()))
                .instances().get(0).instanceId();
    }
}
