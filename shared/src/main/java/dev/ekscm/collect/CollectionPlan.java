package dev.ekscm.collect;

import dev.ekscm.checks.Check;
import dev.ekscm.model.Input;
import dev.ekscm.model.Scope;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * What a live collection fetches: the inputs the selected checks require, plus the inputs those
 * depend on to be found at all (node subnets come from the nodegroups and instances, the ECR
 * repositories from the workloads' images...). Nothing else: a recheck whose checks need only
 * AWS inputs makes no Kubernetes call.
 *
 * @param requested the inputs the checks require
 */
public record CollectionPlan(Set<Input> requested) {

    /** Inputs without which another input cannot be located. */
    static final Map<Input, Set<Input>> PREREQUISITES = Map.of(
            Input.SUBNETS, EnumSet.of(Input.NODEGROUPS, Input.INSTANCES),
            Input.ROUTE_TABLES, EnumSet.of(Input.EKS_CLUSTER),
            Input.NAT_GATEWAYS, EnumSet.of(Input.EKS_CLUSTER),
            Input.SECURITY_GROUPS, EnumSet.of(Input.EKS_CLUSTER, Input.INSTANCES),
            Input.LAUNCH_TEMPLATES, EnumSet.of(Input.NODEGROUPS),
            Input.ECR_REPOSITORIES, EnumSet.of(Input.K8S_WORKLOADS));

    /**
     * Inputs that checks of a scope consult when present (beyond what they require), so that a live
     * run collects them: launch templates for the node IMDS verdict, node instances and Calico
     * policies for metadata reachability, NAT gateways for egress. CollectionPlanTest holds this
     * table against the Input constants each check class refers to.
     */
    static final Map<Scope, Set<Input>> CONSULTED = Map.of(
            Scope.NODES, EnumSet.of(Input.LAUNCH_TEMPLATES),
            Scope.NETWORK_TOPOLOGY, EnumSet.of(Input.INSTANCES, Input.NAT_GATEWAYS),
            Scope.SECURITY_GROUPS, EnumSet.of(Input.EKS_CLUSTER, Input.INSTANCES, Input.NODEGROUPS),
            Scope.NETWORK_POLICIES, EnumSet.of(Input.K8S_CALICO_POLICIES, Input.INSTANCES));

    public CollectionPlan {
        requested = requested.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(requested));
    }

    public static CollectionPlan of(Input... inputs) {
        return new CollectionPlan(inputs.length == 0 ? Set.of() : EnumSet.of(inputs[0], inputs));
    }

    public static CollectionPlan everything() {
        return new CollectionPlan(EnumSet.allOf(Input.class));
    }

    /** The union of what the given checks require and consult. */
    public static CollectionPlan forChecks(Collection<? extends Check> checks) {
        var inputs = EnumSet.noneOf(Input.class);
        checks.forEach(c -> {
            inputs.addAll(c.metadata().requires());
            inputs.addAll(CONSULTED.getOrDefault(c.metadata().scope(), Set.of()));
        });
        return new CollectionPlan(inputs);
    }

    /** What the checks of the given scopes require (a recheck triggered by a change event). */
    public static CollectionPlan forScopes(Collection<? extends Check> catalog, Set<Scope> scopes) {
        return forChecks(catalog.stream().filter(c -> scopes.contains(c.metadata().scope())).toList());
    }

    /** Requested inputs and their prerequisites, closed transitively. */
    public Set<Input> toFetch() {
        var all = EnumSet.noneOf(Input.class);
        var pending = new java.util.ArrayDeque<>(requested);
        while (!pending.isEmpty()) {
            Input next = pending.pop();
            if (all.add(next)) {
                pending.addAll(PREREQUISITES.getOrDefault(next, Set.of()));
            }
        }
        return all;
    }

    public boolean fetches(Input input) {
        return toFetch().contains(input);
    }

    public boolean needsKubernetes() {
        return toFetch().stream().anyMatch(Input::isKubernetes);
    }

    public boolean needsAws() {
        return toFetch().stream().anyMatch(i -> !i.isKubernetes());
    }

    public Set<Input> kubernetesInputs() {
        var k = EnumSet.noneOf(Input.class);
        toFetch().stream().filter(Input::isKubernetes).forEach(k::add);
        return k;
    }

    public Set<Input> awsInputs() {
        var a = EnumSet.noneOf(Input.class);
        toFetch().stream().filter(i -> !i.isKubernetes()).forEach(a::add);
        return a;
    }

    /** Only the Kubernetes part of this plan (a scan through a kube context of a non-EKS cluster). */
    public CollectionPlan kubernetesOnly() {
        return new CollectionPlan(kubernetesInputs());
    }
}
