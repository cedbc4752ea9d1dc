package dev.ekscm.remediation;

import dev.ekscm.checks.netpol.Cidr;
import dev.ekscm.checks.netpol.Destination;
import dev.ekscm.checks.netpol.EgressModel;
import dev.ekscm.model.CheckResult;
import dev.ekscm.model.ClusterSnapshot;
import dev.ekscm.model.Severity;
import dev.ekscm.model.Status;
import dev.ekscm.model.k8s.Workload;
import dev.ekscm.remediation.PlannedAction.ApplyObject;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The remediation's central promise, tested over random namespaces: adding what the plan adds to
 * the NetworkPolicies that exist never lets any pod reach a destination it could not reach
 * before (egress allowed by any selecting policy is allowed: the union is what can widen), and
 * afterwards no pod of a namespace that got the policy reaches the metadata endpoint. Namespaces
 * reported manual and hostNetwork pods are the stated exceptions. Reachability is judged by the
 * checks' own NetworkPolicy egress model ({@link EgressModel}).
 */
class NeverWidensEgressProperties {
    private static final Destination IMDS = Destination.INSTANCE_METADATA;
    private static final Destination IMDS_V6 = new Destination(Destination.INSTANCE_METADATA_IPV6, 80, "TCP");
    private static final List<Destination> PROBES = List.of(
            IMDS, IMDS_V6,
            new Destination(Cidr.of("169.254.169.254"), 443, "TCP"),
            new Destination(Cidr.of("169.254.170.2"), 80, "TCP"),
            new Destination(Cidr.of("10.0.0.1"), 443, "TCP"),
            new Destination(Cidr.of("10.1.2.3"), 5432, "TCP"),
            new Destination(Cidr.of("8.8.8.8"), 53, "UDP"),
            new Destination(Cidr.of("8.8.8.8"), 443, "TCP"),
            new Destination(Cidr.of("2001:db8::1"), 443, "TCP"));
    private static final List<String> NAMESPACES = List.of("shop", "payments", "web");
    private static final List<String> LABEL_KEYS = List.of("app", "tier");
    private static final List<String> LABEL_VALUES = List.of("a", "b", "c");
    private static final List<String> CIDRS = List.of("0.0.0.0/0", "10.0.0.0/8", "169.254.0.0/16",
            "169.254.169.254/32", "8.8.8.0/24", "::/0", "fd00::/8", "2001:db8::/32");
    private static final List<String> EXCEPTS = List.of("169.254.169.254/32", "10.0.0.0/16", "8.8.8.8/32",
            "fd00:ec2::254/128");

    /** A pod template of the generated cluster. */
    record Pod(String namespace, String name, Map<String, String> labels, boolean hostNetwork) {
    }

    record Scenario(List<Pod> pods, List<NetworkPolicy> policies, boolean everyWorkloadFails) {
        ClusterSnapshot snapshot() {
            var cluster = TestCluster.shopDev();
            pods.forEach(p -> cluster.object(TestCluster.deploymentObject(p.namespace(), p.name(), p.labels(),
                    p.hostNetwork(), Map.of())));
            policies.forEach(cluster::policy);
            return cluster.snapshot();
        }

        @Override
        public String toString() {
            return "pods " + pods + "\npolicies " + policies.stream().map(ManagedObjects::toYaml)
                    .collect(Collectors.joining("---\n")) + "\neveryWorkloadFails " + everyWorkloadFails;
        }
    }

