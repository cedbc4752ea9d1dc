package dev.ekscm.collect;

import dev.ekscm.model.BadInputException;
import dev.ekscm.model.ClusterSnapshot.CollectionProblem;
import dev.ekscm.model.Input;
import dev.ekscm.model.aws.EksCluster;
import dev.ekscm.model.k8s.Workload;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.ekscm.collect.KubernetesFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Kubernetes collector against fabric8's mock API server in CRUD mode over HTTPS, reached the
 * way an EKS cluster is: endpoint and CA as DescribeCluster gives them (moto's CA is a random
 * string, so the CA path is proven here) and the EKS bearer token.
 */
class KubernetesCollectorTest {
    private MockKubernetesApi api;
    private final ApiCallCounter counter = new ApiCallCounter();
    private final EksTokenProvider tokens = new EksTokenProvider("shop-dev", "us-east-1",
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")), Optional.empty(), Clock.systemUTC());

    @BeforeEach
    void start() {
        api = new MockKubernetesApi();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private EksCluster eksCluster(String endpoint, Optional<String> ca) {
        return new EksCluster("shop-dev", "arn:aws:eks:us-east-1:123456789012:cluster/shop-dev", "1.29", "ACTIVE", "vpc-1",
                List.of(), List.of(), Optional.empty(), true, false, List.of(), Set.of(), List.of(),
                Optional.of(endpoint), ca, Optional.of("API"), Map.of());
    }

    private KubernetesCollector.Result collect(CollectionPlan plan) {
        return collect(plan, KubernetesCollector.Settings.defaults());
    }

    private KubernetesCollector.Result collect(CollectionPlan plan, KubernetesCollector.Settings settings) {
        try (var client = KubernetesCollector.clientFor(eksCluster(api.url(), Optional.of(api.caData())), tokens, settings)) {
            return new KubernetesCollector(client, settings, counter, KubernetesCollector.onboardingHint("shop-dev")).collect(plan);
        }
    }

    @Test
    void collect_should_list_the_needed_kinds_over_tls_with_the_eks_token() {
        // GIVEN a cluster with workloads, policies, RBAC, service accounts, a webhook, and a Secret
        var c = api.admin();
        namespace(c, "payments", Map.of("pod-security.kubernetes.io/enforce", "restricted"));
        namespace(c, "default", Map.of());
        deployment(c, "payments", "api", "nginx:1.27");
        ownedReplicaSetAndPod(c, "payments", "api", "nginx:1.27");
        barePod(c, "default", "debug", "busybox");
        defaultDeny(c, "payments");
        rbac(c, "payments");
        serviceAccount(c, "payments", "app");
        webhook(c, "policy-engine");
        secret(c, "payments", "db-password");

        // WHEN everything is collected
        var result = collect(CollectionPlan.everything());

        // THEN the objects are sorted into the state; owned ReplicaSets and pods are not workloads
        var state = result.state();
        assertThat(result.problems()).isEmpty();
        assertThat(result.available()).containsExactlyInAnyOrder(Input.K8S_NAMESPACES, Input.K8S_WORKLOADS,
                Input.K8S_NETWORK_POLICIES, Input.K8S_CALICO_POLICIES, Input.K8S_RBAC, Input.K8S_SERVICE_ACCOUNTS, Input.K8S_ADMISSION);
        assertThat(state.namespaces()).extracting(n -> n.getMetadata().getName()).containsExactlyInAnyOrder("payments", "default");
        assertThat(state.workloads()).extracting(Workload::ref).extracting(Object::toString)
                .containsExactlyInAnyOrder("Deployment/payments/api", "Pod/default/debug");
        assertThat(state.networkPolicies()).hasSize(1);
        assertThat(state.roles()).hasSize(1);
        assertThat(state.clusterRoles()).hasSize(1);
        assertThat(state.roleBindings()).hasSize(1);
        assertThat(state.clusterRoleBindings()).hasSize(1);
        assertThat(state.serviceAccounts()).hasSize(1);
        assertThat(state.validatingWebhooks()).hasSize(1);
        assertThat(state.calicoPolicies()).isEmpty();

        // AND every request carried the EKS bearer token, only GETs, never a Secret
        assertThat(api.authorizations).isNotEmpty().allMatch(a -> a.startsWith("Bearer k8s-aws-v1."));
        assertThat(api.requests).allMatch(r -> r.startsWith("GET "));
        assertThat(api.requests).noneMatch(r -> r.contains("secrets"));
        // AND one list call per kind (18 kinds) plus Calico discovery (2 groups, neither served)
        assertThat(counter.total("kubernetes:list ")).isEqualTo(18);
        assertThat(counter.counts()).containsEntry("kubernetes:discover projectcalico.org/v3", 1)
                .containsEntry("kubernetes:discover crd.projectcalico.org/v1", 1);
        assertThat(api.requests).hasSize(counter.total("kubernetes:"));
        // AND every list path is a resource the monitor's RBAC grants (KubernetesCollector.LISTED_RESOURCES)
        for (String request : api.requests) {
            String path = request.substring(4).replaceAll("\\?.*", "");
            if (path.matches("/apis/[^/]+/[^/]+")) {
                continue; // API discovery
            }
            String[] parts = path.split("/");
            String resource = path.startsWith("/api/") ? "/" + parts[3] : parts[2] + "/" + parts[4];
            assertThat(KubernetesCollector.LISTED_RESOURCES).as(request).contains(resource);
        }
        assertThat(KubernetesCollector.LISTED_RESOURCES).noneMatch(r -> r.endsWith("/secrets"));
        System.out.println("Kubernetes calls, full collection of a small cluster: " + counter.counts());
    }

    @Test
    void collect_should_follow_continue_tokens_with_pages_of_500() {
        // GIVEN 1,203 bare pods
        var c = api.admin();
        namespace(c, "batch", Map.of());
        for (int i = 0; i < 1203; i++) {
            barePod(c, "batch", "p-" + i, "busybox:1.36");
        }

        // WHEN workloads are collected
        var result = collect(CollectionPlan.of(Input.K8S_WORKLOADS));

        // THEN three pages of pods, all pods read, one call for each other workload kind
        assertThat(api.listCalls("/api/v1/pods")).isEqualTo(3);
        assertThat(api.requests).filteredOn(r -> r.startsWith("GET /api/v1/pods?"))
                .allMatch(r -> r.contains("limit=500"))
                .anyMatch(r -> r.contains("continue=500")).anyMatch(r -> r.contains("continue=1000"));
        assertThat(counter.get("kubernetes:list Pod")).isEqualTo(3);
        assertThat(counter.total("kubernetes:")).isEqualTo(3 + 7);
        assertThat(result.state().workloads()).hasSize(1203);
        assertThat(result.available()).containsExactly(Input.K8S_WORKLOADS);
    }

    @Test
    void collect_should_mark_only_the_forbidden_kind_unavailable() {
        // GIVEN the monitor may not list Roles
        var c = api.admin();
        namespace(c, "payments", Map.of());
        rbac(c, "payments");
        api.forbiddenPaths.add("/apis/rbac.authorization.k8s.io/v1/roles");

        // WHEN namespaces and RBAC are collected
        var result = collect(CollectionPlan.of(Input.K8S_NAMESPACES, Input.K8S_RBAC));

        // THEN RBAC is unavailable with a problem naming the kind, namespaces are read, the API is reachable
        assertThat(result.available()).containsExactly(Input.K8S_NAMESPACES);
        assertThat(result.reachable()).isTrue();
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.where()).isEqualTo("kubernetes:list Role");
            assertThat(p.reason()).contains("403").contains("Role");
            assertThat(p.kubernetesUnreachable()).isFalse();
        });
        assertThat(result.state().namespaces()).hasSize(1);
        assertThat(result.state().clusterRoles()).as("a partly read input is not used").isEmpty();
    }

    @Test
    void collect_should_report_an_unauthorised_api_as_unreachable_with_the_onboarding_hint() {
        api.unauthorized = true;

        var result = collect(CollectionPlan.everything());

        assertThat(result.available()).isEmpty();
        assertThat(result.reachable()).isFalse();
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.kubernetesUnreachable()).isTrue();
            assertThat(p.reason()).contains("401").contains("ekscm onboard --cluster shop-dev").contains("ekscm-reader");
        });
    }

    @Test
    void collect_should_report_an_api_where_everything_is_forbidden_as_unreachable() {
        for (String p : List.of("/api/v1/namespaces", "/apis/networking.k8s.io/v1/networkpolicies")) {
            api.forbiddenPaths.add(p);
        }

        var result = collect(CollectionPlan.of(Input.K8S_NAMESPACES, Input.K8S_NETWORK_POLICIES));

        assertThat(result.reachable()).isFalse();
        assertThat(result.problems()).singleElement().satisfies(p -> assertThat(p.reason()).contains("403").contains("ekscm onboard"));
    }

    @Test
    void collect_should_give_up_on_an_api_that_never_answers() throws Exception {
        // GIVEN a server that accepts connections and never says a word
        try (var silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            var held = new ArrayList<Socket>();
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            var settings = KubernetesCollector.Settings.defaults()
                    .withTimeouts(Duration.ofMillis(500), Duration.ofMillis(800)).withRetries(0);
            long start = System.nanoTime();

            // WHEN collected with short timeouts
            KubernetesCollector.Result result;
            try (var client = KubernetesCollector.clientFor(
                    eksCluster("https://127.0.0.1:" + silent.getLocalPort(), Optional.of(api.caData())), tokens, settings)) {
                result = new KubernetesCollector(client, settings, counter, KubernetesCollector.onboardingHint("shop-dev"))
                        .collect(CollectionPlan.everything());
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            // THEN unreachable, saying it timed out, in about one timeout (not one per kind)
            assertThat(result.reachable()).isFalse();
            assertThat(result.problems()).singleElement().satisfies(p -> {
                assertThat(p.kubernetesUnreachable()).isTrue();
                assertThat(p.reason()).containsAnyOf("did not answer in time", "timed out");
            });
            assertThat(took).isLessThan(Duration.ofSeconds(8));
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void collect_should_report_an_unknown_host() {
        var settings = KubernetesCollector.Settings.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)).withRetries(0);
        try (var client = KubernetesCollector.clientFor(eksCluster("https://ekscm-no-such-host.invalid", Optional.empty()),
                tokens, settings)) {
            var result = new KubernetesCollector(client, settings, counter, "hint").collect(CollectionPlan.of(Input.K8S_NAMESPACES));
            assertThat(result.reachable()).isFalse();
            assertThat(result.problems().get(0).reason()).containsAnyOf("resolve", "connect");
        }
    }

    @Test
    void collect_should_make_no_call_when_the_plan_needs_no_kubernetes_input() {
        var result = collect(CollectionPlan.of(Input.INSTANCES, Input.LAUNCH_TEMPLATES));

        assertThat(api.requests).isEmpty();
        assertThat(counter.total()).isZero();
        assertThat(result.available()).isEmpty();
        assertThat(result.problems()).isEmpty();
    }

    @Test
    void collect_should_read_calico_policies_from_the_served_api_group() {
        // GIVEN Calico's API server serves projectcalico.org/v3 with a tier and a global deny
        api.server.expect().get().withPath("/apis/projectcalico.org/v3").andReturn(200, new APIResourceListBuilder()
                .withGroupVersion("projectcalico.org/v3")
                .addToResources(new APIResourceBuilder().withName("globalnetworkpolicies").withKind("GlobalNetworkPolicy")
                        .withNamespaced(false).withVerbs("list").build())
                .addToResources(new APIResourceBuilder().withName("networkpolicies").withKind("NetworkPolicy")
                        .withNamespaced(true).withVerbs("list").build())
                .addToResources(new APIResourceBuilder().withName("tiers").withKind("Tier")
                        .withNamespaced(false).withVerbs("list").build())
                .build()).always();
        var gnp = new ResourceDefinitionContext.Builder().withGroup("projectcalico.org").withVersion("v3")
                .withKind("GlobalNetworkPolicy").withPlural("globalnetworkpolicies").withNamespaced(false).build();
        var tier = new ResourceDefinitionContext.Builder().withGroup("projectcalico.org").withVersion("v3")
                .withKind("Tier").withPlural("tiers").withNamespaced(false).build();
        api.admin().genericKubernetesResources(tier).resource(new GenericKubernetesResourceBuilder()
                .withApiVersion("projectcalico.org/v3").withKind("Tier").withNewMetadata().withName("security").endMetadata()
                .addToAdditionalProperties("spec", Map.of("order", 100)).build()).create();
        api.admin().genericKubernetesResources(gnp).resource(new GenericKubernetesResourceBuilder()
                .withApiVersion("projectcalico.org/v3").withKind("GlobalNetworkPolicy")
                .withNewMetadata().withName("security.deny-imds").endMetadata()
                .addToAdditionalProperties("spec", Map.of("tier", "security", "types", List.of("Egress"))).build()).create();

        // WHEN Calico policies are collected
        var result = collect(CollectionPlan.of(Input.K8S_CALICO_POLICIES));

        // THEN the tier and the policy, from v3 only (crd.projectcalico.org/v1 is not asked)
        assertThat(result.problems()).isEmpty();
        assertThat(result.available()).containsExactly(Input.K8S_CALICO_POLICIES);
        assertThat(result.state().calicoTiers()).extracting(t -> t.getMetadata().getName()).containsExactly("security");
        assertThat(result.state().calicoPolicies()).extracting(t -> t.getMetadata().getName()).containsExactly("security.deny-imds");
        assertThat(counter.counts()).containsOnlyKeys("kubernetes:discover projectcalico.org/v3",
                "kubernetes:list GlobalNetworkPolicy (projectcalico.org/v3)", "kubernetes:list NetworkPolicy (projectcalico.org/v3)",
                "kubernetes:list Tier (projectcalico.org/v3)");
    }

    @Test
    void kube_context_should_override_how_the_api_is_reached(@TempDir Path dir) throws Exception {
        // GIVEN a kubeconfig whose context "tunnel" reaches the API with its own token
        namespace(api.admin(), "payments", Map.of());
        Path kubeconfig = dir.resolve("config");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: tunnel
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: ops
                  user:
                    token: context-token
                contexts:
                - name: tunnel
                  context: {cluster: tunnel, user: ops}
                current-context: tunnel
                """.formatted(api.url(), api.caData()));
        String before = System.getProperty("kubeconfig");
        System.setProperty("kubeconfig", kubeconfig.toString());
        try {
            var settings = KubernetesCollector.Settings.defaults();
            try (var client = KubernetesCollector.clientFor("tunnel", Optional.of(tokens), settings)) {
                var result = new KubernetesCollector(client, settings, counter, "hint").collect(CollectionPlan.of(Input.K8S_NAMESPACES));
                assertThat(result.state().namespaces()).hasSize(1);
            }
            assertThat(new java.util.HashSet<>(api.authorizations)).containsExactly("Bearer context-token");
            assertThatThrownBy(() -> KubernetesCollector.clientFor("nope", Optional.empty(), settings))
                    .isInstanceOf(BadInputException.class).hasMessageContaining("kube context 'nope' not found")
                    .hasMessageContaining("tunnel");
        } finally {
            if (before == null) {
                System.clearProperty("kubeconfig");
            } else {
                System.setProperty("kubeconfig", before);
            }
        }
    }

    static List<CollectionProblem> problems(KubernetesCollector.Result r) {
        return r.problems();
    }
}
