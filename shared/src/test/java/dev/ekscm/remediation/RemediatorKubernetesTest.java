package dev.ekscm.remediation;

import dev.ekscm.checks.CheckCatalog;
import dev.ekscm.checks.CheckConfig;
import dev.ekscm.model.ClusterSnapshot;
import dev.ekscm.model.Input;
import dev.ekscm.model.aws.AwsClusterState;
import dev.ekscm.model.aws.MetadataOptions;
import dev.ekscm.model.k8s.KubernetesStateBuilder;
import dev.ekscm.remediation.RemediationRecord.Outcome;
import dev.ekscm.remediation.RemediationRecord.Verification;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.ekscm.remediation.TestCluster.CONFIG;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The network-policy remediation against fabric8's mock API server in CRUD mode (with the
 * server-side apply shim of {@link ServerSideApplyCrudDispatcher}).
 */
class RemediatorKubernetesTest {
    private static final String NP = ImdsPolicyObjects.NETWORK_POLICY_NAME;
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);

    private ServerSideApplyCrudDispatcher dispatcher;
    private KubernetesMockServer server;
    private KubernetesClient client;
    private final Map<String, String> tags = new HashMap<>();
    private InMemoryRemediationLog log;

    @BeforeEach
    void startServer() {
        dispatcher = new ServerSideApplyCrudDispatcher();
        server = ServerSideApplyCrudDispatcher.start(dispatcher);
        client = server.createClient();
        log = new InMemoryRemediationLog();
    }

    @AfterEach
    void stopServer() {
        client.close();
        server.destroy();
    }

    private Remediator remediator(boolean switchOn) {
        return new Remediator(cluster -> Map.copyOf(tags), new Fabric8ClusterObjects(client), NO_EC2, log, CLOCK, switchOn);
    }

    private void seed(TestCluster cluster) {
        cluster.objects().forEach(o -> client.resource(o).create());
    }

    /** What the engine does: re-collect through the Kubernetes API, then evaluate. */
    private ClusterSnapshot collect(Set<Input> needed) {
        var objects = new ArrayList<HasMetadata>();
        objects.addAll(client.namespaces().list().getItems());
        objects.addAll(client.apps().deployments().inAnyNamespace().list().getItems());
        objects.addAll(client.network().v1().networkPolicies().inAnyNamespace().list().getItems());
        return new ClusterSnapshot(TestCluster.SHOP_DEV, EnumSet.of(Input.K8S_NAMESPACES, Input.K8S_WORKLOADS,
                Input.K8S_NETWORK_POLICIES), AwsClusterState.empty(), new KubernetesStateBuilder().addAll(objects).build(),
                List.of(), Map.of());
    }

    private List<RemediationRecord> remediate(TestCluster cluster, CheckConfig config, Recheck recheck) {
        var snapshot = cluster.snapshot();
        return remediator(true).remediate(snapshot, RemediationPlanner.targetResults(snapshot, config), config, recheck);
    }

    private List<NetworkPolicy> ours() {
        return client.network().v1().networkPolicies().inAnyNamespace().list().getItems().stream()
                .filter(p -> p.getMetadata().getName().equals(NP)).toList();
    }

    private static TestCluster shop() {
        return TestCluster.shopDev().namespace("shop").deployment("shop", "cart").deployment("shop", "checkout");
    }

    @Test
    void dry_run_should_change_nothing_and_record_what_it_would_do() {
        tags.put(RemediationPolicy.AUTO_REMEDIATE_TAG, "imds-network-policy");
        var cluster = shop();
        seed(cluster);

        var records = remediate(cluster, CONFIG, Recheck.none());

        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.DRY_RUN);
            assertThat(r.mode()).isEqualTo(RemediationMode.DRY_RUN);
            assertThat(r.target()).isEqualTo("NetworkPolicy/shop/" + NP);
            assertThat(r.before()).isEqualTo(RemediationRecord.ABSENT);
            assertThat(r.after()).contains("169.254.169.254/32").contains("app.kubernetes.io/managed-by: ekscm");
            assertThat(r.findingKeys()).containsExactly("pods-cannot-reach-instance-metadata#Deployment/shop/cart",
                    "pods-cannot-reach-instance-metadata#Deployment/shop/checkout");
            assertThat(r.at()).isEqualTo(CLOCK.instant());
        });
        assertThat(ours()).isEmpty();
        assertThat(dispatcher.applyCalls()).isEmpty();
        assertThat(log.records(TestCluster.SHOP_DEV)).isEqualTo(records);
    }

    @Test
    void enforce_should_create_the_policy_once_verify_it_and_a_second_run_should_change_nothing() {
        tags.putAll(TestCluster.OPTED_IN_ENFORCE);
        var cluster = shop();
        seed(cluster);
        var imdsCheck = CheckCatalog.builtIn().byId(RemediationPlanner.IMDS_CHECK).orElseThrow();
        Recheck recheck = Recheck.collecting(this::collect, List.of(imdsCheck), CONFIG);

        var first = remediate(cluster, CONFIG, recheck);

        assertThat(first).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
            assertThat(r.verification()).hasValue(Verification.VERIFIED);
        });
        assertThat(ours()).singleElement().satisfies(p -> {
            assertThat(p.getMetadata().getNamespace()).isEqualTo("shop");
            assertThat(p.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "ekscm");
            assertThat(p.getMetadata().getAnnotations()).containsEntry("ekscm.dev/finding",
                    "pods-cannot-reach-instance-metadata#Deployment/shop/cart,"
                            + "pods-cannot-reach-instance-metadata#Deployment/shop/checkout");
            assertThat(p.getSpec().getPolicyTypes()).containsExactly("Egress");
            assertThat(p.getSpec().getEgress().get(0).getTo().get(0).getIpBlock().getExcept())
                    .containsExactly("169.254.169.254/32");
        });
        assertThat(dispatcher.applyCalls()).singleElement().satisfies(c -> {
            assertThat(c.path()).endsWith("?fieldManager=ekscm&force=false");
            assertThat(c.contentType()).startsWith("application/apply-patch+yaml");
        });

        // WHEN the next run comes, from a re-collected snapshot (the finding now passes)
        var second = remediator(true).remediate(collect(Set.of()), recheck.run(Set.of(RemediationPlanner.IMDS_CHECK),
                Set.of()), CONFIG, recheck);

        assertThat(second).singleElement().satisfies(r -> assertThat(r.outcome()).isEqualTo(Outcome.UNCHANGED));
        assertThat(dispatcher.applyCalls()).hasSize(1);
        assertThat(ours()).hasSize(1);
    }

    @Test
    void namespaces_with_egress_policies_should_be_left_alone_and_reported() {
        tags.putAll(TestCluster.OPTED_IN_ENFORCE);
        var cluster = shop().namespace("payments").deployment("payments", "api").deployment("payments", "worker")
                .policy(TestCluster.egressPolicy("payments", "api-egress", Map.of("app", "api")));
        seed(cluster);

        var records = remediate(cluster, CONFIG, Recheck.none());

        assertThat(records).filteredOn(r -> r.target().contains("/payments/")).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.MANUAL);
            assertThat(r.reason()).contains("payments/api-egress").contains("widen");
            assertThat(r.findingKeys()).containsExactly("pods-cannot-reach-instance-metadata#Deployment/payments/worker");
        });
        assertThat(ours()).extracting(p -> p.getMetadata().getNamespace()).containsExactly("shop");
    }

    @Test
    void a_policy_that_appeared_after_planning_should_stop_the_apply() {
        tags.putAll(TestCluster.OPTED_IN_ENFORCE);
        var cluster = shop();
        seed(cluster);
        var remediator = remediator(true);
        var snapshot = cluster.snapshot();
        var plan = remediator.plan(snapshot, RemediationPlanner.targetResults(snapshot, CONFIG), CONFIG);
        assertThat(plan.objects()).hasSize(1);

        // someone restricts egress of some pods between the plan and the action
        client.resource(TestCluster.egressPolicy("shop", "cart-dns-only", Map.of("app", "cart"))).create();
        var records = remediator.apply(plan, RemediationMode.ENFORCE, Recheck.none());

        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.MANUAL);
            assertThat(r.reason()).contains("shop/cart-dns-only").contains("found right before applying");
        });
        assertThat(ours()).isEmpty();
    }

    @Test
    void excluded_and_system_namespaces_should_never_be_touched() {
        tags.putAll(TestCluster.OPTED_IN_ENFORCE);
        var cluster = shop().namespace("legacy").deployment("legacy", "batch").namespace("kube-system")
                .deployment("kube-system", "metrics-server");
        seed(cluster);

        var records = remediate(cluster, CONFIG.withExcludedNamespaces(Set.of("legacy")), Recheck.none());

        assertThat(records).extracting(RemediationRecord::target).containsExactly("NetworkPolicy/shop/" + NP);
        assertThat(ours()).extracting(p -> p.getMetadata().getNamespace()).containsExactly("shop");
        assertThat(client.network().v1().networkPolicies().inNamespace("legacy").list().getItems()).isEmpty();
        assertThat(client.network().v1().networkPolicies().inNamespace("kube-system").list().getItems()).isEmpty();
    }

    @Test
    void a_cluster_without_the_tag_should_never_be_touched_even_with_the_switch_on() {
        var cluster = shop();
        seed(cluster);

        var records = remediate(cluster, CONFIG, Recheck.none());

        assertThat(records).isEmpty();
        assertThat(ours()).isEmpty();
        assertThat(log.records(TestCluster.SHOP_DEV)).isEmpty();
    }

    @Test
    void the_deployment_switch_off_should_stop_a_tagged_cluster() {
        tags.putAll(TestCluster.OPTED_IN_ENFORCE);
        var cluster = shop();
        seed(cluster);
        var snapshot = cluster.snapshot();

        var records = remediator(false).remediate(snapshot, RemediationPlanner.targetResults(snapshot, CONFIG), CONFIG,
                Recheck.none());

        assertThat(records).isEmpty();
        assertThat(ours()).isEmpty();
    }

    @Test
    void removing_the_tag_between_evaluation_and_action_should_stop_the_action() {
        tags.putAll(TestCluster.OPTED_IN_ENFORCE);
        var cluster = shop();
        seed(cluster);
        var remediator = remediator(true);
        var snapshot = cluster.snapshot();
        var plan = remediator.plan(snapshot, RemediationPlanner.targetResults(snapshot, CONFIG), CONFIG);

        tags.remove(RemediationPolicy.AUTO_REMEDIATE_TAG);
        var records = remediator.apply(plan, RemediationMode.ENFORCE, Recheck.none());

        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.SKIPPED);
            assertThat(r.reason()).contains("not opted in");
        });
        assertThat(ours()).isEmpty();
        assertThat(dispatcher.applyCalls()).isEmpty();
    }

    @Test
    void undo_should_remove_only_what_carries_our_label() {
        tags.putAll(TestCluster.OPTED_IN_ENFORCE);
        var cluster = shop().namespace("web").deployment("web", "frontend");
        seed(cluster);
        remediate(cluster, CONFIG, Recheck.none());
        assertThat(ours()).hasSize(2);
        // others' policies: one with another manager's label, one without labels
        var helm = TestCluster.ingressOnlyPolicy("web", "helm-managed");
        helm.getMetadata().setLabels(Map.of("app.kubernetes.io/managed-by", "Helm"));
        client.resource(helm).create();
        client.resource(TestCluster.ingressOnlyPolicy("shop", "deny-ingress")).create();
        // a label alone does not make an object the monitor's: it must also carry one of its names
        var copied = TestCluster.ingressOnlyPolicy("shop", "copied-label");
        copied.getMetadata().setLabels(Map.of("app.kubernetes.io/managed-by", "ekscm"));
        client.resource(copied).create();

        var dryRun = remediator(true).undo(TestCluster.SHOP_DEV, RemediationMode.DRY_RUN);
        assertThat(dryRun).extracting(RemediationRecord::outcome).containsOnly(Outcome.DRY_RUN);
        assertThat(ours()).hasSize(2);

        var records = remediator(true).undo(TestCluster.SHOP_DEV, RemediationMode.ENFORCE);

        assertThat(records).extracting(RemediationRecord::target, RemediationRecord::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("NetworkPolicy/shop/" + NP, Outcome.REVERTED),
                org.assertj.core.groups.Tuple.tuple("NetworkPolicy/web/" + NP, Outcome.REVERTED));
        assertThat(records.get(0).findingKeys()).contains("pods-cannot-reach-instance-metadata#Deployment/shop/cart");
        assertThat(ours()).isEmpty();
        assertThat(client.network().v1().networkPolicies().inAnyNamespace().list().getItems())
                .extracting(p -> p.getMetadata().getName())
                .containsExactlyInAnyOrder("helm-managed", "deny-ingress", "copied-label");
    }

    @Test
    void with_calicos_crds_served_it_should_apply_one_tier_and_one_global_policy_and_undo_them() {
        tags.putAll(TestCluster.OPTED_IN_ENFORCE);
        registerCalicoCrds();
        var cluster = shop().namespace("payments").deployment("payments", "api")
                .policy(TestCluster.egressPolicy("payments", "api-egress", Map.of("tier", "x")));
        seed(cluster);
        var remediator = remediator(true);

        var records = remediate(cluster, CONFIG, Recheck.none());

        assertThat(records).extracting(RemediationRecord::target, RemediationRecord::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("Tier/ekscm-security", Outcome.APPLIED),
                org.assertj.core.groups.Tuple.tuple("GlobalNetworkPolicy/ekscm-security.block-instance-metadata",
                        Outcome.APPLIED));
        GenericKubernetesResource tier = client.genericKubernetesResources("crd.projectcalico.org/v1", "Tier")
                .withName("ekscm-security").get();
        assertThat(tier.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "ekscm");
        assertThat(tier.<Object>get("spec", "order")).isEqualTo(100);
        assertThat(tier.<Object>get("spec", "defaultAction")).isEqualTo("Pass");
        GenericKubernetesResource gnp = client.genericKubernetesResources("crd.projectcalico.org/v1", "GlobalNetworkPolicy")
                .withName("ekscm-security.block-instance-metadata").get();
        assertThat(gnp.<Object>get("spec", "namespaceSelector"))
                .isEqualTo("projectcalico.org/name not in {'kube-node-lease', 'kube-public', 'kube-system'}");
        assertThat(gnp.<List<Map<String, Object>>>get("spec", "egress")).extracting(r -> r.get("action"))
                .containsExactly("Deny", "Deny", "Pass");
        assertThat(gnp.getMetadata().getAnnotations().get("ekscm.dev/finding"))
                .contains("pods-cannot-reach-instance-metadata#Deployment/payments/api");
        assertThat(ours()).isEmpty(); // no Kubernetes NetworkPolicy on the Calico path

        // the second run changes nothing
        var again = remediate(cluster, CONFIG, Recheck.none());
        assertThat(again).extracting(RemediationRecord::outcome).containsOnly(Outcome.UNCHANGED);
        assertThat(dispatcher.applyCalls()).hasSize(2);

        // undo removes the policy, then its tier
        var undone = remediator.undo(TestCluster.SHOP_DEV, RemediationMode.ENFORCE);
        assertThat(undone).extracting(RemediationRecord::target).containsExactly(
                "GlobalNetworkPolicy/ekscm-security.block-instance-metadata", "Tier/ekscm-security");
        assertThat(client.genericKubernetesResources("crd.projectcalico.org/v1", "Tier").list().getItems()).isEmpty();
        assertThat(client.genericKubernetesResources("crd.projectcalico.org/v1", "GlobalNetworkPolicy").list()
                .getItems()).isEmpty();
    }

    @Test
    void with_calicos_api_served_it_should_write_projectcalico_org_v3_objects() {
        tags.putAll(TestCluster.OPTED_IN_ENFORCE);
        // the mock server cannot aggregate an API server: a CRD of that group makes discovery serve it
        registerCalico("projectcalico.org", "v3");
        assertThat(new Fabric8ClusterObjects(client).policyBackend()).isEqualTo(PolicyBackend.CALICO_API);
        var cluster = shop();
        seed(cluster);

        var records = remediate(cluster, CONFIG, Recheck.none());

        assertThat(records).extracting(RemediationRecord::outcome).containsOnly(Outcome.APPLIED);
        assertThat(client.genericKubernetesResources("projectcalico.org/v3", "GlobalNetworkPolicy")
                .withName(ImdsPolicyObjects.GLOBAL_POLICY_NAME).get()).isNotNull();
        assertThat(client.genericKubernetesResources("projectcalico.org/v3", "Tier")
                .withName(ImdsPolicyObjects.TIER_NAME).get().<Object>get("spec", "defaultAction")).isEqualTo("Pass");
    }

    private void registerCalicoCrds() {
        registerCalico("crd.projectcalico.org", "v1");
        assertThat(new Fabric8ClusterObjects(client).policyBackend()).isEqualTo(PolicyBackend.CALICO_CRD);
    }

    private void registerCalico(String group, String version) {
        for (String[] kind : List.of(new String[] {"Tier", "tiers"},
                new String[] {"GlobalNetworkPolicy", "globalnetworkpolicies"})) {
            CustomResourceDefinition crd = new CustomResourceDefinitionBuilder()
                    .withNewMetadata().withName(kind[1] + "." + group).endMetadata()
                    .withNewSpec().withGroup(group).withScope("Cluster")
                    .withNewNames().withKind(kind[0]).withPlural(kind[1]).withSingular(kind[0].toLowerCase())
                    .withListKind(kind[0] + "List").endNames()
                    .addNewVersion().withName(version).withServed(true).withStorage(true)
                    .withNewSchema().withNewOpenAPIV3Schema().withType("object")
                    .withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema()
                    .endVersion()
                    .endSpec().build();
            client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        }
    }

    /** EC2 is not part of these tests: any call is a failure. */
    private static final InstanceMetadataSettings NO_EC2 = new InstanceMetadataSettings() {
        @Override
        public Map<String, NodeInstance> describe(Collection<String> instanceIds) {
            throw new AssertionError("no EC2 call expected");
        }

        @Override
        public MetadataOptions modify(String instanceId, MetadataOptions options) {
            throw new AssertionError("no EC2 call expected");
        }
    };
}
