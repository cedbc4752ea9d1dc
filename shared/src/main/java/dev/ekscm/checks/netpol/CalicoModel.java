package dev.ekscm.checks.netpol;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * Calico egress semantics for the tiers evaluated BEFORE the default tier (where Kubernetes
 * NetworkPolicies live), for one destination.
 *
 * <p>Calico applies tiers by ascending {@code order} (no order = last; the default tier's order
 * is {@value #DEFAULT_TIER_ORDER}). In a tier, the policies that select the endpoint and apply
 * to egress are applied by ascending order, their rules in sequence: the first matching rule
 * decides — Allow (final), Deny (final), Pass (go to the next tier); Log goes on. When policies
 * of a tier select the endpoint and no rule matches, the tier's {@code defaultAction} applies
 * (Deny unless the Tier says Pass). A policy without {@code tier} (or tier {@code default})
 * is in the default tier and is not evaluated here; neither is one whose Tier object is missing
 * or ordered at or after the default tier.
 *
 * <p>Where a rule uses something the model cannot evaluate (a named port, a source constraint,
 * an HTTP match, an unparseable net) it is assumed to match for Allow and Pass and not to match
 * for Deny: when unsure, the destination stays reachable. Rule destinations given by selector,
 * namespaceSelector, serviceAccounts or services name cluster endpoints, never an address
 * outside the cluster (GlobalNetworkSets are not read). An unparseable policy selector selects
 * nothing, and {@link #notes()} says so.
 *
 * <p>Built once per run; global policies are few and evaluated per endpoint, namespaced ones
 * are indexed by namespace.
 */
public final class CalicoModel {
    public static final double DEFAULT_TIER_ORDER = 1_000_000;
    public static final String DEFAULT_TIER = "default";

    public enum Outcome { DENIED, ALLOWED, NO_VERDICT }

    /** The first tier decision for the endpoint, explained. */
    public record Verdict(Outcome outcome, String explanation) {
    }

    /**
     * A pod as Calico sees it: its labels (Calico adds {@code projectcalico.org/namespace},
     * {@code projectcalico.org/orchestrator} and {@code projectcalico.org/serviceaccount}) and
     * its namespace's labels (plus {@code projectcalico.org/name}).
     */
    public record Endpoint(String namespace, Map<String, String> podLabels, Map<String, String> namespaceLabels,
                           String serviceAccount) {
        Map<String, String> calicoLabels() {
            var labels = new HashMap<>(podLabels);
            labels.put("projectcalico.org/namespace", namespace);
            labels.put("projectcalico.org/orchestrator", "k8s");
            labels.put("projectcalico.org/serviceaccount", serviceAccount);
            return labels;
        }

        Map<String, String> calicoNamespaceLabels() {
            var labels = new HashMap<>(namespaceLabels);
            labels.put("projectcalico.org/name", namespace);
            labels.put("kubernetes.io/metadata.name", namespace);
            return labels;
        }
    }

    enum Match { MATCH, NO_MATCH, UNSURE }

    private final Destination destination;
    private final List<Tier> tiersAhead;
    /** Policies of tiers ahead of the default tier: global ones per tier, namespaced per tier and namespace. */
    private final Map<String, List<Policy>> globalByTier = new HashMap<>();
    private final Map<String, Map<String, List<Policy>>> namespacedByTier = new HashMap<>();
    /** Policies that are not evaluated (default tier, unknown or late tier), with the reason. */
    private final List<Ignored> ignoredGlobal = new ArrayList<>();
    private final Map<String, List<Ignored>> ignoredByNamespace = new HashMap<>();
    private final List<String> notes = new ArrayList<>();

    public CalicoModel(Collection<GenericKubernetesResource> tierObjects,
                       Collection<GenericKubernetesResource> policyObjects, Destination destination) {
        this.destination = destination;
        var tiers = new LinkedHashMap<String, Tier>();
        for (var t : tierObjects) {
            var spec = spec(t);
            tiers.put(name(t), new Tier(name(t), number(spec.get("order")),
                    "Pass".equalsIgnoreCase(string(spec.get("defaultAction")).orElse("Deny"))));
        }
        this.tiersAhead = tiers.values().stream()
                .filter(t -> t.order.isPresent() && t.order.getAsDouble() < DEFAULT_TIER_ORDER)
                .filter(t -> !t.name.equals(DEFAULT_TIER))
                .sorted(Comparator.comparingDouble((Tier t) -> t.order.getAsDouble()).thenComparing(t -> t.name))
                .toList();
        var aheadNames = tiersAhead.stream().map(t -> t.name).collect(Collectors.toSet());
        for (var o : policyObjects) {
            Policy p = compile(o, destination);
            p.selector.problem().ifPresent(why -> notes.add(p.label + ": selector not understood (" + why
                    + "); treated as selecting no pods"));
            p.namespaceSelector.problem().ifPresent(why -> notes.add(p.label + ": namespaceSelector not understood ("
                    + why + "); treated as selecting no namespace"));
            p.serviceAccountSelector.problem().ifPresent(why -> notes.add(p.label
                    + ": serviceAccountSelector not understood (" + why + "); treated as selecting no pods"));
            Optional<String> ignoredWhy = p.hostOnly ? Optional.of("applies to host endpoints only (doNotTrack/preDNAT)")
                    : p.tier.equals(DEFAULT_TIER) ? Optional.of("is in the default tier")
                    : !tiers.containsKey(p.tier) ? Optional.of("names tier '" + p.tier + "', which has no Tier object")
                    : !aheadNames.contains(p.tier) ? Optional.of("is in tier '" + p.tier + "', which is not ordered ahead of the default tier ("
                    + tiers.get(p.tier).order.stream().mapToObj(CalicoModel::orderText).findFirst().orElse("no order")
                    + " >= " + orderText(DEFAULT_TIER_ORDER) + ")")
                    : Optional.empty();
            if (ignoredWhy.isPresent()) {
                var ignored = new Ignored(p, ignoredWhy.get());
                if (p.namespace.isEmpty()) {
                    ignoredGlobal.add(ignored);
                } else {
                    ignoredByNamespace.computeIfAbsent(p.namespace.get(), k -> new ArrayList<>()).add(ignored);
                }
            } else if (p.namespace.isEmpty()) {
                globalByTier.computeIfAbsent(p.tier, k -> new ArrayList<>()).add(p);
            } else {
                namespacedByTier.computeIfAbsent(p.tier, k -> new HashMap<>())
                        .computeIfAbsent(p.namespace.get(), k -> new ArrayList<>()).add(p);
            }
        }
    }

    /** Selectors that could not be parsed, and similar caveats of the model. */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    /** True when some Calico policy of a tier ahead of the default tier may apply to some pod. */
    public boolean hasPoliciesAhead() {
        return !globalByTier.isEmpty() || !namespacedByTier.isEmpty();
    }

    /** Applies the tiers ahead of the default tier to egress from the endpoint to the destination. */
    public Verdict evaluate(Endpoint endpoint) {
        Map<String, String> labels = endpoint.calicoLabels();
        Map<String, String> nsLabels = endpoint.calicoNamespaceLabels();
        tiers:
        for (Tier tier : tiersAhead) {
            var applicable = new ArrayList<Policy>();
            for (Policy p : globalByTier.getOrDefault(tier.name, List.of())) {
                if (p.egress && p.selects(labels, nsLabels, endpoint)) {
                    applicable.add(p);
                }
            }
            for (Policy p : namespacedByTier.getOrDefault(tier.name, Map.of())
                    .getOrDefault(endpoint.namespace(), List.of())) {
                if (p.egress && p.selects(labels, nsLabels, endpoint)) {
                    applicable.add(p);
                }
            }
            if (applicable.isEmpty()) {
                continue;
            }
            applicable.sort(Comparator.comparingDouble((Policy p) -> p.order.orElse(Double.MAX_VALUE))
                    .thenComparing(p -> p.label));
            for (Policy p : applicable) {
                for (Rule r : p.rules) {
                    boolean decides = r.match == Match.MATCH || (r.match == Match.UNSURE && r.action != Action.DENY);
                    if (!decides) {
                        continue;
                    }
                    String where = p.label + " (tier " + tier.name + ", order " + orderText(tier.order.getAsDouble())
                            + ") egress rule " + r.index + " (" + r.text + ")";
                    switch (r.action) {
                        case ALLOW:
                            return new Verdict(Outcome.ALLOWED, where + " allows " + destination.describe()
                                    + (r.match == Match.UNSURE ? " (assumed: " + r.unsureWhy + ")" : ""));
                        case DENY:
                            return new Verdict(Outcome.DENIED, where + " denies " + destination.describe());
                        case PASS:
                            continue tiers;
                        default:
                            break; // Log: the next rule decides
                    }
                }
            }
            if (!tier.passByDefault) {
                return new Verdict(Outcome.DENIED, "tier " + tier.name + " (order " + orderText(tier.order.getAsDouble())
                        + ") denies " + destination.describe() + " by default: it selects the pods through "
                        + applicable.stream().map(p -> p.label).collect(Collectors.joining(", "))
                        + " and no rule matches");
            }
        }
        return new Verdict(Outcome.NO_VERDICT, "no Calico policy in a tier ahead of the default tier decides "
                + destination.describe());
    }

    /**
     * Calico policies that would deny the destination for this endpoint but are not evaluated
     * (default tier, missing or late tier), each with the reason: a FAIL message names them.
     */
    public List<String> ignoredDenials(Endpoint endpoint) {
        var candidates = new ArrayList<>(ignoredGlobal);
        candidates.addAll(ignoredByNamespace.getOrDefault(endpoint.namespace(), List.of()));
        if (candidates.isEmpty()) {
            return List.of();
        }
        Map<String, String> labels = endpoint.calicoLabels();
        Map<String, String> nsLabels = endpoint.calicoNamespaceLabels();
        return candidates.stream()
                .filter(i -> i.policy.egress && i.policy.selects(labels, nsLabels, endpoint))
                .filter(i -> i.policy.rules.stream().anyMatch(r -> r.action == Action.DENY && r.match == Match.MATCH))
                .map(i -> i.policy.label + " denies " + destination.describe() + " but " + i.why)
                .toList();
    }

    // ---------------------------------------------------------------- compilation

    private enum Action { ALLOW, DENY, PASS, LOG }

    private record Tier(String name, OptionalDouble order, boolean passByDefault) {
    }

    private record Ignored(Policy policy, String why) {
    }

    private record Rule(int index, Action action, Match match, String unsureWhy, String text) {
    }

    private record Policy(String label, Optional<String> namespace, String tier, Optional<Double> order,
                          CalicoSelector selector, CalicoSelector namespaceSelector,
                          CalicoSelector serviceAccountSelector, boolean egress, boolean hostOnly, List<Rule> rules) {

        boolean selects(Map<String, String> labels, Map<String, String> nsLabels, Endpoint endpoint) {
            if (namespace.isPresent() && !namespace.get().equals(endpoint.namespace())) {
                return false;
            }
            return selector.matches(labels) && namespaceSelector.matches(nsLabels)
                    && serviceAccountSelector.matches(Map.of("projectcalico.org/name", endpoint.serviceAccount()));
        }
    }

    private static Policy compile(GenericKubernetesResource o, Destination destination) {
        var spec = spec(o);
        boolean global = "GlobalNetworkPolicy".equals(o.getKind());
        Optional<String> namespace = global ? Optional.empty()
                : Optional.of(Optional.ofNullable(o.getMetadata().getNamespace()).filter(s -> !s.isBlank()).orElse("default"));
        String label = "Calico " + o.getKind() + " " + namespace.map(n -> n + "/").orElse("") + name(o);
        String tier = string(spec.get("tier")).filter(s -> !s.isBlank()).orElse(DEFAULT_TIER);
        var egressRules = list(spec.get("egress"));
        var types = list(spec.get("types")).stream().map(String::valueOf).toList();
        boolean egress = types.isEmpty() ? !egressRules.isEmpty() : types.stream().anyMatch("Egress"::equalsIgnoreCase);
        boolean hostOnly = Boolean.TRUE.equals(spec.get("doNotTrack")) || Boolean.TRUE.equals(spec.get("preDNAT"));
        var rules = new ArrayList<Rule>();
        for (int i = 0; i < egressRules.size(); i++) {
            rules.add(compileRule(i + 1, map(egressRules.get(i)), destination));
        }
        double order = number(spec.get("order")).orElse(Double.NaN);
        return new Policy(label, namespace, tier, Double.isNaN(order) ? Optional.empty() : Optional.of(order),
                CalicoSelector.parse(string(spec.get("selector")).orElse(null)),
                global ? CalicoSelector.parse(string(spec.get("namespaceSelector")).orElse(null)) : CalicoSelector.all(),
                CalicoSelector.parse(string(spec.get("serviceAccountSelector")).orElse(null)),
                egress, hostOnly, List.copyOf(rules));
    }

    private static Rule compileRule(int index, Map<String, Object> rule, Destination destination) {
        String actionText = string(rule.get("action")).orElse("");
        Action action = switch (actionText.toLowerCase(Locale.ROOT)) {
            case "allow" -> Action.ALLOW;
            case "deny" -> Action.DENY;
            case "pass" -> Action.PASS;
            default -> Action.LOG;
        };
        var unsure = new ArrayList<String>();
        Match match = match(rule, destination, unsure);
        return new Rule(index, action, match, String.join(", ", unsure), describe(actionText, rule));
    }

    /** Does the rule match traffic from the endpoint to the destination? */
    static Match match(Map<String, Object> rule, Destination destination, List<String> unsure) {
        int family = destination.address().isIpv4() ? 4 : 6;
        if (rule.get("ipVersion") != null && number(rule.get("ipVersion")).orElse(family) != family) {
            return Match.NO_MATCH;
        }
        if (rule.get("protocol") != null && !protocolMatches(rule.get("protocol"), destination)) {
            return Match.NO_MATCH;
        }
        if (rule.get("notProtocol") != null && protocolMatches(rule.get("notProtocol"), destination)) {
            return Match.NO_MATCH;
        }
        if (rule.get("icmp") != null) {
            return Match.NO_MATCH; // an ICMP match never matches TCP/UDP traffic
        }
        if (!map(rule.get("source")).isEmpty()) {
            unsure.add("source constraint");
        }
        if (!map(rule.get("http")).isEmpty()) {
            unsure.add("HTTP match");
        }
        var dest = map(rule.get("destination"));
        for (String endpointField : List.of("selector", "namespaceSelector", "serviceAccounts", "services")) {
            Object v = dest.get(endpointField);
            if (v != null && !(v instanceof String s && s.isBlank()) && !(v instanceof Map<?, ?> m && m.isEmpty())) {
                return Match.NO_MATCH; // names cluster endpoints, never the destination address
            }
        }
        var nets = list(dest.get("nets"));
        if (!nets.isEmpty()) {
            boolean covered = false;
            var unreadable = new ArrayList<String>();
            for (Object n : nets) {
                Optional<Cidr> cidr = Cidr.parse(String.valueOf(n));
                if (cidr.isEmpty()) {
                    unreadable.add("net '" + n + "' not understood");
                } else if (cidr.get().covers(destination.address())) {
                    covered = true;
                }
            }
            if (!covered && unreadable.isEmpty()) {
                return Match.NO_MATCH;
            }
            if (!covered) {
                unsure.addAll(unreadable);
            }
        }
        for (Object n : list(dest.get("notNets"))) {
            Optional<Cidr> cidr = Cidr.parse(String.valueOf(n));
            if (cidr.isPresent() && cidr.get().covers(destination.address())) {
                return Match.NO_MATCH;
            }
        }
        var ports = list(dest.get("ports"));
        if (!ports.isEmpty()) {
            Match portMatch = Match.NO_MATCH;
            for (Object p : ports) {
                Match m = portMatches(p, destination);
                if (m == Match.MATCH) {
                    portMatch = Match.MATCH;
                    break;
                }
                if (m == Match.UNSURE) {
                    portMatch = Match.UNSURE;
                    unsure.add("named port '" + p + "'");
                }
            }
            if (portMatch == Match.NO_MATCH) {
                return Match.NO_MATCH;
            }
        }
        for (Object p : list(dest.get("notPorts"))) {
            if (portMatches(p, destination) == Match.MATCH) {
                return Match.NO_MATCH;
            }
        }
        return unsure.isEmpty() ? Match.MATCH : Match.UNSURE;
    }

    private static boolean protocolMatches(Object protocol, Destination destination) {
        if (protocol instanceof Number n) {
            int wanted = switch (destination.protocol()) {
                case "TCP" -> 6;
                case "UDP" -> 17;
                case "SCTP" -> 132;
                default -> -1;
            };
            return n.intValue() == wanted;
        }
        String p = String.valueOf(protocol).trim();
        if (!p.isEmpty() && p.chars().allMatch(Character::isDigit)) {
            return protocolMatches(Integer.parseInt(p), destination);
        }
        return p.equalsIgnoreCase(destination.protocol());
    }

    /** A Calico port: a number, "80", a range "1024:65535", or a named port (UNSURE). */
    private static Match portMatches(Object port, Destination destination) {
        if (port instanceof Number n) {
            return n.intValue() == destination.port() ? Match.MATCH : Match.NO_MATCH;
        }
        String s = String.valueOf(port).trim();
        int colon = s.indexOf(':');
        String from = colon < 0 ? s : s.substring(0, colon);
        String to = colon < 0 ? s : s.substring(colon + 1);
        if (isDigits(from) && isDigits(to)) {
            int a = Integer.parseInt(from);
            int b = Integer.parseInt(to);
            return a <= destination.port() && destination.port() <= b ? Match.MATCH : Match.NO_MATCH;
        }
        return Match.UNSURE;
    }

    private static String describe(String action, Map<String, Object> rule) {
        var parts = new ArrayList<String>();
        parts.add(action.isBlank() ? "(no action)" : action);
        Optional.ofNullable(rule.get("protocol")).map(String::valueOf).ifPresent(parts::add);
        var dest = map(rule.get("destination"));
        if (!list(dest.get("nets")).isEmpty()) {
            parts.add("to " + list(dest.get("nets")));
        }
        if (!list(dest.get("notNets")).isEmpty()) {
            parts.add("not to " + list(dest.get("notNets")));
        }
        if (dest.get("selector") != null) {
            parts.add("to selector " + dest.get("selector"));
        }
        if (!list(dest.get("ports")).isEmpty()) {
            parts.add("ports " + list(dest.get("ports")));
        }
        if (parts.size() == 1) {
            parts.add("any destination");
        }
        return String.join(" ", parts);
    }

    // ---------------------------------------------------------------- generic object access

    private static boolean isDigits(String s) {
        return !s.isEmpty() && s.length() <= 5 && s.chars().allMatch(Character::isDigit);
    }

    private static String orderText(double order) {
        return order == Math.rint(order) ? String.valueOf((long) order) : String.valueOf(order);
    }

    private static String name(GenericKubernetesResource o) {
        return o.getMetadata() == null ? "(unnamed)" : String.valueOf(o.getMetadata().getName());
    }

    static Map<String, Object> spec(GenericKubernetesResource o) {
        return map(o.getAdditionalProperties().get("spec"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return o instanceof List<?> l ? (List<Object>) l : List.of();
    }

    private static Optional<String> string(Object o) {
        return o instanceof String s ? Optional.of(s) : Optional.empty();
    }

    private static OptionalDouble number(Object o) {
        if (o instanceof Number n) {
            return OptionalDouble.of(n.doubleValue());
        }
        if (o instanceof String s) {
            try {
                return OptionalDouble.of(Double.parseDouble(s.trim()));
            } catch (NumberFormatException e) {
                return OptionalDouble.empty();
            }
        }
        return OptionalDouble.empty();
    }
}
