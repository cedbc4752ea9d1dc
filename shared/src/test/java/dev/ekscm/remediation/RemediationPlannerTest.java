package dev.ekscm.remediation;

import dev.ekscm.model.CheckResult;
import dev.ekscm.model.ClusterSnapshot;
import dev.ekscm.model.Input;
import dev.ekscm.model.ResourceRef;
import dev.ekscm.model.Severity;
import dev.ekscm.model.Status;
import dev.ekscm.model.aws.AwsClusterState;
import dev.ekscm.model.aws.LaunchTemplateRef;
import dev.ekscm.model.aws.LaunchTemplateVersion;
import dev.ekscm.model.aws.MetadataOptions;
import dev.ekscm.model.aws.Nodegroup;
import dev.ekscm.remediation.PlannedAction.ApplyObject;
import dev.ekscm.remediation.PlannedAction.Manual;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.ekscm.remediation.TestCluster.CONFIG;
import static org.assertj.core.api.Assertions.assertThat;

class RemediationPlannerTest {
    private static final RemediationPolicy NOT_OPTED_IN = RemediationPolicy.notOptedIn(true);

    private static RemediationPlan plan(ClusterSnapshot snapshot, PolicyBackend backend) {
        return new RemediationPlanner(CONFIG).plan(snapshot, NOT_OPTED_IN,
                RemediationPlanner.targetResults(snapshot, CONFIG), backend);
    }

    private static List<String> objectTargets(RemediationPlan plan) {
        return plan.objects().stream().map(ApplyObject::target).toList();
    }

    @Test
    void plan_should_add_a_policy_only_where_no_policy_isolates_pods_for_egress() {
        // GIVEN shop (no policies), payments (one egress policy for some pods), web (ingress-only policy)
        var snapshot = TestCluster.shopDev()
                .deployment("shop", "cart").deployment("shop", "checkout")
                .deployment("payments", "api").deployment("payments", "worker")
                .policy(TestCluster.egressPolicy("payments", "api-dns-only", Map.of("app", "api")))
                .deployment("web", "frontend").policy(TestCluster.ingressOnlyPolicy("web", "deny-ingress"))
                .deployment("kube-system", "metrics")
                .snapshot();

        RemediationPlan plan = plan(snapshot, PolicyBackend.KUBERNETES);

        // THEN shop and web get ours; payments is manual, naming the policy; kube-system is untouched
        assertThat(objectTargets(plan)).containsExactly(
                "NetworkPolicy/shop/ekscm-block-instance-metadata", "NetworkPolicy/web/ekscm-block-instance-metadata");
        ApplyObject shop = plan.objects().get(0);
        assertThat(shop.findingKeys()).containsExactly(
                "pods-cannot-reach-instance-metadata#Deployment/shop/cart",
                "pods-cannot-reach-instance-metadata#Deployment/shop/checkout");
        Manual payments = plan.manual().stream().filter(m -> m.target().contains("/payments/")).findFirst().orElseThrow();
        assertThat(payments.reason()).contains("payments/api-dns-only").contains("widen");
        assertThat(payments.findingKeys()).containsExactly("pods-cannot-reach-instance-metadata#Deployment/payments/worker");
        assertThat(plan.actions()).noneMatch(a -> a.target().contains("kube-system"));
    }

    @Test
    void plan_should_describe_the_policy_that_allows_everything_but_the_metadata_addresses() {
        var plan = plan(TestCluster.shopDev().deployment("shop", "cart").snapshot(), PolicyBackend.KUBERNETES);

        JsonNode np = ManagedObjects.tree(plan.objects().get(0).object());
        assertThat(np.at("/metadata/labels/app.kubernetes.io~1managed-by").asString()).isEqualTo("ekscm");
        assertThat(np.at("/metadata/annotations/ekscm.dev~1finding").asString())
                .isEqualTo("pods-cannot-reach-instance-metadata#Deployment/shop/cart");
        assertThat(np.at("/spec/podSelector").isEmpty()).isTrue();
        assertThat(np.at("/spec/policyTypes/0").asString()).isEqualTo("Egress");
        assertThat(np.at("/spec/egress/0/to/0/ipBlock/cidr").asString()).isEqualTo("0.0.0.0/0");
        assertThat(np.at("/spec/egress/0/to/0/ipBlock/except/0").asString()).isEqualTo("169.254.169.254/32");
        assertThat(np.at("/spec/egress/0/to/1/ipBlock/cidr").asString()).isEqualTo("::/0");
        assertThat(np.at("/spec/egress/0/to/1/ipBlock/except/0").asString()).isEqualTo("fd00:ec2::254/128");
        assertThat(np.at("/spec/egress/0/ports").isMissingNode()).isTrue();
        assertThat(np.at("/spec/egress/1/to/0/namespaceSelector").isEmpty()).isTrue();
    }

