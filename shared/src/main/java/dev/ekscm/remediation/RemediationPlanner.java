package dev.ekscm.remediation;

import dev.ekscm.checks.Check;
import dev.ekscm.checks.CheckCatalog;
import dev.ekscm.checks.CheckConfig;
import dev.ekscm.checks.Evaluator;
import dev.ekscm.checks.netpol.NetworkPolicies;
import dev.ekscm.model.CheckResult;
import dev.ekscm.model.ClusterId;
import dev.ekscm.model.ClusterSnapshot;
import dev.ekscm.model.Input;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Status;
import dev.ekscm.model.aws.Ec2Instance;
import dev.ekscm.model.aws.MetadataOptions;
import dev.ekscm.model.aws.Nodegroup;
import dev.ekscm.model.k8s.Workload;
import dev.ekscm.remediation.PlannedAction.ApplyObject;
import dev.ekscm.remediation.PlannedAction.Manual;
import dev.ekscm.remediation.PlannedAction.ModifyInstanceMetadata;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Computes what the remediations would do to a cluster, from a snapshot and the results of the
 * checks they fix. Pure: no API calls (the live {@link Remediator} re-checks what matters again
 * right before acting). Plans every remediation, whatever the policy enables; the policy only
 * travels with the plan.
 *
 * <p>The rule that holds everything together: a remediation never widens what a pod may reach.
 * Where adding a policy could (an existing NetworkPolicy already isolates pods for Egress, and
 * egress allowed by any selecting policy is allowed), or where it would cut off a workload that
 * is exempt from the check, the plan says "manual" and why instead.
 */
public final class RemediationPlanner {
    public static final String IMDS_CHECK = RemediationId.IMDS_NETWORK_POLICY.checkId();
    public static final String HOP_LIMIT_CHECK = RemediationId.IMDS_HOP_LIMIT.checkId();
    /** What {@code imds-hop-limit} sets: IMDSv2 only, hop limit 1, endpoint left enabled. */
    public static final MetadataOptions HOP_LIMIT_TARGET = MetadataOptions.of("required", 1, "enabled");

    private final CheckConfig config;

    public RemediationPlanner(CheckConfig config) {
        this.config = config;
    }

    /**
     * A preview from files or a snapshot alone: the policy from the snapshot's cluster tags (none
     * in a manifests-only scan: "not opted in"), Calico inferred from the manifests, and the two
     * target checks evaluated here with the built-in catalog.
     */
    public static RemediationPlan preview(ClusterSnapshot snapshot, CheckConfig config, boolean switchOn) {
        var policy = RemediationPolicy.fromTags(snapshot.clusterTags(), switchOn);
        return new RemediationPlanner(config).plan(snapshot, policy, targetResults(snapshot, config),
                PolicyBackend.inferFrom(snapshot));
    }

    /**
     * The results of the checks the remediations fix, evaluated over the snapshot with the
     * built-in catalog (a check missing from it yields no results, so nothing is planned for it).
     */
    public static List<CheckResult> targetResults(ClusterSnapshot snapshot, CheckConfig config) {
        var catalog = CheckCatalog.builtIn();
        List<Check> checks = List.of(RemediationId.values()).stream()
                .map(r -> catalog.byId(r.checkId())).flatMap(Optional::stream).toList();
        return new Evaluator(checks, config).evaluate(snapshot, Scope.all()).results();
    }

    public RemediationPlan plan(ClusterSnapshot snapshot, RemediationPolicy policy, List<CheckResult> results,
                                PolicyBackend backend) {
        var actions = new ArrayList<PlannedAction>();
        var notes = new ArrayList<String>();
        Map<String, CheckResult> byKey = results.stream()
                .collect(Collectors.toMap(CheckResult::findingKey, r -> r, (a, b) -> a));
        planNetworkPolicy(snapshot, byKey, backend, actions, notes);
        planHopLimit(snapshot, byKey, actions, notes);
        return new RemediationPlan(snapshot.cluster(), policy, backend, actions, notes, snapshot.available());
    }

    // ---- imds-network-policy -------------------------------------------------------------

    /** The workloads of one judged namespace, split by what the check said about them. */
    private record NamespaceFindings(String namespace, List<Workload> failing, List<Workload> exempt,
                                     List<Workload> hostNetworkFailing) {
    }

