package dev.ekscm.checks.netpol;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Kubernetes NetworkPolicy egress semantics for the pods of one namespace and one destination.
 *
 * <ul>
 *   <li>A pod is isolated for egress iff at least one policy of its namespace selects it and
 *       affects Egress ({@link NetworkPolicies#affectsEgress}).</li>
 *   <li>An isolated pod may reach what the UNION of the egress rules of all selecting policies
 *       allows: one permissive policy makes restrictive ones moot; a selecting policy with no
 *       egress rules contributes nothing.</li>
 *   <li>A rule allows the destination when its {@code to} is empty or has an ipBlock whose cidr
 *       covers the address and whose {@code except} does not, and its {@code ports} are empty or
 *       include the port (number, range up to {@code endPort}, protocol defaulting to TCP).
 *       podSelector/namespaceSelector peers are pods, never an address outside the cluster.</li>
 *   <li>A named port cannot be resolved for an address outside the cluster; it counts as
 *       allowing the destination when a container of the pod itself declares that name with the
 *       destination's port (the cautious reading: when unsure, the address stays reachable).</li>
 * </ul>
 * Built once per namespace; {@link #evaluate} costs one selector match per egress policy of the
 * namespace.
 */
public final class EgressModel {

    public enum Reach {
        /** No policy selects the pod for Egress: all egress is allowed. */
        NOT_ISOLATED,
        /** Isolated, but an egress rule of a selecting policy allows the destination. */
        ALLOWED,
        /** Isolated and no rule of any selecting policy allows the destination. */
        BLOCKED
    }

    /** The answer for one pod template, with an explanation naming the policies and rule. */
    public record Verdict(Reach reach, String explanation, List<String> selectingPolicies) {
        public Verdict {
            selectingPolicies = List.copyOf(selectingPolicies);
        }

        public boolean reachable() {
            return reach != Reach.BLOCKED;
        }
    }

    private final Destination destination;
    private final List<CompiledPolicy> egressPolicies;

    public EgressModel(Collection<NetworkPolicy> namespacePolicies, Destination destination) {
        this.destination = destination;
        this.egressPolicies = namespacePolicies.stream()
                .filter(NetworkPolicies::affectsEgress)
                .sorted(Comparator.comparing(NetworkPolicies::name))
                .map(p -> compile(p, destination))
                .toList();
    }

    public Destination destination() {
        return destination;
    }

    /** True when some policy of the namespace isolates some pods for egress. */
    public boolean hasEgressPolicies() {
        return !egressPolicies.isEmpty();
    }

    /**
     * May pods with these labels (and these containers, for named ports) reach the destination?
     */
    public Verdict evaluate(Map<String, String> podLabels, List<Container> containers) {
        var selecting = egressPolicies.stream().filter(p -> LabelSelectors.matches(p.podSelector, podLabels)).toList();
        var names = selecting.stream().map(p -> p.name).toList();
        if (selecting.isEmpty()) {
            String why = egressPolicies.isEmpty()
                    ? "no NetworkPolicy in its namespace restricts egress"
                    : "no NetworkPolicy selects its pods for Egress (the egress policies of its namespace, "
                    + egressPolicies.stream().map(p -> p.name + " [podSelector " + p.selectorText + "]")
                    .collect(Collectors.joining(", ")) + ", do not match its pod labels)";
            return new Verdict(Reach.NOT_ISOLATED, why, names);
        }
        for (CompiledPolicy p : selecting) {
            for (CompiledRule r : p.rules) {
                Optional<String> portWhy = r.allowsPort(containers, destination);
                if (r.destinationWhy.isPresent() && portWhy.isPresent()) {
                    return new Verdict(Reach.ALLOWED, "NetworkPolicy " + p.name + " egress rule " + r.index
                            + " allows " + destination.describe() + " (to: " + r.destinationWhy.get() + "; ports: "
                            + portWhy.get() + ")", names);
                }
            }
        }
        int ruleCount = selecting.stream().mapToInt(p -> p.rules.size()).sum();
        boolean one = selecting.size() == 1;
        String policies = "NetworkPolicy " + String.join(", ", names) + (one ? " selects" : " select");
        String why = ruleCount == 0
                ? policies + " its pods for Egress with no egress rules (deny all egress)"
                : policies + " its pods for Egress and " + (ruleCount == 1 ? (one ? "its" : "their") + " only egress rule does not allow "
                : "none of " + (one ? "its " : "their ") + ruleCount + " egress rules allows ") + destination.describe();
        return new Verdict(Reach.BLOCKED, why, names);
    }

    private static CompiledPolicy compile(NetworkPolicy policy, Destination destination) {
        var spec = NetworkPolicies.spec(policy);
        var rules = new ArrayList<CompiledRule>();
        List<NetworkPolicyEgressRule> egress = spec.getEgress() == null ? List.of() : spec.getEgress();
        for (int i = 0; i < egress.size(); i++) {
            NetworkPolicyEgressRule rule = egress.get(i) == null ? new NetworkPolicyEgressRule() : egress.get(i);
            rules.add(new CompiledRule(i + 1, destinationCovered(rule.getTo(), destination),
                    rule.getPorts() == null ? List.of() : rule.getPorts()));
        }
        return new CompiledPolicy(NetworkPolicies.name(policy), spec.getPodSelector(),
                LabelSelectors.describe(spec.getPodSelector()), rules);
    }

    /** Why the rule's {@code to} includes the address, or empty when it does not. */
    static Optional<String> destinationCovered(List<NetworkPolicyPeer> to, Destination destination) {
        if (to == null || to.isEmpty()) {
            return Optional.of("any destination");
        }
        for (NetworkPolicyPeer peer : to) {
            if (peer == null || peer.getIpBlock() == null) {
                continue; // pods of the cluster, never the metadata address
            }
            Optional<Cidr> cidr = Cidr.parse(peer.getIpBlock().getCidr());
            if (cidr.isEmpty() || !cidr.get().covers(destination.address())) {
                continue;
            }
            List<String> except = peer.getIpBlock().getExcept() == null ? List.of() : peer.getIpBlock().getExcept();
            boolean excepted = except.stream().map(Cidr::parse).flatMap(Optional::stream)
                    .anyMatch(e -> e.covers(destination.address()));
            if (!excepted) {
                return Optional.of("ipBlock " + cidr.get() + (except.isEmpty() ? "" : " except " + except));
            }
        }
        return Optional.empty();
    }

    private record CompiledPolicy(String name, LabelSelector podSelector, String selectorText,
                                  List<CompiledRule> rules) {
    }

    private record CompiledRule(int index, Optional<String> destinationWhy, List<NetworkPolicyPort> ports) {

        /** Why the rule's ports include the destination's, or empty when they do not. */
        Optional<String> allowsPort(List<Container> containers, Destination destination) {
            if (ports.isEmpty()) {
                return Optional.of("all ports");
            }
            for (NetworkPolicyPort port : ports) {
                if (port == null) {
                    continue;
                }
                String protocol = port.getProtocol() == null ? "TCP" : port.getProtocol().toUpperCase(Locale.ROOT);
                if (!protocol.equals(destination.protocol())) {
                    continue;
                }
                IntOrString p = port.getPort();
                if (p == null || (p.getIntVal() == null && p.getStrVal() == null)) {
                    return Optional.of("all " + protocol + " ports");
                }
                Optional<Integer> number = p.getIntVal() != null ? Optional.of(p.getIntVal()) : numeric(p.getStrVal());
                if (number.isPresent()) {
                    int from = number.get();
                    int to = port.getEndPort() == null ? from : port.getEndPort();
                    if (from <= destination.port() && destination.port() <= to) {
                        return Optional.of(protocol + " " + (from == to ? String.valueOf(from) : from + "-" + to));
                    }
                    continue;
                }
                String name = p.getStrVal();
                if (declaresNamedPort(containers, name, protocol, destination.port())) {
                    return Optional.of(protocol + " named port '" + name + "' (a container of the pod declares '"
                            + name + "' as " + destination.port() + ")");
                }
            }
            return Optional.empty();
        }
    }

    private static Optional<Integer> numeric(String s) {
        if (s == null || s.isEmpty() || s.length() > 5 || !s.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(s));
    }

    private static boolean declaresNamedPort(List<Container> containers, String name, String protocol, int number) {
        for (Container c : containers) {
            if (c.getPorts() == null) {
                continue;
            }
            for (ContainerPort cp : c.getPorts()) {
                String cpProtocol = cp.getProtocol() == null ? "TCP" : cp.getProtocol().toUpperCase(Locale.ROOT);
                if (name.equals(cp.getName()) && cp.getContainerPort() != null && cp.getContainerPort() == number
                        && cpProtocol.equals(protocol)) {
                    return true;
                }
            }
        }
        return false;
    }
}