    @Property(tries = 400)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void the_plan_never_widens_egress_and_blocks_the_metadata_endpoint_where_it_acts(@ForAll("scenarios") Scenario s) {
        ClusterSnapshot snapshot = s.snapshot();
        List<CheckResult> results = s.everyWorkloadFails()
                // adversarial: every workload a finding, whatever the policies say
                ? snapshot.kubernetes().workloads().stream().map(w -> new CheckResult(RemediationPlanner.IMDS_CHECK,
                        w.ref(), Status.FAIL, Severity.HIGH, "generated", "")).toList()
                : RemediationPlanner.targetResults(snapshot, TestCluster.CONFIG);
        RemediationPlan plan = new RemediationPlanner(TestCluster.CONFIG)
                .plan(snapshot, RemediationPolicy.notOptedIn(true), results, PolicyBackend.KUBERNETES);

        Map<String, List<NetworkPolicy>> before = byNamespace(s.policies());
        Map<String, List<NetworkPolicy>> after = byNamespace(s.policies());
        Set<String> applied = new HashSet<>();
        for (ApplyObject o : plan.objects()) {
            var np = ManagedObjects.convert(o.object(), NetworkPolicy.class);
            String ns = np.getMetadata().getNamespace();
            after.get(ns).removeIf(p -> p.getMetadata().getName().equals(np.getMetadata().getName()));
            after.get(ns).add(np);
            applied.add(ns);
        }
        Set<String> manual = plan.manual().stream().filter(m -> m.target().startsWith("NetworkPolicy/"))
                .map(m -> m.target().split("/")[1]).collect(Collectors.toSet());

        for (Workload w : snapshot.kubernetes().workloads()) {
            if (w.hostNetwork()) {
                continue; // NetworkPolicies do not apply to host-network pods: reported, never claimed fixed
            }
            for (Destination d : PROBES) {
                boolean was = reachable(before.get(w.namespace()), d, w);
                boolean is = reachable(after.get(w.namespace()), d, w);
                assertThat(!is || was).as("%s reaches %s only after remediation", w.ref(), d.describe()).isTrue();
            }
            if (applied.contains(w.namespace())) {
                assertThat(reachable(after.get(w.namespace()), IMDS, w)).as("%s reaches IMDS", w.ref()).isFalse();
                assertThat(reachable(after.get(w.namespace()), IMDS_V6, w)).as("%s reaches IMDS v6", w.ref()).isFalse();
            }
        }
        // every failing finding of a non-hostNetwork workload is either fixed by an object or reported manual
        Set<String> addressed = plan.actions().stream().flatMap(a -> a.findingKeys().stream()).collect(Collectors.toSet());
        snapshot.kubernetes().workloads().stream().filter(w -> !w.hostNetwork())
                .map(w -> RemediationPlanner.IMDS_CHECK + "#" + w.ref().key())
                .filter(k -> results.stream().anyMatch(r -> r.findingKey().equals(k) && r.status() == Status.FAIL))
                .forEach(k -> assertThat(addressed).as("finding %s addressed", k).contains(k));

        for (String ns : NAMESPACES) {
            Statistics.label("namespace").collect(applied.contains(ns) ? "policy added"
                    : manual.contains(ns) ? "manual" : "nothing to do");
        }
        Statistics.label("namespace").coverage(c -> {
            c.check("policy added").percentage(p -> p > 5);
            c.check("manual").percentage(p -> p > 5);
        });
    }

    private static boolean reachable(List<NetworkPolicy> policies, Destination d, Workload w) {
        return new EgressModel(policies, d).evaluate(w.podLabels(), w.allContainers()).reachable();
    }

    private static Map<String, List<NetworkPolicy>> byNamespace(List<NetworkPolicy> policies) {
        var map = new HashMap<String, List<NetworkPolicy>>();
        NAMESPACES.forEach(ns -> map.put(ns, new ArrayList<>()));
        policies.forEach(p -> map.get(p.getMetadata().getNamespace()).add(p));
        return map;
    }

