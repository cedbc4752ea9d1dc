package dev.ekscm.checks.catalog;

import dev.ekscm.checks.Check;
import dev.ekscm.checks.CheckContext;
import dev.ekscm.checks.CheckMetadata;
import dev.ekscm.checks.Verdicts;
import dev.ekscm.checks.netpol.LabelSelectors;
import dev.ekscm.checks.netpol.NetworkPolicies;
import dev.ekscm.model.CheckResult;
import dev.ekscm.model.Input;
import dev.ekscm.model.ResourceRef;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Severity;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A workload namespace isolates every pod for ingress: some NetworkPolicy has an empty
 * podSelector and Ingress among its policyTypes (implied when policyTypes is absent), so only
 * what other policies allow gets in.
 */
public final class NamespacesDefaultDenyIngress implements Check {
    private static final CheckMetadata METADATA = CheckMetadata.builder("namespaces-default-deny-ingress")
            .withSeverity(Severity.MEDIUM)
            .withTitle("Workload namespaces deny ingress by default")
            .withRationale("Kubernetes allows all pod-to-pod traffic until a NetworkPolicy selects a pod for Ingress. "
                    + "A default-deny policy per namespace makes every new workload closed until its traffic is "
                    + "allowed on purpose, so one compromised pod cannot reach every service of the cluster.")
            .withRemediation("Apply in each workload namespace: `apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, "
                    + "metadata: {name: default-deny-ingress, namespace: <ns>}, spec: {podSelector: {}, policyTypes: "
                    + "[Ingress]}`, then add policies that allow the traffic each workload needs. With Calico, a "
                    + "GlobalNetworkPolicy can add a cluster-wide default deny, but this check reads the Kubernetes "
                    + "NetworkPolicy of each namespace.")
            .withSources("seed: network policies", "EKS Best Practices Guide: Network security (create a default deny policy)")
            .withScope(Scope.NETWORK_POLICIES)
            .withRequires(Input.K8S_NAMESPACES, Input.K8S_NETWORK_POLICIES)
            .build();

    @Override
    public CheckMetadata metadata() {
        return METADATA;
    }

    @Override
    public List<CheckResult> evaluate(CheckContext context) {
        var verdicts = new Verdicts(METADATA);
        for (var ns : context.judgedNamespaces()) {
            String name = ns.getMetadata().getName();
            ResourceRef ref = ResourceRef.of("Namespace", "", name);
            List<NetworkPolicy> policies = context.networkPoliciesIn(name);
            if (policies.isEmpty()) {
                verdicts.fail(ref, "namespace " + name + " has no NetworkPolicy: every pod in it accepts traffic from "
                        + "any pod of the cluster");
                continue;
            }
            var defaultDeny = policies.stream()
                    .filter(p -> NetworkPolicies.selectsAllPods(p) && NetworkPolicies.affectsIngress(p)).toList();
            var openers = defaultDeny.stream().filter(NamespacesDefaultDenyIngress::allowsAllIngress).toList();
            var closers = defaultDeny.stream().filter(p -> !allowsAllIngress(p)).toList();
            if (!openers.isEmpty()) {
                verdicts.fail(ref, "namespace " + name + ": NetworkPolicy " + names(openers) + " selects all pods and "
                        + "has an ingress rule with no from and no ports, which allows all ingress and undoes any default deny");
            } else if (!closers.isEmpty()) {
                NetworkPolicy p = closers.get(0);
                verdicts.pass(ref, "namespace " + name + ": NetworkPolicy " + NetworkPolicies.name(p)
                        + " selects all pods (podSelector {}) for Ingress"
                        + (NetworkPolicies.typesImplied(p) ? " (policyTypes absent: Kubernetes implies Ingress)" : ""),
                        "default-deny ingress: " + names(closers));
            } else {
                verdicts.fail(ref, "namespace " + name + " has no default-deny ingress NetworkPolicy (podSelector {} "
                        + "with Ingress in policyTypes): " + policies.stream().map(NamespacesDefaultDenyIngress::whyNot)
                        .collect(Collectors.joining("; ")));
            }
        }
        return verdicts.list();
    }

    /** An ingress rule with neither from nor ports admits everything. */
    private static boolean allowsAllIngress(NetworkPolicy p) {
        var spec = p.getSpec();
        if (spec == null || spec.getIngress() == null) {
            return false;
        }
        for (NetworkPolicyIngressRule r : spec.getIngress()) {
            if (r == null || ((r.getFrom() == null || r.getFrom().isEmpty()) && (r.getPorts() == null || r.getPorts().isEmpty()))) {
                return true;
            }
        }
        return false;
    }

    private static String whyNot(NetworkPolicy p) {
        var reasons = new ArrayList<String>();
        if (!NetworkPolicies.selectsAllPods(p)) {
            reasons.add("selects only pods matching " + LabelSelectors.describe(p.getSpec().getPodSelector()));
        }
        if (!NetworkPolicies.affectsIngress(p)) {
            reasons.add("has policyTypes " + p.getSpec().getPolicyTypes() + " without Ingress");
        }
        return NetworkPolicies.name(p) + " " + String.join(" and ", reasons);
    }

    private static String names(List<NetworkPolicy> policies) {
        return policies.stream().map(NetworkPolicies::name).collect(Collectors.joining(", "));
    }
}
