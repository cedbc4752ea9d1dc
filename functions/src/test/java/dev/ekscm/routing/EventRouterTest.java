package dev.ekscm.routing;

import dev.ekscm.model.ClusterId;
import dev.ekscm.model.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventRouterTest {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private final InMemoryResourceLookup lookup = new InMemoryResourceLookup();

    private static ObjectNode sample(String name) {
        try {
            Path root = Path.of(System.getProperty("ekscm.root", ".."));
            return (ObjectNode) MAPPER.readTree(Files.readString(root.resolve("events").resolve(name)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private RoutingDecision route(JsonNode event, MonitorRoles roles) {
        return new EventRouter(RoutingTable.builtIn(), lookup, roles).route(event);
    }

    private RoutingDecision route(JsonNode event) {
        return route(event, MonitorRoles.none());
    }

    private static List<ClusterId> clusters(RoutingDecision d) {
        assertThat(d).isInstanceOf(RoutingDecision.Recheck.class);
        return ((RoutingDecision.Recheck) d).requests().stream().map(RecheckRequest::cluster).toList();
    }

    private static IgnoreReason reason(RoutingDecision d) {
        assertThat(d).isInstanceOf(RoutingDecision.Ignored.class);
        return ((RoutingDecision.Ignored) d).reason();
    }

    private static ObjectNode detail(ObjectNode event) {
        return (ObjectNode) event.get("detail");
    }

    @Test
    void route_should_ignore_a_failed_call_before_looking_anything_up() {
        var event = sample("ec2-ModifyInstanceMetadataOptions.json");
        detail(event).put("errorCode", "Client.UnauthorizedOperation");
        assertThat(reason(route(event))).isEqualTo(IgnoreReason.FAILED_CALL);
        assertThat(lookup.calls()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"DescribeCluster", "ListNodegroups", "GetLaunchTemplateData"})
    void route_should_ignore_read_only_calls_by_name_even_without_the_flag(String name) {
        var event = sample("eks-UpdateClusterConfig.json");
        detail(event).put("eventName", name).remove("readOnly");
        assertThat(reason(route(event))).isEqualTo(IgnoreReason.READ_ONLY);
    }

    @Test
    void route_should_ignore_a_call_flagged_read_only() {
        var event = sample("eks-UpdateClusterConfig.json");
        detail(event).put("readOnly", true);
        assertThat(reason(route(event))).isEqualTo(IgnoreReason.READ_ONLY);
    }

    @Test
    void loop_guard_should_match_a_role_with_a_path_by_its_session_issuer() {
        var event = sample("ec2-ModifyInstanceMetadataOptions.json");
        var roles = new MonitorRoles(Set.of("arn:aws:iam::111122223333:role/platform/PlatformEngineer"), Optional.empty());
        assertThat(reason(route(event, roles))).isEqualTo(IgnoreReason.MONITOR_ROLE);
        assertThat(lookup.calls()).isZero();
    }

    @Test
    void loop_guard_should_match_the_assumed_role_arn_without_a_session_issuer() {
        var event = sample("eks-UpdateClusterConfig.json");
        var who = (ObjectNode) detail(event).get("userIdentity");
        who.remove("sessionContext");
        who.put("arn", "arn:aws:sts::111122223333:assumed-role/PlatformEngineer/alice");
        var roles = MonitorRoles.parse("arn:aws:iam::111122223333:role/platform/PlatformEngineer", Optional.empty());
        assertThat(reason(route(event, roles))).isEqualTo(IgnoreReason.MONITOR_ROLE);
    }

    @Test
    void loop_guard_should_not_match_the_same_role_name_in_another_account() {
        var event = sample("eks-UpdateClusterConfig.json");
        var roles = MonitorRoles.parse("arn:aws:iam::999988887777:role/PlatformEngineer", Optional.empty());
        assertThat(clusters(route(event, roles))).hasSize(1);
    }

    @Test
    void loop_guard_should_match_the_member_role_in_any_account() {
        var event = sample("eks-UpdateClusterConfig.json");
        var roles = MonitorRoles.parse("", Optional.of("PlatformEngineer"));
        assertThat(reason(route(event, roles))).isEqualTo(IgnoreReason.MONITOR_ROLE);
    }

    @Test
    void monitor_role_arns_should_reject_something_that_is_not_a_role_arn() {
        assertThatThrownBy(() -> MonitorRoles.parse("arn:aws:iam::111122223333:user/bob", Optional.empty()))
                .hasMessageContaining("MONITOR_ROLE_ARNS").hasMessageContaining("not an IAM role ARN");
    }

    @Test
    void route_should_ignore_an_unknown_event_name() {
        var event = sample("eks-UpdateClusterConfig.json");
        detail(event).put("eventName", "DeleteCluster");
        assertThat(reason(route(event))).isEqualTo(IgnoreReason.UNKNOWN_EVENT);
    }

    @Test
    void tag_resource_should_take_the_cluster_from_a_nodegroup_arn() {
        var event = sample("eks-TagResource.json");
        ((ObjectNode) detail(event).get("requestParameters")).put("resourceArn",
                "arn:aws:eks:eu-west-1:111122223333:nodegroup/shop-dev/general/8ac9e2b4-1f3d-5e6a-7b8c-9d0e1f2a3b4c");
        assertThat(clusters(route(event))).containsExactly(new ClusterId("111122223333", "eu-west-1", "shop-dev"));
    }

    @Test
    void create_cluster_should_accept_the_2018_clusterName_parameter_and_recheck_everything() {
        var event = sample("eks-CreateCluster.json");
        var params = (ObjectNode) detail(event).get("requestParameters");
        params.put("clusterName", params.get("name").asString());
        params.remove("name");
        var decision = (RoutingDecision.Recheck) route(event);
        assertThat(decision.requests()).singleElement().satisfies(r -> {
            assertThat(r.cluster().name()).isEqualTo("shop-prod");
            assertThat(r.scopes()).isEqualTo(Scope.all());
            assertThat(r.isFull()).isTrue();
        });
    }

    @Test
    void run_instances_should_take_the_name_from_a_kubernetes_io_cluster_tag_key() {
        var event = sample("ec2-RunInstances.json");
        var tags = MAPPER.createArrayNode();
        tags.addObject().put("key", "kubernetes.io/cluster/self-managed-1").put("value", "owned");
        ((ObjectNode) detail(event).at("/requestParameters/tagSpecificationSet/items/0")).set("tags", tags);
        ((ObjectNode) detail(event).at("/responseElements/instancesSet/items/0")).remove("tagSet");
        assertThat(clusters(route(event))).extracting(ClusterId::name).containsExactly("self-managed-1");
    }

    @Test
    void launch_template_should_fall_back_to_the_cluster_tags_in_its_data_when_no_nodegroup_uses_it() {
        var event = sample("ec2-CreateLaunchTemplateVersion.json");
        var spec = ((ObjectNode) detail(event).at("/requestParameters/CreateLaunchTemplateVersionRequest/LaunchTemplateData"))
                .putObject("TagSpecification");
        spec.put("ResourceType", "instance");
        spec.putObject("Tag").put("Key", "eks:cluster-name").put("Value", "batch-cluster");
        var decision = route(event);
        assertThat(clusters(decision)).extracting(ClusterId::name).containsExactly("batch-cluster");
        assertThat(lookup.calls()).isEqualTo(1);
    }

    @Test
    void security_group_used_by_two_clusters_should_recheck_both() {
        lookup.with("sg-0b7d2e4f6a8c1e359", "shop-prod", "shop-dev");
        assertThat(clusters(route(sample("ec2-AuthorizeSecurityGroupIngress.json")))).extracting(ClusterId::name)
                .containsExactlyInAnyOrder("shop-prod", "shop-dev");
    }

    @Test
    void a_subnet_of_no_cluster_should_be_an_unknown_cluster() {
        assertThat(reason(route(sample("ec2-ModifySubnetAttribute.json")))).isEqualTo(IgnoreReason.UNKNOWN_CLUSTER);
    }

    @Test
    void associate_route_table_without_a_subnet_should_resolve_through_the_route_table() {
        lookup.with("rtb-0d2f4a6c8e1b3579d", "shop-prod");
        var event = sample("ec2-AssociateRouteTable.json");
        ((ObjectNode) detail(event).get("requestParameters")).remove("subnetId");
        ((ObjectNode) detail(event).get("requestParameters")).put("gatewayId", "igw-0e1f2a3b4c5d69780");
        assertThat(clusters(route(event))).extracting(ClusterId::name).containsExactly("shop-prod");
    }

    @Test
    void a_lookup_answering_a_hostile_name_should_be_rejected_not_enqueued() {
        lookup.with("i-0c5f3a9e1b2d4f687", "prod\"; DROP");
        assertThatThrownBy(() -> route(sample("ec2-ModifyInstanceMetadataOptions.json")))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("EKS name pattern");
    }

    @Test
    void an_event_naming_too_many_clusters_should_be_refused() {
        var event = sample("ec2-RunInstances.json");
        var tags = MAPPER.createArrayNode();
        for (int i = 0; i < EventRouter.MAX_CLUSTERS_PER_EVENT + 1; i++) {
            tags.addObject().put("key", "kubernetes.io/cluster/c" + i).put("value", "shared");
        }
        ((ObjectNode) detail(event).at("/requestParameters/tagSpecificationSet/items/0")).set("tags", tags);
        assertThatThrownBy(() -> route(event)).isInstanceOf(MalformedEventException.class).hasMessageContaining("fan out");
    }

    @Test
    void dedup_id_should_be_equal_within_a_bucket_and_differ_across_buckets_and_scopes() {
        var id = new ClusterId("111122223333", "eu-west-1", "shop-prod");
        var a = new RecheckRequest(id, Set.of(Scope.NODES), "t", "e1", java.time.Instant.parse("2025-06-08T03:14:01Z"));
        var b = new RecheckRequest(id, Set.of(Scope.NODES), "t2", "e2", java.time.Instant.parse("2025-06-08T03:14:59Z"));
        var c = new RecheckRequest(id, Set.of(Scope.NODES), "t", "e3", java.time.Instant.parse("2025-06-08T03:15:00Z"));
        var d = new RecheckRequest(id, Set.of(Scope.NODES, Scope.ACCESS), "t", "e4", java.time.Instant.parse("2025-06-08T03:14:01Z"));
        var window = java.time.Duration.ofSeconds(60);
        assertThat(a.deduplicationId(window)).isEqualTo(b.deduplicationId(window)).hasSize(64);
        assertThat(a.deduplicationId(window)).isNotEqualTo(c.deduplicationId(window)).isNotEqualTo(d.deduplicationId(window));
        assertThat(a.messageGroupId()).isEqualTo("111122223333#eu-west-1#shop-prod");
    }
}
