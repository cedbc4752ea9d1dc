package dev.ekscm.remediation;

import dev.ekscm.checks.netpol.CalicoModel;
import dev.ekscm.checks.netpol.Cidr;
import dev.ekscm.checks.netpol.Destination;
import dev.ekscm.checks.netpol.EgressModel;
import dev.ekscm.model.CheckResult;
import dev.ekscm.model.ClusterSnapshot;
import dev.ekscm.model.Input;
import dev.ekscm.model.Severity;
import dev.ekscm.model.Status;
import dev.ekscm.model.k8s.Workload;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Calico path over random existing tiers and policies: adding the monitor's Tier and
 * GlobalNetworkPolicy never lets a pod reach what it could not reach before, and afterwards no
 * pod of a covered namespace reaches the metadata endpoint. Reachability = the first decision of
 * the tiers ahead of the default tier ({@link CalicoModel}), else the Kubernetes NetworkPolicies
 * of the default tier ({@link EgressModel}).
 */
class CalicoNeverWidensProperties {
    private static final Destination IMDS = Destination.INSTANCE_METADATA;
    private static final List<Destination> PROBES = List.of(IMDS,
            new Destination(Destination.INSTANCE_METADATA_IPV6, 80, "TCP"),
            new Destination(Cidr.of("10.0.0.1"), 443, "TCP"),
            new Destination(Cidr.of("8.8.8.8"), 53, "UDP"),
            new Destination(Cidr.of("169.254.170.2"), 80, "TCP"));
    private static final List<String> NAMESPACES = List.of("shop", "payments", "kube-system");
    private static final List<String> NETS = List.of("0.0.0.0/0", "169.254.0.0/16", "169.254.169.254/32", "10.0.0.0/8",
            "8.8.8.0/24", "::/0");
    private static final List<String> SELECTORS = List.of("all()", "app == 'a'", "has(tier)", "app != 'b'");

    record Pod(String namespace, Map<String, String> labels) {
    }

    record Scenario(List<Pod> pods, List<GenericKubernetesResource> tiers, List<GenericKubernetesResource> policies,
                    List<NetworkPolicy> networkPolicies, boolean everyWorkloadFails) {
    }

    @Property(tries = 300)
    void the_tiered_policy_never_widens_and_blocks_the_metadata_endpoint(@ForAll("scenarios") Scenario s) {
        var cluster = TestCluster.shopDev().withInput(Input.K8S_CALICO_POLICIES);
        for (int i = 0; i < s.pods().size(); i++) {
            Pod p = s.pods().get(i);
            cluster.object(TestCluster.deploymentObject(p.namespace(), "w" + i, p.labels(), false, Map.of()));
        }
        s.tiers().forEach(cluster::object);
        s.policies().forEach(cluster::object);
        s.networkPolicies().forEach(cluster::policy);
        ClusterSnapshot snapshot = cluster.snapshot();
        List<CheckResult> results = s.everyWorkloadFails()
                ? snapshot.kubernetes().workloads().stream().map(w -> new CheckResult(RemediationPlanner.IMDS_CHECK,
                        w.ref(), Status.FAIL, Severity.HIGH, "generated", "")).toList()
                : RemediationPlanner.targetResults(snapshot, TestCluster.CONFIG);

        RemediationPlan plan = new RemediationPlanner(TestCluster.CONFIG)
                .plan(snapshot, RemediationPolicy.notOptedIn(true), results, PolicyBackend.CALICO_API);

        var tiersAfter = new ArrayList<>(s.tiers());
        var policiesAfter = new ArrayList<>(s.policies());
        for (var o : plan.objects()) {
            (o.object().getKind().equals("Tier") ? tiersAfter : policiesAfter).add(o.object());
        }
        boolean acted = !plan.objects().isEmpty();
        for (Workload w : snapshot.kubernetes().workloads()) {
            for (Destination d : PROBES) {
                boolean was = reachable(s.tiers(), s.policies(), s.networkPolicies(), d, w);
                boolean is = reachable(tiersAfter, policiesAfter, s.networkPolicies(), d, w);
                assertThat(!is || was).as("%s reaches %s only after remediation", w.ref(), d.describe()).isTrue();
            }
            if (acted && !TestCluster.CONFIG.isExcludedNamespace(w.namespace())) {
                assertThat(reachable(tiersAfter, policiesAfter, s.networkPolicies(), IMDS, w))
                        .as("%s reaches IMDS; notes %s", w.ref(), plan.notes()).isFalse();
            }
        }
    }

