package dev.ekscm.collect;

import dev.ekscm.model.BadInputException;
import dev.ekscm.model.ClusterId;
import dev.ekscm.model.Input;
import dev.ekscm.model.aws.AccessEntry;
import dev.ekscm.model.aws.Ec2Instance;
import dev.ekscm.model.aws.EksCluster;
import dev.ekscm.model.aws.LaunchTemplateRef;
import dev.ekscm.model.aws.MetadataOptions;
import dev.ekscm.model.aws.RouteTable;
import dev.ekscm.model.aws.SecurityGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AwsCliJsonReaderTest {
    @TempDir
    Path dir;

    private final AwsCliJsonReader reader = new AwsCliJsonReader();

    private void file(String name, String json) throws IOException {
        Files.writeString(dir.resolve(name), json);
    }

    private static final String CLUSTER = """
            {
                "cluster": {
                    "name": "shop-dev",
                    "arn": "arn:aws:eks:eu-west-1:111122223333:cluster/shop-dev",
                    "version": "1.29",
                    "endpoint": "https://ABC.gr7.eu-west-1.eks.amazonaws.com",
                    "resourcesVpcConfig": {
                        "subnetIds": ["subnet-1", "subnet-2"],
                        "securityGroupIds": ["sg-extra"],
                        "clusterSecurityGroupId": "sg-cluster",
                        "vpcId": "vpc-1",
                        "endpointPublicAccess": true,
                        "endpointPrivateAccess": false,
                        "publicAccessCidrs": ["203.0.113.0/24"]
                    },
                    "logging": {"clusterLogging": [
                        {"types": ["api", "audit"], "enabled": true},
                        {"types": ["authenticator", "controllerManager", "scheduler"], "enabled": false}
                    ]},
                    "status": "ACTIVE",
                    "certificateAuthority": {"data": "LS0tCg=="},
                    "encryptionConfig": [{"resources": ["secrets"], "provider": {"keyArn": "arn:aws:kms:eu-west-1:111122223333:key/k"}}],
                    "accessConfig": {"authenticationMode": "API"},
                    "tags": {"team": "shop", "ekscm:auto-remediate": "all"}
                }
            }
            """;

    @Test
    void read_should_map_describe_cluster_with_cluster_id_and_tags() throws IOException {
        // GIVEN a describe-cluster output under an arbitrary file name
        file("whatever-name.json", CLUSTER);

        // WHEN
        AwsFiles files = reader.read(dir);

        // THEN
        assertThat(files.available()).containsExactly(Input.EKS_CLUSTER);
        assertThat(files.cluster()).contains(new ClusterId("111122223333", "eu-west-1", "shop-dev"));
        assertThat(files.clusterTags()).containsEntry("team", "shop").containsEntry("ekscm:auto-remediate", "all");
        EksCluster c = files.state().cluster().orElseThrow();
        assertThat(c.version()).isEqualTo("1.29");
        assertThat(c.vpcId()).isEqualTo("vpc-1");
        assertThat(c.subnetIds()).containsExactly("subnet-1", "subnet-2");
        assertThat(c.allSecurityGroupIds()).containsExactly("sg-cluster", "sg-extra");
        assertThat(c.endpointPublicAccess()).isTrue();
        assertThat(c.endpointPrivateAccess()).isFalse();
        assertThat(c.publicAccessCidrs()).containsExactly("203.0.113.0/24");
        assertThat(c.enabledLogTypes()).containsExactlyInAnyOrder("api", "audit");
        assertThat(c.encryptionConfig()).singleElement().satisfies(e -> {
            assertThat(e.resources()).containsExactly("secrets");
            assertThat(e.keyArn()).contains("arn:aws:kms:eu-west-1:111122223333:key/k");
        });
        assertThat(c.endpoint()).contains("https://ABC.gr7.eu-west-1.eks.amazonaws.com");
        assertThat(c.certificateAuthority()).contains("LS0tCg==");
        assertThat(c.authenticationMode()).contains("API");
    }

    @Test
    void read_should_apply_eks_defaults_when_optional_cluster_fields_are_absent() throws IOException {
        file("c.json", """
                {"cluster": {"name": "bare"}}
                """);

        AwsFiles files = reader.read(dir);

        EksCluster c = files.state().cluster().orElseThrow();
        assertThat(files.cluster()).contains(ClusterId.offline("bare"));
        assertThat(c.endpointPublicAccess()).isTrue();
        assertThat(c.endpointPrivateAccess()).isFalse();
        assertThat(c.publicAccessCidrs()).containsExactly("0.0.0.0/0");
        assertThat(c.enabledLogTypes()).isEmpty();
        assertThat(c.encryptionConfig()).isEmpty();
        assertThat(c.clusterSecurityGroupId()).isEmpty();
        assertThat(c.endpoint()).isEmpty();
        assertThat(files.clusterTags()).isEmpty();
    }

    @Test
    void read_should_map_nodegroups_from_one_file_each() throws IOException {
        file("ng-a.json", """
                {"nodegroup": {
                    "nodegroupName": "general", "clusterName": "shop-dev", "status": "ACTIVE",
                    "instanceTypes": ["t3.large"], "subnets": ["subnet-1", "subnet-2"],
                    "remoteAccess": {"ec2SshKey": "admin-key", "sourceSecurityGroups": ["sg-bastion"]},
                    "resources": {"autoScalingGroups": [{"name": "eks-general-1234"}], "remoteAccessSecurityGroup": "sg-ra"},
                    "tags": {"team": "shop"}
                }}
                """);
        file("ng-b.json", """
                {"nodegroup": {
                    "nodegroupName": "batch", "clusterName": "shop-dev", "subnets": ["subnet-3"],
                    "launchTemplate": {"name": "batch-lt", "version": "$Latest", "id": "lt-1"}
                }}
                """);

        AwsFiles files = reader.read(dir);

        assertThat(files.available()).containsExactly(Input.NODEGROUPS);
        var ngs = files.state().nodegroups();
        assertThat(ngs).extracting(n -> n.name()).containsExactly("general", "batch");
        var general = ngs.get(0);
        assertThat(general.subnets()).containsExactly("subnet-1", "subnet-2");
        assertThat(general.remoteAccessSshKey()).contains("admin-key");
        assertThat(general.remoteAccessSourceSecurityGroups()).containsExactly("sg-bastion");
        assertThat(general.autoScalingGroups()).containsExactly("eks-general-1234");
        assertThat(general.instanceTypes()).containsExactly("t3.large");
        assertThat(general.tags()).containsEntry("team", "shop");
        assertThat(general.launchTemplate()).isEmpty();
        var batch = ngs.get(1);
        assertThat(batch.remoteAccessSshKey()).isEmpty();
        assertThat(batch.remoteAccessSourceSecurityGroups()).isEmpty();
        assertThat(batch.launchTemplate()).contains(new LaunchTemplateRef(Optional.of("lt-1"), Optional.of("batch-lt"),
                Optional.of("$Latest")));
    }

    @Test
    void read_should_merge_access_policies_and_access_entries_by_principal() throws IOException {
        file("policies-admin.json", """
                {"clusterName": "shop-dev", "principalArn": "arn:aws:iam::111122223333:role/Admin",
                 "associatedAccessPolicies": [
                    {"policyArn": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
                     "accessScope": {"type": "cluster", "namespaces": []},
                     "associatedAt": "2024-03-12T10:15:44.512000+00:00", "modifiedAt": "2024-03-12T10:15:44.512000+00:00"}]}
                """);
        file("policies-dev-1.json", """
                {"clusterName": "shop-dev", "principalArn": "arn:aws:iam::111122223333:role/dev",
                 "associatedAccessPolicies": [
                    {"policyArn": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy",
                     "accessScope": {"type": "namespace", "namespaces": ["payments", "storefront"]}}]}
                """);
        file("policies-dev-2.json", """
                {"clusterName": "shop-dev", "principalArn": "arn:aws:iam::111122223333:role/dev",
                 "associatedAccessPolicies": [
                    {"policyArn": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
                     "accessScope": {"type": "cluster"}}]}
                """);
        file("entry-dev.json", """
                {"accessEntry": {"clusterName": "shop-dev", "principalArn": "arn:aws:iam::111122223333:role/dev",
                 "kubernetesGroups": ["developers"], "type": "STANDARD", "username": "dev"}}
                """);
        file("entry-node.json", """
                {"accessEntry": {"clusterName": "shop-dev", "principalArn": "arn:aws:iam::111122223333:role/node",
                 "kubernetesGroups": [], "type": "EC2_LINUX"}}
                """);

        AwsFiles files = reader.read(dir);

        assertThat(files.available()).containsExactly(Input.ACCESS_ENTRIES);
        var entries = files.state().accessEntries();
        assertThat(entries).extracting(AccessEntry::principalArn).containsExactlyInAnyOrder(
                "arn:aws:iam::111122223333:role/Admin", "arn:aws:iam::111122223333:role/dev",
                "arn:aws:iam::111122223333:role/node");
        AccessEntry admin = entry(entries, "role/Admin");
        assertThat(admin.type()).isEqualTo("STANDARD");
        assertThat(admin.policies()).singleElement().satisfies(p -> {
            assertThat(p.policyName()).isEqualTo("AmazonEKSClusterAdminPolicy");
            assertThat(p.clusterScoped()).isTrue();
        });
        AccessEntry dev = entry(entries, "role/dev");
        assertThat(dev.kubernetesGroups()).containsExactly("developers");
        assertThat(dev.policies()).extracting(AccessEntry.PolicyAssociation::policyName)
                .containsExactly("AmazonEKSEditPolicy", "AmazonEKSViewPolicy");
        assertThat(dev.policies().get(0).namespaces()).containsExactly("payments", "storefront");
        assertThat(dev.policies().get(0).clusterScoped()).isFalse();
        AccessEntry node = entry(entries, "role/node");
        assertThat(node.type()).isEqualTo("EC2_LINUX");
        assertThat(node.policies()).isEmpty();
    }

    private static AccessEntry entry(List<AccessEntry> entries, String suffix) {
        return entries.stream().filter(e -> e.principalArn().endsWith(suffix)).findFirst().orElseThrow();
    }

    @Test
    void read_should_merge_pages_of_describe_instances() throws IOException {
        file("instances-1.json", """
                {"Reservations": [{"ReservationId": "r-1", "OwnerId": "111122223333", "Instances": [
                    {"InstanceId": "i-1", "SubnetId": "subnet-1", "VpcId": "vpc-1", "State": {"Code": 16, "Name": "running"},
                     "PublicIpAddress": "34.1.2.3",
                     "MetadataOptions": {"State": "applied", "HttpTokens": "optional", "HttpPutResponseHopLimit": 2, "HttpEndpoint": "enabled"},
                     "SecurityGroups": [{"GroupName": "nodes", "GroupId": "sg-nodes"}, {"GroupName": "cluster", "GroupId": "sg-cluster"}],
                     "Tags": [{"Key": "eks:cluster-name", "Value": "shop-dev"},
                              {"Key": "aws:ec2launchtemplate:id", "Value": "lt-1"},
                              {"Key": "aws:ec2launchtemplate:version", "Value": "3"}]}
                ]}], "NextToken": "abc"}
                """);
        file("instances-2.json", """
                {"Reservations": [{"Instances": [
                    {"InstanceId": "i-2", "SubnetId": "subnet-2", "State": {"Name": "terminated"}},
                    {"InstanceId": "i-3", "SubnetId": "subnet-2", "State": {"Name": "running"}, "MetadataOptions": {}}
                ]}]}
                """);

        AwsFiles files = reader.read(dir);

        assertThat(files.available()).containsExactly(Input.INSTANCES);
        var instances = files.state().instances();
        assertThat(instances).extracting(Ec2Instance::instanceId).containsExactly("i-1", "i-2", "i-3");
        Ec2Instance i1 = instances.get(0);
        assertThat(i1.publicIpAddress()).contains("34.1.2.3");
        assertThat(i1.metadataOptions()).isEqualTo(MetadataOptions.of("optional", 2, "enabled"));
        assertThat(i1.securityGroupIds()).containsExactly("sg-nodes", "sg-cluster");
        assertThat(i1.launchTemplate()).contains(new LaunchTemplateRef(Optional.of("lt-1"), Optional.empty(),
                Optional.of("3")));
        assertThat(i1.tags()).containsEntry("eks:cluster-name", "shop-dev");
        assertThat(instances.get(1).isRunning()).isFalse();
        assertThat(instances.get(2).metadataOptions()).isEqualTo(MetadataOptions.unset());
        assertThat(instances.get(2).publicIpAddress()).isEmpty();
        assertThat(files.state().nodeSubnetIds()).containsExactly("subnet-1", "subnet-2");
    }

    @Test
    void read_should_map_subnets_route_tables_and_nat_gateways() throws IOException {
        file("subnets.json", """
                {"Subnets": [
                    {"SubnetId": "subnet-1", "VpcId": "vpc-1", "AvailabilityZone": "eu-west-1a", "MapPublicIpOnLaunch": true,
                     "Tags": [{"Key": "Name", "Value": "public-a"}]},
                    {"SubnetId": "subnet-2", "VpcId": "vpc-1", "AvailabilityZone": "eu-west-1b"}
                ]}
                """);
        file("rtb.json", """
                {"RouteTables": [
                    {"RouteTableId": "rtb-main", "VpcId": "vpc-1",
                     "Associations": [{"Main": true, "RouteTableAssociationId": "rtbassoc-1", "RouteTableId": "rtb-main",
                                       "AssociationState": {"State": "associated"}}],
                     "Routes": [{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "State": "active"},
                                {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1", "State": "active"},
                                {"DestinationIpv6CidrBlock": "::/0", "EgressOnlyInternetGatewayId": "eigw-1", "State": "active"}]},
                    {"RouteTableId": "rtb-priv", "VpcId": "vpc-1",
                     "Associations": [{"Main": false, "SubnetId": "subnet-2"},
                                      {"Main": false, "SubnetId": "subnet-old", "AssociationState": {"State": "disassociated"}}],
                     "Routes": [{"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-1", "State": "blackhole"},
                                {"DestinationCidrBlock": "10.1.0.0/16", "InstanceId": "i-nat", "InstanceOwnerId": "111122223333",
                                 "NetworkInterfaceId": "eni-1", "State": "active"},
                                {"DestinationPrefixListId": "pl-6da54004", "GatewayId": "vpce-1", "State": "active"},
                                {"DestinationCidrBlock": "10.2.0.0/16", "TransitGatewayId": "tgw-1"},
                                {"DestinationCidrBlock": "10.3.0.0/16", "VpcPeeringConnectionId": "pcx-1"}]}
                ]}
                """);
        file("nat.json", """
                {"NatGateways": [{"NatGatewayId": "nat-1", "SubnetId": "subnet-1", "VpcId": "vpc-1", "State": "deleted"},
                                 {"NatGatewayId": "nat-2", "SubnetId": "subnet-1", "VpcId": "vpc-1", "State": "available",
                                  "ConnectivityType": "private"}]}
                """);

        AwsFiles files = reader.read(dir);

        assertThat(files.available()).containsExactlyInAnyOrder(Input.SUBNETS, Input.ROUTE_TABLES, Input.NAT_GATEWAYS);
        var state = files.state();
        var s1 = state.subnet("subnet-1").orElseThrow();
        assertThat(s1.mapPublicIpOnLaunch()).isTrue();
        assertThat(s1.availabilityZone()).isEqualTo("eu-west-1a");
        assertThat(s1.tags()).containsEntry("Name", "public-a");
        var s2 = state.subnet("subnet-2").orElseThrow();
        assertThat(s2.mapPublicIpOnLaunch()).isFalse();
        assertThat(state.routeTableFor(s1)).get().extracting(RouteTable::routeTableId).isEqualTo("rtb-main");
        RouteTable priv = state.routeTableFor(s2).orElseThrow();
        assertThat(priv.routeTableId()).isEqualTo("rtb-priv");
        assertThat(priv.isAssociatedWith("subnet-old")).isFalse();
        assertThat(priv.routes()).containsExactly(
                new RouteTable.Route("0.0.0.0/0", "nat-1", "blackhole"),
                new RouteTable.Route("10.1.0.0/16", "i-nat", "active"),
                new RouteTable.Route("pl-6da54004", "vpce-1", "active"),
                new RouteTable.Route("10.2.0.0/16", "tgw-1", "active"),
                new RouteTable.Route("10.3.0.0/16", "pcx-1", "active"));
        assertThat(state.routeTables().get(0).routes()).containsExactly(
                new RouteTable.Route("10.0.0.0/16", "local", "active"),
                new RouteTable.Route("0.0.0.0/0", "igw-1", "active"),
                new RouteTable.Route("::/0", "eigw-1", "active"));
        assertThat(state.natGateways()).extracting(n -> n.natGatewayId() + ":" + n.state() + ":" + n.connectivityType())
                .containsExactly("nat-1:deleted:public", "nat-2:available:private");
    }

    @Test
    void read_should_map_security_group_rules() throws IOException {
        file("sg.json", """
                {"SecurityGroups": [{"GroupId": "sg-1", "GroupName": "nodes", "VpcId": "vpc-1", "Description": "d",
                  "IpPermissions": [
                    {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "ssh"}],
                     "Ipv6Ranges": [{"CidrIpv6": "::/0"}], "PrefixListIds": [], "UserIdGroupPairs": []},
                    {"IpProtocol": "-1", "IpRanges": [], "Ipv6Ranges": [], "PrefixListIds": [],
                     "UserIdGroupPairs": [{"GroupId": "sg-1", "UserId": "111122223333"}]}],
                  "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}]}
                """);

        AwsFiles files = reader.read(dir);

        SecurityGroup sg = files.state().securityGroup("sg-1").orElseThrow();
        assertThat(sg.groupName()).isEqualTo("nodes");
        assertThat(sg.ingress()).containsExactly(
                new SecurityGroup.IpPermission("tcp", Optional.of(22), Optional.of(22), List.of("0.0.0.0/0"),
                        List.of("::/0"), List.of()),
                new SecurityGroup.IpPermission("-1", Optional.empty(), Optional.empty(), List.of(), List.of(),
                        List.of("sg-1")));
    }

    @Test
    void read_should_map_launch_template_versions_and_ecr() throws IOException {
        file("lt.json", """
                {"LaunchTemplateVersions": [
                    {"LaunchTemplateId": "lt-1", "LaunchTemplateName": "batch", "VersionNumber": 2, "DefaultVersion": false,
                     "LaunchTemplateData": {"MetadataOptions": {"HttpTokens": "required", "HttpPutResponseHopLimit": 1}}},
                    {"LaunchTemplateId": "lt-1", "LaunchTemplateName": "batch", "VersionNumber": 1, "DefaultVersion": true,
                     "LaunchTemplateData": {"ImageId": "ami-1"}}]}
                """);
        file("ecr.json", """
                {"repositories": [
                    {"repositoryArn": "arn:aws:ecr:eu-west-1:111122223333:repository/shop/payments-api",
                     "registryId": "111122223333", "repositoryName": "shop/payments-api",
                     "repositoryUri": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/payments-api",
                     "imageScanningConfiguration": {"scanOnPush": true}},
                    {"registryId": "111122223333", "repositoryName": "shop/legacy"}]}
                """);
        file("scanning.json", """
                {"registryId": "111122223333", "scanningConfiguration": {"scanType": "ENHANCED", "rules": [
                    {"scanFrequency": "CONTINUOUS_SCAN", "repositoryFilters": [{"filter": "shop/*", "filterType": "WILDCARD"}]}]}}
                """);

        AwsFiles files = reader.read(dir);

        assertThat(files.available()).containsExactlyInAnyOrder(Input.LAUNCH_TEMPLATES, Input.ECR_REPOSITORIES);
        var versions = files.state().launchTemplateVersions();
        assertThat(versions).hasSize(2);
        assertThat(versions.get(0).metadataOptions()).contains(MetadataOptions.of("required", 1, null));
        assertThat(versions.get(1).defaultVersion()).isTrue();
        assertThat(versions.get(1).metadataOptions()).isEmpty();
        var repos = files.state().ecrRepositories();
        assertThat(repos).extracting(r -> r.repositoryName() + ":" + r.scanOnPush())
                .containsExactly("shop/payments-api:true", "shop/legacy:false");
        var scanning = files.state().registryScanning().orElseThrow();
        assertThat(scanning.scanType()).isEqualTo("ENHANCED");
        assertThat(scanning.covers("shop/legacy")).isTrue();
        assertThat(scanning.covers("other/app")).isFalse();
    }

    @Test
    void read_should_make_scanning_configuration_alone_an_ecr_input() throws IOException {
        file("scan.json", """
                {"registryId": "111122223333", "scanningConfiguration": {"scanType": "BASIC", "rules": [
                    {"scanFrequency": "MANUAL", "repositoryFilters": [{"filter": "*", "filterType": "WILDCARD"}]}]}}
                """);

        AwsFiles files = reader.read(dir);

        assertThat(files.available()).containsExactly(Input.ECR_REPOSITORIES);
        assertThat(files.state().registryScanning().orElseThrow().covers("anything"))
                .as("MANUAL rules do not scan").isFalse();
    }

    @Test
    void read_should_only_read_json_files_of_the_folder_itself() throws IOException {
        file("c.json", CLUSTER);
        file("notes.txt", "not json");
        Files.createDirectories(dir.resolve("nested"));
        Files.writeString(dir.resolve("nested/bad.json"), "{ broken");

        AwsFiles files = reader.read(dir);

        assertThat(files.available()).isEqualTo(Set.of(Input.EKS_CLUSTER));
    }

    // --- errors -------------------------------------------------------------------------------

    @Test
    void read_should_reject_an_empty_folder() {
        assertThatThrownBy(() -> reader.read(dir)).isInstanceOf(BadInputException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("no AWS CLI JSON outputs (*.json)");
    }

    @Test
    void read_should_reject_a_missing_folder() {
        assertThatThrownBy(() -> reader.read(dir.resolve("nope"))).isInstanceOf(BadInputException.class)
                .hasMessageContaining("nope").hasMessageContaining("not a folder");
    }

    @Test
    void read_should_name_file_line_and_column_of_truncated_json() throws IOException {
        file("cluster.json", "{\n  \"cluster\": {\n    \"name\": \"shop-dev\",\n");

        assertThatThrownBy(() -> reader.read(dir)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("cluster.json").hasMessageContaining("not valid JSON")
                .hasMessageMatching("(?s).*at line \\d+, column \\d+.*");
    }

    @Test
    void read_should_name_the_file_of_invalid_json() throws IOException {
        file("a.json", CLUSTER);
        file("b.json", "{\"Subnets\": [ {\"SubnetId\": 'x'} ]}");

        assertThatThrownBy(() -> reader.read(dir)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("b.json").hasMessageContaining("at line 1, column");
    }

    @Test
    void read_should_reject_two_outputs_appended_to_one_file() throws IOException {
        file("appended.json", "{\"Subnets\": []}\n{\"RouteTables\": []}\n");

        assertThatThrownBy(() -> reader.read(dir)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("appended.json").hasMessageContaining("more than one JSON value")
                .hasMessageContaining("at line 2, column 1");
    }

    @Test
    void read_should_reject_an_empty_file() throws IOException {
        file("empty.json", "  \n");

        assertThatThrownBy(() -> reader.read(dir)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("empty.json").hasMessageContaining("empty");
    }

    @Test
    void read_should_list_the_recognised_keys_for_an_unknown_output() throws IOException {
        file("vpcs.json", "{\"Vpcs\": [{\"VpcId\": \"vpc-1\"}]}");

        assertThatThrownBy(() -> reader.read(dir)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("vpcs.json").hasMessageContaining("[Vpcs]")
                .hasMessageContaining("\"cluster\" (aws eks describe-cluster)")
                .hasMessageContaining("\"Reservations\" (aws ec2 describe-instances)")
                .hasMessageContaining("\"scanningConfiguration\"");
    }

    @Test
    void read_should_reject_an_empty_object() throws IOException {
        file("x.json", "{}");

        assertThatThrownBy(() -> reader.read(dir)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("x.json").hasMessageContaining("top-level keys none");
    }

    @Test
    void read_should_reject_a_top_level_that_is_not_an_object() throws IOException {
        file("list.json", "[{\"cluster\": {\"name\": \"a\"}}]");

        assertThatThrownBy(() -> reader.read(dir)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("list.json").hasMessageContaining("top level must be a JSON object")
                .hasMessageContaining("found a list");
    }

    @Test
    void read_should_reject_a_file_with_two_outputs() throws IOException {
        file("both.json", "{\"Subnets\": [], \"RouteTables\": []}");

        assertThatThrownBy(() -> reader.read(dir)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("both.json").hasMessageContaining("one AWS CLI output per file");
    }

    @Test
    void read_should_name_the_json_path_of_a_field_with_the_wrong_type() throws IOException {
        file("cluster.json", """
                {"cluster": {"name": "x", "resourcesVpcConfig": {"publicAccessCidrs": "0.0.0.0/0"}}}
                """);

        assertThatThrownBy(() -> reader.read(dir)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("cluster.json")
                .hasMessageContaining("cluster.resourcesVpcConfig.publicAccessCidrs must be a list of strings")
                .hasMessageContaining("found a string (\"0.0.0.0/0\")");
    }

    @Test
    void read_should_name_the_index_of_a_wrong_list_item() throws IOException {
        file("instances.json", """
                {"Reservations": [{"Instances": [{"InstanceId": "i-1", "MetadataOptions": {"HttpPutResponseHopLimit": "2"}}]}]}
                """);

        assertThatThrownBy(() -> reader.read(dir)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("Reservations[0].Instances[0].MetadataOptions.HttpPutResponseHopLimit must be a whole number");
    }

    @Test
    void read_should_reject_a_boolean_given_as_text() throws IOException {
        file("subnets.json", "{\"Subnets\": [{\"SubnetId\": \"subnet-1\", \"MapPublicIpOnLaunch\": \"false\"}]}");

        assertThatThrownBy(() -> reader.read(dir)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("Subnets[0].MapPublicIpOnLaunch must be true or false");
    }

    @Test
    void read_should_reject_a_list_field_that_is_an_object() throws IOException {
        file("ng.json", "{\"nodegroup\": {\"nodegroupName\": \"a\", \"subnets\": {\"id\": \"subnet-1\"}}}");

        assertThatThrownBy(() -> reader.read(dir)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("nodegroup.subnets must be a list of strings, found an object");
    }

    @Test
    void read_should_reject_a_missing_required_field() throws IOException {
        file("sg.json", "{\"SecurityGroups\": [{\"GroupName\": \"nodes\"}]}");

        assertThatThrownBy(() -> reader.read(dir)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("sg.json").hasMessageContaining("SecurityGroups[0].GroupId is missing");
    }

    @Test
    void read_should_reject_outputs_of_two_different_clusters() throws IOException {
        file("a.json", CLUSTER);
        file("b.json", "{\"cluster\": {\"name\": \"other\"}}");

        assertThatThrownBy(() -> reader.read(dir)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("'other'").hasMessageContaining("'shop-dev'")
                .hasMessageContaining("one cluster");
    }

    @Test
    void read_should_reject_a_malformed_cluster_arn() throws IOException {
        file("c.json", "{\"cluster\": {\"name\": \"x\", \"arn\": \"arn:aws:ec2:eu-west-1:1:instance/i-1\"}}");

        assertThatThrownBy(() -> reader.read(dir)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("c.json").hasMessageContaining("cluster.arn");
    }

    @Test
    void read_should_reject_a_non_object_where_an_object_is_needed() throws IOException {
        file("c.json", "{\"cluster\": [\"shop-dev\"]}");

        assertThatThrownBy(() -> reader.read(dir)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("c.json").hasMessageContaining("cluster must be an object, found a list");
    }

    // --- the shipped examples ------------------------------------------------------------------

    @Test
    void read_should_accept_the_example_folders() {
        for (String example : List.of("insecure-cluster", "hardened-cluster")) {
            Path folder = Path.of("..", "examples", example, "aws");
            AwsFiles files = reader.read(folder);
            assertThat(files.available()).as(example).containsExactlyInAnyOrder(Input.EKS_CLUSTER, Input.NODEGROUPS,
                    Input.ACCESS_ENTRIES, Input.INSTANCES, Input.SUBNETS, Input.ROUTE_TABLES, Input.NAT_GATEWAYS,
                    Input.SECURITY_GROUPS, Input.LAUNCH_TEMPLATES, Input.ECR_REPOSITORIES);
            assertThat(files.state().instances()).as(example).hasSize(3);
            assertThat(files.cluster()).as(example).get().satisfies(id -> {
                assertThat(id.account()).isEqualTo("111122223333");
                assertThat(id.region()).isEqualTo("eu-west-1");
            });
        }
    }
}
