package dev.ekscm.checks.catalog;

import dev.ekscm.checks.Check;
import dev.ekscm.checks.CheckContext;
import dev.ekscm.checks.CheckMetadata;
import dev.ekscm.checks.Verdicts;
import dev.ekscm.checks.netpol.ClusterAgents;
import dev.ekscm.model.CheckResult;
import dev.ekscm.model.Input;
import dev.ekscm.model.ResourceRef;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Severity;

import java.util.List;

/**
 * Without a network-policy engine the API server accepts NetworkPolicies and nothing enforces
 * them: every other network check would judge paper.
 */
public final class NetworkPolicyEngineInstalled implements Check {
    private static final CheckMetadata METADATA = CheckMetadata.builder("network-policy-engine-installed")
            .withSeverity(Severity.HIGH)
            .withTitle("A network-policy engine enforces NetworkPolicies")
            .withRationale("The Amazon VPC CNI does not enforce Kubernetes NetworkPolicies unless its network policy "
                    + "agent is enabled; without an engine (VPC CNI network policy, Calico or Cilium) NetworkPolicy "
                    + "objects are stored and silently ignored, so pods can reach any pod, and the instance metadata "
                    + "endpoint, whatever the policies say.")
            .withRemediation("Enable network policy in the Amazon VPC CNI: `aws eks update-addon --cluster-name <cluster> "
                    + "--addon-name vpc-cni --configuration-values '{\"enableNetworkPolicy\":\"true\"}'` (self-managed "
                    + "aws-node: set `--enable-network-policy=true` in the args of the aws-eks-nodeagent container of "
                    + "DaemonSet kube-system/aws-node), or install Calico in policy-only mode (Tigera operator: "
                    + "DaemonSet calico-system/calico-node) or Cilium.")
            .withSources("EKS Best Practices Guide: Network security (network policy)", "seed: Calico",
                    "Amazon EKS User Guide: Limit pod traffic with Kubernetes network policies")
            .withScope(Scope.NETWORK_POLICIES)
            .withRequires(Input.K8S_WORKLOADS)
            .build();

    @Override
    public CheckMetadata metadata() {
        return METADATA;
    }

    @Override
    public List<CheckResult> evaluate(CheckContext context) {
        var verdicts = new Verdicts(METADATA);
        ResourceRef cluster = ResourceRef.cluster(context.clusterName());
        var search = ClusterAgents.findPolicyEngines(context.kubernetes().workloads());
        if (search.found()) {
            return verdicts.pass(cluster, "network-policy engine installed: " + String.join("; ", search.engines()),
                    String.join("; ", search.engines())).list();
        }
        String evidence = search.notes().isEmpty()
                ? "no calico-node or cilium DaemonSet and no aws-node DaemonSet in any namespace"
                : "no calico-node or cilium DaemonSet in any namespace; " + String.join("; ", search.notes());
        return verdicts.fail(cluster, METADATA.defaultSeverity(), "no network-policy engine: NetworkPolicies are not enforced ("
                + evidence + ")", evidence).list();
    }
}