    private static boolean reachable(List<GenericKubernetesResource> tiers, List<GenericKubernetesResource> policies,
                                     List<NetworkPolicy> networkPolicies, Destination d, Workload w) {
        var endpoint = new CalicoModel.Endpoint(w.namespace(), w.podLabels(), Map.of(), w.serviceAccountName());
        var verdict = new CalicoModel(tiers, policies, d).evaluate(endpoint);
        return switch (verdict.outcome()) {
            case DENIED -> false;
            case ALLOWED -> true;
            case NO_VERDICT -> new EgressModel(networkPolicies.stream()
                    .filter(p -> p.getMetadata().getNamespace().equals(w.namespace())).toList(), d)
                    .evaluate(w.podLabels(), w.allContainers()).reachable();
        };
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Pod> pod = Combinators.combine(Arbitraries.of(NAMESPACES),
                        Arbitraries.maps(Arbitraries.of("app", "tier"), Arbitraries.of("a", "b")).ofMaxSize(2))
                .as(Pod::new);
        Arbitrary<List<GenericKubernetesResource>> tiers = Combinators.combine(
                        Arbitraries.of(5.0, 50.0, 100.0, 150.0, 2_000_000.0), Arbitraries.of("Pass", "Deny", "(unset)"))
                .as((order, defaultAction) -> {
                    var spec = new LinkedHashMap<String, Object>();
                    spec.put("order", order);
                    if (!defaultAction.equals("(unset)")) {
                        spec.put("defaultAction", defaultAction);
                    }
                    return spec;
                })
                .list().ofMaxSize(3)
                .map(specs -> {
                    var out = new ArrayList<GenericKubernetesResource>();
                    for (int i = 0; i < specs.size(); i++) {
                        out.add(calico("Tier", "t" + i, null, specs.get(i)));
                    }
                    return out;
                });
        Arbitrary<Map<String, Object>> rule = Combinators.combine(Arbitraries.of("Allow", "Deny", "Pass"),
                        Arbitraries.of(NETS).injectNull(0.3))
                .as((action, net) -> {
                    var r = new LinkedHashMap<String, Object>();
                    r.put("action", action);
                    if (net != null) {
                        r.put("destination", Map.of("nets", List.of(net)));
                    }
                    return r;
                });
        Arbitrary<GenericKubernetesResource> policy = Combinators.combine(Arbitraries.of("t0", "t1", "t2", "default"),
                        Arbitraries.of(SELECTORS), rule.list().ofMaxSize(3), Arbitraries.of(NAMESPACES).injectNull(0.5),
                        Arbitraries.integers().between(0, 999))
                .as((tier, selector, rules, ns, n) -> {
                    var spec = new LinkedHashMap<String, Object>();
                    spec.put("tier", tier);
                    spec.put("selector", selector);
                    spec.put("types", List.of("Egress"));
                    spec.put("egress", rules);
                    return ns == null ? calico("GlobalNetworkPolicy", tier + ".g" + n, null, spec)
                            : calico("NetworkPolicy", tier + ".n" + n, ns, spec);
                });
        Arbitrary<List<NetworkPolicy>> networkPolicies = Combinators.combine(Arbitraries.of("shop", "payments"),
                        Arbitraries.of(Map.of("app", "a"), Map.<String, String>of()), Arbitraries.integers().between(0, 99))
                .as((ns, sel, n) -> TestCluster.egressPolicy(ns, "np" + n, sel)).list().ofMaxSize(2)
                .map(CalicoNeverWidensProperties::uniqueByName);
        return Combinators.combine(pod.list().ofMinSize(1).ofMaxSize(6), tiers,
                        policy.list().ofMaxSize(4).map(CalicoNeverWidensProperties::uniqueByName), networkPolicies,
                        Arbitraries.of(true, false))
                .as(Scenario::new);
    }

    private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> List<T> uniqueByName(List<T> list) {
        Set<String> seen = new HashSet<>();
        return list.stream().filter(o -> seen.add(o.getKind() + "/" + o.getMetadata().getNamespace() + "/"
                + o.getMetadata().getName())).toList();
    }

    private static GenericKubernetesResource calico(String kind, String name, String ns, Map<String, Object> spec) {
        return new GenericKubernetesResourceBuilder().withApiVersion("projectcalico.org/v3").withKind(kind)
                .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withAdditionalProperties(new HashMap<>(Map.of("spec", spec))).build();
    }
}