    @Test
    void plan_should_never_touch_excluded_namespaces() {
        var snapshot = TestCluster.shopDev().deployment("legacy", "batch").deployment("shop", "cart").snapshot();

        var plan = new RemediationPlanner(CONFIG.withExcludedNamespaces(java.util.Set.of("legacy")))
                .plan(snapshot, NOT_OPTED_IN, RemediationPlanner.targetResults(snapshot, CONFIG), PolicyBackend.KUBERNETES);

        assertThat(objectTargets(plan)).containsExactly("NetworkPolicy/shop/ekscm-block-instance-metadata");
        assertThat(plan.actions()).noneMatch(a -> a.target().contains("legacy"));
    }

    @Test
    void plan_should_report_host_network_workloads_and_not_claim_them_fixed() {
        var snapshot = TestCluster.shopDev().deployment("shop", "cart").hostNetworkDeployment("shop", "node-agent")
                .snapshot();

        var plan = plan(snapshot, PolicyBackend.KUBERNETES);

        assertThat(plan.objects()).singleElement().satisfies(o -> assertThat(o.findingKeys())
                .containsExactly("pods-cannot-reach-instance-metadata#Deployment/shop/cart"));
        assertThat(plan.manual()).singleElement().satisfies(m -> {
            assertThat(m.target()).isEqualTo("Deployment/shop/node-agent");
            assertThat(m.reason()).contains("host network");
            assertThat(m.findingKeys()).containsExactly("pods-cannot-reach-instance-metadata#Deployment/shop/node-agent");
        });
    }

    @Test
    void plan_should_leave_a_namespace_with_an_exempt_workload_to_a_person() {
        var snapshot = TestCluster.shopDev().deployment("shop", "cart").exemptDeployment("shop", "region-reader")
                .snapshot();

        var plan = plan(snapshot, PolicyBackend.KUBERNETES);

        assertThat(plan.objects()).isEmpty();
        assertThat(plan.manual()).singleElement().satisfies(m ->
                assertThat(m.reason()).contains("Deployment/shop/region-reader").contains("exempt"));
    }

    @Test
    void plan_should_leave_alone_a_policy_with_our_name_that_is_not_ours() {
        var squatter = TestCluster.ingressOnlyPolicy("shop", ImdsPolicyObjects.NETWORK_POLICY_NAME);
        var plan = plan(TestCluster.shopDev().deployment("shop", "cart").policy(squatter).snapshot(),
                PolicyBackend.KUBERNETES);

        assertThat(plan.objects()).isEmpty();
        assertThat(plan.manual()).singleElement().satisfies(m -> assertThat(m.reason()).contains("not the monitor's"));
    }

    @Test
    void plan_should_report_that_our_earlier_policy_now_widens_when_an_egress_policy_appeared() {
        var ours = ManagedObjects.convert(ImdsPolicyObjects.networkPolicy("shop", List.of()),
                io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class);
        var snapshot = TestCluster.shopDev().deployment("shop", "cart").policy(ours)
                .policy(TestCluster.egressPolicy("shop", "cart-dns-only", Map.of("app", "cart"))).snapshot();

        var plan = plan(snapshot, PolicyBackend.KUBERNETES);

        assertThat(plan.objects()).isEmpty();
        assertThat(plan.manual()).singleElement().satisfies(m -> {
            assertThat(m.reason()).contains("shop/cart-dns-only").contains("applied earlier");
            assertThat(m.instruction()).hasValueSatisfying(i -> assertThat(i).contains("ekscm remediation undo"));
        });
    }

    @Test
    void plan_should_plan_nothing_without_network_policy_data() {
        var snapshot = new ClusterSnapshot(TestCluster.SHOP_DEV, java.util.EnumSet.of(Input.K8S_WORKLOADS),
                AwsClusterState.empty(), TestCluster.shopDev().deployment("shop", "cart").snapshot().kubernetes(),
                List.of(), Map.of());

        var plan = new RemediationPlanner(CONFIG).plan(snapshot, NOT_OPTED_IN, List.of(), PolicyBackend.KUBERNETES);

        assertThat(plan.actions()).isEmpty();
        assertThat(plan.notes()).anyMatch(n -> n.contains("NetworkPolicies were not collected"));
    }