    private void planNetworkPolicy(ClusterSnapshot snapshot, Map<String, CheckResult> results, PolicyBackend backend,
                                   List<PlannedAction> actions, List<String> notes) {
        RemediationId id = RemediationId.IMDS_NETWORK_POLICY;
        if (!snapshot.has(Input.K8S_WORKLOADS)) {
            notes.add(id.id() + ": workloads were not collected: nothing planned");
            return;
        }
        if (!backend.isCalico() && !snapshot.has(Input.K8S_NETWORK_POLICIES)) {
            notes.add(id.id() + ": NetworkPolicies were not collected, so whether a new policy would widen egress "
                    + "cannot be told: nothing planned");
            return;
        }
        var byNamespace = new TreeMap<String, NamespaceFindings>();
        for (Workload w : snapshot.kubernetes().workloads()) {
            if (config.isExcludedNamespace(w.namespace())) {
                continue;
            }
            var f = byNamespace.computeIfAbsent(w.namespace(),
                    ns -> new NamespaceFindings(ns, new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
            Optional<Status> status = Optional.ofNullable(results.get(key(IMDS_CHECK, w))).map(CheckResult::status);
            if (w.hostNetwork()) {
                if (status.filter(s -> s == Status.FAIL).isPresent()) {
                    f.hostNetworkFailing().add(w);
                }
            } else if (status.filter(s -> s == Status.FAIL).isPresent()) {
                f.failing().add(w);
            } else if (status.filter(s -> s == Status.EXEMPT).isPresent()) {
                f.exempt().add(w);
            }
        }
        for (NamespaceFindings f : byNamespace.values()) {
            for (Workload w : f.hostNetworkFailing()) {
                actions.add(new Manual(id, List.of(key(IMDS_CHECK, w)), w.ref().key(),
                        "its pods use the host network: NetworkPolicies and Calico workload policies do not apply to "
                                + "them, and IMDSv2 tokens reach them at hop limit 1, so no remediation protects them",
                        Optional.of("remove hostNetwork: true from " + w.ref().key() + " and give it AWS access through "
                                + "IRSA or EKS Pod Identity; if it must stay on the host network, exempt it with "
                                + "annotation ekscm.dev/exempt: " + IMDS_CHECK + " and a reason")));
            }
        }
        if (backend.isCalico()) {
            planCalico(snapshot, byNamespace, backend, actions, notes);
        } else {
            planKubernetes(snapshot, byNamespace, actions);
        }
    }

    private void planKubernetes(ClusterSnapshot snapshot, TreeMap<String, NamespaceFindings> byNamespace,
                                List<PlannedAction> actions) {
        RemediationId id = RemediationId.IMDS_NETWORK_POLICY;
        Map<String, List<NetworkPolicy>> policies = snapshot.kubernetes().networkPolicies().stream()
                .collect(Collectors.groupingBy(p -> namespaceOf(p), TreeMap::new, Collectors.toList()));
        var namespaces = new TreeSet<>(byNamespace.keySet());
        policies.forEach((ns, list) -> {
            if (!config.isExcludedNamespace(ns) && list.stream().anyMatch(RemediationPlanner::isOurNetworkPolicy)) {
                namespaces.add(ns);
            }
        });
        for (String ns : namespaces) {
            var f = byNamespace.getOrDefault(ns, new NamespaceFindings(ns, List.of(), List.of(), List.of()));
            List<NetworkPolicy> existing = policies.getOrDefault(ns, List.of());
            Optional<NetworkPolicy> ours = existing.stream().filter(RemediationPlanner::isOurNetworkPolicy).findFirst();
            if (f.failing().isEmpty() && ours.isEmpty()) {
                continue;
            }
            List<String> keys = f.failing().stream().map(w -> key(IMDS_CHECK, w)).toList();
            String target = "NetworkPolicy/" + ns + "/" + ImdsPolicyObjects.NETWORK_POLICY_NAME;
            Optional<NetworkPolicy> squatter = existing.stream()
                    .filter(p -> ImdsPolicyObjects.NETWORK_POLICY_NAME.equals(NetworkPolicies.name(p)))
                    .filter(p -> !ManagedObjects.isManaged(p)).findFirst();
            if (squatter.isPresent()) {
                actions.add(new Manual(id, keys, target, "a NetworkPolicy named "
                        + ImdsPolicyObjects.NETWORK_POLICY_NAME + " exists in " + ns + " without label "
                        + ManagedObjects.MANAGED_BY_LABEL + "=" + ManagedObjects.MANAGED_BY
                        + ": it is not the monitor's, so it is left alone",
                        Optional.of("rename or remove that policy, or block 169.254.169.254 in it yourself")));
                continue;
            }
            List<String> egress = existing.stream().filter(p -> !isOurNetworkPolicy(p))
                    .filter(NetworkPolicies::affectsEgress).map(NetworkPolicies::name).sorted().toList();
            if (!egress.isEmpty()) {
                actions.add(new Manual(id, keys, target, widensReason(ns, egress, ours.isPresent()),
                        Optional.of(widensInstruction(ns, egress, ours.isPresent()))));
                continue;
            }
            if (!f.exempt().isEmpty()) {
                actions.add(new Manual(id, keys, target, exemptReason(ns, f.exempt(), ours.isPresent()),
                        Optional.of("select the other pods yourself with a NetworkPolicy whose podSelector leaves out "
                                + "the exempt workload's pods, allowing 0.0.0.0/0 except " + ImdsPolicyObjects.IMDS_V4
                                + " and ::/0 except " + ImdsPolicyObjects.IMDS_V6)));
                continue;
            }
            actions.add(new ApplyObject(id, keys, ImdsPolicyObjects.networkPolicy(ns, keys)));
        }
    }

    static String widensReason(String ns, List<String> egressPolicies, boolean oursPresent) {
        String names = egressPolicies.stream().map(n -> ns + "/" + n).collect(Collectors.joining(", "));
        String base = "NetworkPolicy " + names + (egressPolicies.size() == 1 ? " selects" : " select")
                + " pods for Egress; egress that any selecting policy allows is allowed, so "
                + ImdsPolicyObjects.NETWORK_POLICY_NAME + " (all egress except the metadata address) would widen what "
                + "those pods may reach";
        return oursPresent ? base + ". " + ImdsPolicyObjects.NETWORK_POLICY_NAME + ", applied earlier by the monitor, "
                + "does so now: it was applied before that policy appeared" : base;
    }

    static String widensInstruction(String ns, List<String> egressPolicies, boolean oursPresent) {
        String s = "make sure no egress rule of " + String.join(", ", egressPolicies) + " allows 169.254.169.254 "
                + "(an ipBlock that covers it needs except: [" + ImdsPolicyObjects.IMDS_V4 + "]), and give the pods "
                + "that no policy selects for Egress a policy of your own that allows all but the metadata address";
        return oursPresent ? "remove the monitor's policy (ekscm remediation undo, or kubectl -n " + ns
                + " delete networkpolicy " + ImdsPolicyObjects.NETWORK_POLICY_NAME + "), then " + s : s;
    }

    private static String exemptReason(String ns, List<Workload> exempt, boolean oursPresent) {
        String names = exempt.stream().map(w -> w.ref().key()).collect(Collectors.joining(", "));
        return names + (exempt.size() == 1 ? " is" : " are") + " exempt from " + IMDS_CHECK + ": a policy for every "
                + "pod of " + ns + " would cut " + (exempt.size() == 1 ? "it" : "them") + " off from the metadata "
                + "endpoint" + (oursPresent ? " (the monitor's earlier " + ImdsPolicyObjects.NETWORK_POLICY_NAME
                + " already does: remove it with ekscm remediation undo)" : "");
    }

    private void planCalico(ClusterSnapshot snapshot, TreeMap<String, NamespaceFindings> byNamespace,
                            PolicyBackend backend, List<PlannedAction> actions, List<String> notes) {
        RemediationId id = RemediationId.IMDS_NETWORK_POLICY;
        var k8s = snapshot.kubernetes();
        var excluded = new TreeSet<String>();
        excluded.addAll(config.systemNamespaces());
        excluded.addAll(config.excludedNamespaces());
        var keys = new ArrayList<String>();
        for (NamespaceFindings f : byNamespace.values()) {
            List<String> nsKeys = f.failing().stream().map(w -> key(IMDS_CHECK, w)).toList();
            if (!f.exempt().isEmpty()) {
                excluded.add(f.namespace());
                if (!nsKeys.isEmpty()) {
                    actions.add(new Manual(id, nsKeys, "Namespace/" + f.namespace(),
                            exemptReason(f.namespace(), f.exempt(), false) + "; the namespace is left out of "
                                    + ImdsPolicyObjects.GLOBAL_POLICY_NAME,
                            Optional.of("deny egress to " + ImdsPolicyObjects.IMDS_V4 + " for the other pods of "
                                    + f.namespace() + " with a Calico NetworkPolicy in tier " + ImdsPolicyObjects.TIER_NAME
                                    + " whose selector leaves out the exempt workload's pods")));
                }
            } else {
                keys.addAll(nsKeys);
            }
        }
        Optional<GenericKubernetesResource> tier = named(k8s.calicoTiers(), ImdsPolicyObjects.TIER_NAME);
        Optional<GenericKubernetesResource> policy = named(k8s.calicoPolicies(), ImdsPolicyObjects.GLOBAL_POLICY_NAME);
        if (keys.isEmpty() && policy.filter(ManagedObjects::isManaged).isEmpty()) {
            return;
        }
        for (var existing : List.of(tier, policy)) {
            if (existing.isPresent() && !ManagedObjects.isManaged(existing.get())) {
                HasMetadata o = existing.get();
                actions.add(new Manual(id, keys, PlannedAction.targetOf(o), o.getKind() + " " + o.getMetadata().getName()
                        + " exists without label " + ManagedObjects.MANAGED_BY_LABEL + "=" + ManagedObjects.MANAGED_BY
                        + ": it is not the monitor's, so it is left alone",
                        Optional.of("rename or remove it, or add the metadata deny to it yourself")));
                return;
            }
        }
        double order = tierOrder(k8s.calicoTiers(), notes);
        actions.add(new ApplyObject(id, keys, ImdsPolicyObjects.tier(backend, order, keys)));
        actions.add(new ApplyObject(id, keys, ImdsPolicyObjects.globalPolicy(backend, order, excluded, keys)));
        if (!snapshot.has(Input.K8S_CALICO_POLICIES)) {
            notes.add(id.id() + ": Calico tiers were not collected; tier order " + ImdsPolicyObjects.DEFAULT_TIER_ORDER
                    + " assumed to be ahead of every other tier");
        }
    }

    /**
     * Ahead of every other tier: a Deny that comes first narrows and a Pass defers, so being first
     * never widens, while a tier ahead of ours that Allows the address would make ours moot.
     */
    static double tierOrder(List<GenericKubernetesResource> tiers, List<String> notes) {
        OptionalDouble lowest = tiers.stream()
                .filter(t -> !ImdsPolicyObjects.TIER_NAME.equals(t.getMetadata().getName()))
                .map(RemediationPlanner::orderOf).flatMap(Optional::stream)
                .mapToDouble(Double::doubleValue).min();
        if (lowest.isEmpty() || lowest.getAsDouble() > ImdsPolicyObjects.DEFAULT_TIER_ORDER) {
            return ImdsPolicyObjects.DEFAULT_TIER_ORDER;
        }
        double order = lowest.getAsDouble() / 2;
        if (order <= 0) {
            notes.add("imds-network-policy: a Calico tier has order " + lowest.getAsDouble() + "; tier "
                    + ImdsPolicyObjects.TIER_NAME + " cannot be placed ahead of it, and an Allow there would win");
            return 0;
        }
        return order;
    }

    private static Optional<Double> orderOf(GenericKubernetesResource tier) {
        Object spec = tier.getAdditionalProperties().get("spec");
        if (spec instanceof Map<?, ?> m && m.get("order") instanceof Number n) {
            return Optional.of(n.doubleValue());
        }
        return Optional.empty();
    }

    private static Optional<GenericKubernetesResource> named(List<GenericKubernetesResource> objects, String name) {
        return objects.stream().filter(o -> o.getMetadata() != null && name.equals(o.getMetadata().getName()))
                .findFirst();
    }

    static boolean isOurNetworkPolicy(NetworkPolicy p) {
        return ImdsPolicyObjects.NETWORK_POLICY_NAME.equals(NetworkPolicies.name(p)) && ManagedObjects.isManaged(p);
    }

    private static String namespaceOf(NetworkPolicy p) {
        String ns = p.getMetadata() == null ? null : p.getMetadata().getNamespace();
        return ns == null || ns.isBlank() ? "default" : ns;
    }

    // ---- imds-hop-limit ------------------------------------------------------------------

    private void planHopLimit(ClusterSnapshot snapshot, Map<String, CheckResult> results,
                              List<PlannedAction> actions, List<String> notes) {
        RemediationId id = RemediationId.IMDS_HOP_LIMIT;
        if (!snapshot.has(Input.INSTANCES)) {
            notes.add(id.id() + ": node instances were not collected (no EC2 data): nothing planned");
            return;
        }
        ClusterId cluster = snapshot.cluster();
        for (Ec2Instance instance : snapshot.aws().instances()) {
            if (!instance.isRunning()) {
                continue;
            }
            if (!NodeOwnership.belongsTo(instance.tags(), cluster.name())) {
                notes.add(id.id() + ": instance " + instance.instanceId() + " is not tagged as a node of cluster "
                        + cluster.name() + " (eks:cluster-name, aws:eks:cluster-name or kubernetes.io/cluster/"
                        + cluster.name() + "): left alone");
                continue;
            }
            String key = HOP_LIMIT_CHECK + "#Instance/" + instance.instanceId();
            CheckResult r = results.get(key);
            if (r != null && r.status() == Status.EXEMPT) {
                notes.add(id.id() + ": instance " + instance.instanceId() + " is exempt from " + HOP_LIMIT_CHECK
                        + ": left alone");
                continue;
            }
            if (instance.metadataOptions().blocksPods()) {
                continue;
            }
            actions.add(new ModifyInstanceMetadata(id, List.of(key), instance.instanceId(),
                    instance.metadataOptions(), HOP_LIMIT_TARGET));
        }
        planLaunchTemplates(snapshot, results, actions);
    }

    /** Launch templates are reported with the exact change, never changed: a new version rolls the nodes. */
    private void planLaunchTemplates(ClusterSnapshot snapshot, Map<String, CheckResult> results,
                                     List<PlannedAction> actions) {
        ClusterId cluster = snapshot.cluster();
        String region = ClusterId.UNKNOWN.equals(cluster.region()) ? "" : " --region " + cluster.region();
        Map<String, String> templateNames = new HashMap<>();
        snapshot.aws().launchTemplateVersions()
                .forEach(v -> templateNames.putIfAbsent(v.launchTemplateId(), v.launchTemplateName()));
        Function<String, List<String>> nodegroupsOf = ltId -> snapshot.aws().nodegroups().stream()
                .filter(ng -> ng.launchTemplate().map(ref -> ref.id().map(ltId::equals)
                        .orElseGet(() -> ref.name().map(n -> n.equals(templateNames.get(ltId))).orElse(false)))
                        .orElse(false))
                .map(Nodegroup::name).sorted().toList();
        results.values().stream()
                .filter(r -> r.checkId().equals(HOP_LIMIT_CHECK) && r.status() == Status.FAIL)
                .filter(r -> r.resource().kind().equals("LaunchTemplate"))
                .sorted((a, b) -> a.resource().compareTo(b.resource()))
                .forEach(r -> {
                    String name = r.resource().name();
                    int colon = name.lastIndexOf(':');
                    String ltId = colon > 0 ? name.substring(0, colon) : name;
                    String version = colon > 0 ? name.substring(colon + 1) : "$Default";
                    var instruction = new StringBuilder("aws ec2 create-launch-template-version" + region
                            + " --launch-template-id " + ltId + " --source-version " + version
                            + " --launch-template-data '{\"MetadataOptions\":{\"HttpTokens\":\"required\","
                            + "\"HttpPutResponseHopLimit\":1}}'");
                    for (String ng : nodegroupsOf.apply(ltId)) {
                        instruction.append(", then aws eks update-nodegroup-version").append(region)
                                .append(" --cluster-name ").append(cluster.name()).append(" --nodegroup-name ")
                                .append(ng).append(" --launch-template id=").append(ltId)
                                .append(",version=<the new version>");
                    }
                    actions.add(new Manual(RemediationId.IMDS_HOP_LIMIT, List.of(r.findingKey()),
                            r.resource().key(), "launch templates are reported, not changed: a new version only takes "
                            + "effect when the nodegroup rolls its nodes, which the monitor never starts",
                            Optional.of(instruction.toString())));
                });
    }

    private static String key(String checkId, Workload w) {
        return checkId + "#" + w.ref().key();
    }
}
