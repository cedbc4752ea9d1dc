package dev.ekscm.remediation;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlockBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The objects {@code imds-network-policy} applies. Each allows what was allowed before except the
 * instance metadata addresses:
 * <ul>
 *   <li>Kubernetes: a NetworkPolicy selecting every pod of a namespace for Egress, allowing
 *       0.0.0.0/0 except 169.254.169.254/32 and ::/0 except fd00:ec2::254/128 on all ports, plus
 *       every pod of the cluster (some CNIs, e.g. Cilium, never match pod addresses with an
 *       ipBlock, so without that peer in-cluster traffic such as DNS could be cut). Only placed
 *       where no other policy isolates pods for Egress: there it only narrows.</li>
 *   <li>Calico: a Tier ordered ahead of the default tier (defaultAction Pass) holding one
 *       GlobalNetworkPolicy that denies egress to the metadata addresses and passes everything
 *       else on, so the Kubernetes and Calico policies of later tiers decide as before.</li>
 * </ul>
 */
public final class ImdsPolicyObjects {
    public static final String NETWORK_POLICY_NAME = "ekscm-block-instance-metadata";
    public static final String TIER_NAME = "ekscm-security";
    public static final String GLOBAL_POLICY_NAME = TIER_NAME + ".block-instance-metadata";
    public static final double DEFAULT_TIER_ORDER = 100;
    public static final String IMDS_V4 = "169.254.169.254/32";
    public static final String IMDS_V6 = "fd00:ec2::254/128";
    /** Calico adds this label to every namespace's profile; namespaceSelector matches it. */
    static final String CALICO_NAMESPACE_NAME_LABEL = "projectcalico.org/name";

    private ImdsPolicyObjects() {
    }

    public static GenericKubernetesResource networkPolicy(String namespace, List<String> findingKeys) {
        var policy = new NetworkPolicyBuilder()
                .withMetadata(meta(NETWORK_POLICY_NAME, namespace, findingKeys))
                .withNewSpec()
                .withPodSelector(new LabelSelector())
                .withPolicyTypes("Egress")
                .withEgress(
                        new NetworkPolicyEgressRuleBuilder().withTo(
                                new NetworkPolicyPeerBuilder().withIpBlock(new IPBlockBuilder()
                                        .withCidr("0.0.0.0/0").withExcept(IMDS_V4).build()).build(),
                                new NetworkPolicyPeerBuilder().withIpBlock(new IPBlockBuilder()
                                        .withCidr("::/0").withExcept(IMDS_V6).build()).build()).build(),
                        new NetworkPolicyEgressRuleBuilder().withTo(
                                new NetworkPolicyPeerBuilder().withNamespaceSelector(new LabelSelector()).build())
                                .build())
                .endSpec()
                .build();
        policy.setApiVersion("networking.k8s.io/v1");
        policy.setKind("NetworkPolicy");
        return ManagedObjects.toGeneric(policy);
    }

    public static GenericKubernetesResource tier(PolicyBackend backend, double order, List<String> findingKeys) {
        var spec = new LinkedHashMap<String, Object>();
        spec.put("order", number(order));
        spec.put("defaultAction", "Pass");
        return calico(backend, "Tier", meta(TIER_NAME, null, findingKeys), spec);
    }

    public static GenericKubernetesResource globalPolicy(PolicyBackend backend, double order,
                                                         Collection<String> excludedNamespaces,
                                                         List<String> findingKeys) {
        var spec = new LinkedHashMap<String, Object>();
        spec.put("tier", TIER_NAME);
        spec.put("order", number(order));
        spec.put("selector", "all()");
        spec.put("namespaceSelector", namespaceSelector(excludedNamespaces));
        spec.put("types", List.of("Egress"));
        spec.put("egress", List.of(
                Map.of("action", "Deny", "destination", Map.of("nets", List.of(IMDS_V4))),
                Map.of("action", "Deny", "destination", Map.of("nets", List.of(IMDS_V6))),
                Map.of("action", "Pass")));
        return calico(backend, "GlobalNetworkPolicy", meta(GLOBAL_POLICY_NAME, null, findingKeys), spec);
    }

    /** True for the kinds and names this remediation creates. */
    public static boolean isOwnName(io.fabric8.kubernetes.api.model.HasMetadata o) {
        String name = o.getMetadata() == null ? null : o.getMetadata().getName();
        return switch (String.valueOf(o.getKind())) {
            case "NetworkPolicy" -> NETWORK_POLICY_NAME.equals(name);
            case "Tier" -> TIER_NAME.equals(name);
            case "GlobalNetworkPolicy" -> GLOBAL_POLICY_NAME.equals(name);
            default -> false;
        };
    }

    /** {@code projectcalico.org/name not in {'a', 'b'}}, or {@code all()} when nothing is excluded. */
    static String namespaceSelector(Collection<String> excluded) {
        if (excluded.isEmpty()) {
            return "all()";
        }
        return CALICO_NAMESPACE_NAME_LABEL + " not in {" + new TreeSet<>(excluded).stream()
                .map(n -> "'" + n + "'").collect(Collectors.joining(", ")) + "}";
    }

    private static GenericKubernetesResource calico(PolicyBackend backend, String kind, ObjectMeta meta,
                                                    Map<String, Object> spec) {
        if (!backend.isCalico()) {
            throw new IllegalArgumentException(kind + " needs a Calico backend, not " + backend);
        }
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(backend.apiVersion())
                .withKind(kind)
                .withMetadata(meta)
                .withAdditionalProperties(Map.of("spec", spec))
                .build();
    }

    private static ObjectMeta meta(String name, String namespace, List<String> findingKeys) {
        var b = new ObjectMetaBuilder().withName(name).withNamespace(namespace)
                .withLabels(Map.of(ManagedObjects.MANAGED_BY_LABEL, ManagedObjects.MANAGED_BY));
        if (!findingKeys.isEmpty()) {
            b.withAnnotations(Map.of(ManagedObjects.FINDING_ANNOTATION, ManagedObjects.findingAnnotation(findingKeys)));
        }
        return b.build();
    }

    private static Number number(double d) {
        return d == Math.rint(d) && Math.abs(d) < Integer.MAX_VALUE ? (Number) (int) d : (Number) d;
    }
}