    @Test
    void plan_should_use_one_tiered_global_policy_with_calico_leaving_out_system_excluded_and_exempt_namespaces() {
        var snapshot = TestCluster.shopDev().deployment("shop", "cart").deployment("payments", "api")
                .deployment("payments", "worker")
                .exemptDeployment("tools", "region-reader").deployment("tools", "cli")
                .policy(TestCluster.egressPolicy("payments", "api-dns-only", Map.of("app", "api")))
                .snapshot();

        var plan = new RemediationPlanner(CONFIG.withExcludedNamespaces(java.util.Set.of("legacy")))
                .plan(snapshot, NOT_OPTED_IN, RemediationPlanner.targetResults(snapshot, CONFIG), PolicyBackend.CALICO_API);

        assertThat(objectTargets(plan)).containsExactly("Tier/ekscm-security",
                "GlobalNetworkPolicy/ekscm-security.block-instance-metadata");
        JsonNode tier = ManagedObjects.tree(plan.objects().get(0).object());
        assertThat(tier.at("/apiVersion").asString()).isEqualTo("projectcalico.org/v3");
        assertThat(tier.at("/spec/order").asInt()).isEqualTo(100);
        assertThat(tier.at("/spec/defaultAction").asString()).isEqualTo("Pass");
        JsonNode gnp = ManagedObjects.tree(plan.objects().get(1).object());
        assertThat(gnp.at("/spec/tier").asString()).isEqualTo("ekscm-security");
        assertThat(gnp.at("/spec/selector").asString()).isEqualTo("all()");
        assertThat(gnp.at("/spec/namespaceSelector").asString()).isEqualTo(
                "projectcalico.org/name not in {'kube-node-lease', 'kube-public', 'kube-system', 'legacy', 'tools'}");
        assertThat(gnp.at("/spec/types/0").asString()).isEqualTo("Egress");
        assertThat(gnp.at("/spec/egress/0/action").asString()).isEqualTo("Deny");
        assertThat(gnp.at("/spec/egress/0/destination/nets/0").asString()).isEqualTo("169.254.169.254/32");
        assertThat(gnp.at("/spec/egress/1/destination/nets/0").asString()).isEqualTo("fd00:ec2::254/128");
        assertThat(gnp.at("/spec/egress/2/action").asString()).isEqualTo("Pass");
        // with Calico, an egress NetworkPolicy (default tier) does not matter to the tiered deny: payments is covered
        assertThat(plan.objects().get(1).findingKeys()).containsExactlyInAnyOrder(
                "pods-cannot-reach-instance-metadata#Deployment/shop/cart",
                "pods-cannot-reach-instance-metadata#Deployment/payments/worker");
        assertThat(plan.manual()).singleElement().satisfies(m -> {
            assertThat(m.target()).isEqualTo("Namespace/tools");
            assertThat(m.findingKeys()).containsExactly("pods-cannot-reach-instance-metadata#Deployment/tools/cli");
        });
    }