    // ---- generators ----------------------------------------------------------------------

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<List<Pod>> pods = pod().list().ofMinSize(1).ofMaxSize(8).map(NeverWidensEgressProperties::uniqueNames);
        Arbitrary<List<NetworkPolicy>> policies = policy().list().ofMaxSize(6).map(NeverWidensEgressProperties::uniquePolicyNames);
        return Combinators.combine(pods, policies, Arbitraries.of(true, false)).as(Scenario::new);
    }

    private static List<Pod> uniqueNames(List<Pod> pods) {
        var out = new ArrayList<Pod>();
        for (int i = 0; i < pods.size(); i++) {
            Pod p = pods.get(i);
            out.add(new Pod(p.namespace(), "w" + i, p.labels(), p.hostNetwork()));
        }
        return out;
    }

    private static List<NetworkPolicy> uniquePolicyNames(List<NetworkPolicy> policies) {
        var seen = new HashSet<String>();
        return policies.stream().filter(p -> seen.add(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName()))
                .toList();
    }

    private Arbitrary<Map<String, String>> labels() {
        return Arbitraries.maps(Arbitraries.of(LABEL_KEYS), Arbitraries.of(LABEL_VALUES)).ofMaxSize(2);
    }

    private Arbitrary<Pod> pod() {
        return Combinators.combine(Arbitraries.of(NAMESPACES), labels(),
                        Arbitraries.integers().between(0, 9).map(i -> i == 0))
                .as((ns, labels, host) -> new Pod(ns, "w", labels, host));
    }

    private Arbitrary<LabelSelector> selector() {
        Arbitrary<LabelSelectorRequirement> expression = Combinators.combine(Arbitraries.of(LABEL_KEYS),
                        Arbitraries.of("In", "NotIn", "Exists", "DoesNotExist"),
                        Arbitraries.of(LABEL_VALUES).list().ofMinSize(1).ofMaxSize(2))
                .as((k, op, vals) -> new LabelSelectorRequirement(k, op,
                        op.equals("Exists") || op.equals("DoesNotExist") ? List.of() : vals));
        return Combinators.combine(labels(), expression.list().ofMaxSize(1))
                .as((ml, exprs) -> new LabelSelector(exprs.isEmpty() ? null : exprs, ml.isEmpty() ? null : ml));
    }

    private Arbitrary<NetworkPolicyPeer> peer() {
        Arbitrary<NetworkPolicyPeer> ipBlock = Combinators.combine(Arbitraries.of(CIDRS),
                        Arbitraries.of(EXCEPTS).list().uniqueElements().ofMaxSize(2))
                .as((cidr, except) -> {
                    var peer = new NetworkPolicyPeer();
                    boolean v6 = cidr.contains(":");
                    peer.setIpBlock(new IPBlock(cidr, except.stream().filter(e -> e.contains(":") == v6).toList()));
                    return peer;
                });
        Arbitrary<NetworkPolicyPeer> pods = selector().map(sel -> {
            var peer = new NetworkPolicyPeer();
            peer.setPodSelector(sel);
            return peer;
        });
        Arbitrary<NetworkPolicyPeer> namespaces = Arbitraries.just(0).map(x -> {
            var peer = new NetworkPolicyPeer();
            peer.setNamespaceSelector(new LabelSelector());
            return peer;
        });
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, ipBlock), net.jqwik.api.Tuple.of(2, pods), net.jqwik.api.Tuple.of(1, namespaces));
    }

    private Arbitrary<NetworkPolicyPort> port() {
        return Arbitraries.of(
                port("TCP", 80, null), port("TCP", 443, null), port("UDP", 53, null), port(null, 1, 1024),
                port("TCP", null, null), port("TCP", "http", null));
    }

    private static NetworkPolicyPort port(String protocol, Object port, Integer endPort) {
        var p = new NetworkPolicyPort();
        p.setProtocol(protocol);
        if (port instanceof Integer i) {
            p.setPort(new IntOrString(i));
        } else if (port instanceof String name) {
            p.setPort(new IntOrString(name));
        }
        p.setEndPort(endPort);
        return p;
    }

    private Arbitrary<NetworkPolicyEgressRule> egressRule() {
        return Combinators.combine(peer().list().ofMaxSize(2), port().list().ofMaxSize(2))
                .as((to, ports) -> {
                    var rule = new NetworkPolicyEgressRule();
                    rule.setTo(to.isEmpty() ? null : to);
                    rule.setPorts(ports.isEmpty() ? null : ports);
                    return rule;
                });
    }

    private Arbitrary<NetworkPolicy> policy() {
        Arbitrary<List<String>> types = Arbitraries.of(List.<String>of(), List.of("Ingress"), List.of("Egress"),
                List.of("Ingress", "Egress"));
        Arbitrary<String> name = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of("p1", "p2", "p3", "p4")),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(ImdsPolicyObjects.NETWORK_POLICY_NAME)));
        return Combinators.combine(Arbitraries.of(NAMESPACES), name, selector(), types,
                        egressRule().list().ofMaxSize(3), Arbitraries.integers().between(0, 2))
                .as((ns, n, sel, t, rules, managed) -> {
                    var p = new NetworkPolicyBuilder().withNewMetadata().withName(n).withNamespace(ns).endMetadata()
                            .withNewSpec().withPodSelector(sel).withPolicyTypes(t.isEmpty() ? null : t)
                            .withEgress(rules.isEmpty() ? null : rules).endSpec().build();
                    if (n.equals(ImdsPolicyObjects.NETWORK_POLICY_NAME) && managed > 0) {
                        // sometimes the monitor's own earlier policy, sometimes someone else's of that name
                        return ManagedObjects.convert(ImdsPolicyObjects.networkPolicy(ns, List.of()), NetworkPolicy.class);
                    }
                    return p;
                });
    }
}