    @Test
    void tier_order_should_come_ahead_of_every_other_tier() {
        GenericKubernetesResource platform = new GenericKubernetesResourceBuilder().withApiVersion("projectcalico.org/v3")
                .withKind("Tier").withNewMetadata().withName("platform").endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("order", 50))).build();
        GenericKubernetesResource late = new GenericKubernetesResourceBuilder().withApiVersion("projectcalico.org/v3")
                .withKind("Tier").withNewMetadata().withName("late").endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("order", 500))).build();
        var notes = new ArrayList<String>();

        assertThat(RemediationPlanner.tierOrder(List.of(late), notes)).isEqualTo(100);
        assertThat(RemediationPlanner.tierOrder(List.of(platform, late), notes)).isEqualTo(25);
        assertThat(notes).isEmpty();
    }

    @Test
    void plan_should_change_only_the_clusters_own_noncompliant_instances() {
        var snapshot = TestCluster.shopDev()
                .instance("i-open", "shop-dev", MetadataOptions.of("optional", 2, "enabled"))
                .instance("i-hop2", "shop-dev", MetadataOptions.of("required", 2, "enabled"))
                .instance("i-fine", "shop-dev", MetadataOptions.of("required", 1, "enabled"))
                .instance("i-off", "shop-dev", MetadataOptions.of("optional", 2, "disabled"))
                .instance("i-other", "shop-prod", MetadataOptions.of("optional", 2, "enabled"))
                .instance("i-untagged", null, MetadataOptions.of("optional", 2, "enabled"))
                .snapshot();

        var plan = new RemediationPlanner(CONFIG).plan(snapshot, NOT_OPTED_IN, List.of(), PolicyBackend.KUBERNETES);

        assertThat(plan.instanceChanges()).extracting(PlannedAction::target)
                .containsExactly("Instance/i-open", "Instance/i-hop2");
        assertThat(plan.instanceChanges().get(0).findingKeys()).containsExactly("node-imds-v2-hop-limit#Instance/i-open");
        assertThat(plan.instanceChanges().get(0).after()).isEqualTo(MetadataOptions.of("required", 1, "enabled"));
        assertThat(plan.notes()).anyMatch(n -> n.contains("i-other") && n.contains("left alone"))
                .anyMatch(n -> n.contains("i-untagged") && n.contains("left alone"));
    }

    @Test
    void plan_should_report_launch_templates_with_the_exact_change_and_never_change_them() {
        var base = TestCluster.shopDev().instance("i-fine", "shop-dev", MetadataOptions.of("required", 1, "enabled"))
                .snapshot();
        var aws = new AwsClusterState(Optional.empty(),
                List.of(new Nodegroup("ng-general", "shop-dev", List.of("subnet-1"),
                        Optional.of(new LaunchTemplateRef(Optional.of("lt-0abc"), Optional.empty(), Optional.of("3"))),
                        Optional.empty(), List.of(), List.of(), List.of(), "ACTIVE", Map.of())),
                List.of(), base.aws().instances(), List.of(), List.of(), List.of(), List.of(),
                List.of(new LaunchTemplateVersion("lt-0abc", "general", 3, true,
                        Optional.of(MetadataOptions.of("optional", 2, "enabled")))),
                List.of(), Optional.empty());
        var snapshot = new ClusterSnapshot(base.cluster(), base.available(), aws, base.kubernetes(), List.of(), Map.of());
        var finding = new CheckResult(RemediationPlanner.HOP_LIMIT_CHECK, ResourceRef.aws("LaunchTemplate", "lt-0abc:3"),
                Status.FAIL, Severity.HIGH, "launch template lt-0abc version 3: HttpTokens=optional", "");

        var plan = new RemediationPlanner(CONFIG).plan(snapshot, NOT_OPTED_IN, List.of(finding), PolicyBackend.KUBERNETES);

        assertThat(plan.instanceChanges()).isEmpty();
        assertThat(plan.manual()).singleElement().satisfies(m -> {
            assertThat(m.target()).isEqualTo("LaunchTemplate/lt-0abc:3");
            assertThat(m.findingKeys()).containsExactly("node-imds-v2-hop-limit#LaunchTemplate/lt-0abc:3");
            assertThat(m.instruction()).hasValue("aws ec2 create-launch-template-version --region us-east-1"
                    + " --launch-template-id lt-0abc --source-version 3 --launch-template-data"
                    + " '{\"MetadataOptions\":{\"HttpTokens\":\"required\",\"HttpPutResponseHopLimit\":1}}'"
                    + ", then aws eks update-nodegroup-version --region us-east-1 --cluster-name shop-dev"
                    + " --nodegroup-name ng-general --launch-template id=lt-0abc,version=<the new version>");
        });
    }

    @Test
    void to_yaml_should_hold_exactly_the_objects_that_would_be_applied_and_say_whether_the_cluster_opted_in() {
        var snapshot = TestCluster.shopDev().deployment("shop", "cart").deployment("web", "frontend")
                .deployment("payments", "api").deployment("payments", "worker")
                .policy(TestCluster.egressPolicy("payments", "dns-only", Map.of("app", "api")))
                .instance("i-open", "shop-dev", MetadataOptions.of("optional", 2, "enabled"))
                .snapshot();
        var plan = plan(snapshot, PolicyBackend.KUBERNETES);

        String yaml = plan.toYaml();

        // THEN the YAML documents are the plan's objects, field for field
        ObjectMapper yamlMapper = YAMLMapper.builder().build();
        var docs = new ArrayList<JsonNode>();
        try (var it = yamlMapper.readValues(yamlMapper.createParser(yaml), JsonNode.class)) {
            it.forEachRemaining(d -> {
                if (d != null && !d.isNull() && !d.isMissingNode() && !d.isEmpty()) {
                    docs.add(d);
                }
            });
        }
        assertThat(docs).containsExactlyElementsOf(
                plan.objects().stream().map(o -> ManagedObjects.tree(o.object())).toList());
        assertThat(yaml).contains("# cluster not opted in (no tag ekscm:auto-remediate)")
                .contains("# EC2 calls (imds-hop-limit): 1")
                .contains("ModifyInstanceMetadataOptions InstanceId=i-open HttpTokens=required HttpPutResponseHopLimit=1"
                        + " HttpEndpoint=enabled")
                .contains("payments/dns-only");
    }
}
