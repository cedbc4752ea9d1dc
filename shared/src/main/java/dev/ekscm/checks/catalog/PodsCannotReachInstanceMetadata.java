package dev.ekscm.checks.catalog;

import dev.ekscm.checks.Check;
import dev.ekscm.checks.CheckContext;
import dev.ekscm.checks.CheckMetadata;
import dev.ekscm.checks.Verdicts;
import dev.ekscm.checks.netpol.CalicoModel;
import dev.ekscm.checks.netpol.ClusterAgents;
import dev.ekscm.checks.netpol.Destination;
import dev.ekscm.checks.netpol.EgressModel;
import dev.ekscm.model.CheckResult;
import dev.ekscm.model.Input;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Severity;
import dev.ekscm.model.aws.Ec2Instance;
import dev.ekscm.model.k8s.Workload;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * DESIGN 4.1: may a workload's pods reach the instance metadata endpoint (and with it the node
 * role's credentials)? A pod off the host network is protected when the first of these holds:
 * (1) a Calico deny in a tier ahead of the default tier, (2) Kubernetes NetworkPolicies that
 * isolate it for egress without allowing TCP 80 to 169.254.169.254, (3) every node requires
 * IMDSv2 with hop limit 1, (4) a kube2iam/kiam agent on every node. A hostNetwork pod is the node
 * as far as IMDS is concerned: policies do not apply to it and IMDSv2 tokens work at hop 1, so it
 * fails unless the endpoint is disabled on every node.
 */
public final class PodsCannotReachInstanceMetadata implements Check {
    private static final Destination IMDS = Destination.INSTANCE_METADATA;

    private static final CheckMetadata METADATA = CheckMetadata.builder("pods-cannot-reach-instance-metadata")
            .withSeverity(Severity.HIGH)
            .withTitle("Pods cannot reach the instance metadata endpoint")
            .withRationale("A pod that reaches 169.254.169.254 can take the node IAM role's credentials (ECR pull, "
                    + "EC2 network interface management, often more) and act as the node. Pods should get AWS "
                    + "credentials from IRSA or EKS Pod Identity, never from the node.")
            .withRemediation("Any one of: (1) with Calico, a Tier ordered ahead of the default tier (e.g. order 100, "
                    + "defaultAction Pass) and a GlobalNetworkPolicy in it with `egress: [{action: Deny, destination: "
                    + "{nets: [169.254.169.254/32]}}, {action: Pass}]` (plus an ipVersion 6 rule for fd00:ec2::254/128); "
                    + "(2) a NetworkPolicy per namespace with `podSelector: {}`, `policyTypes: [Egress]` whose egress "
                    + "rules never allow 169.254.169.254 (e.g. ipBlock 0.0.0.0/0 with `except: [169.254.169.254/32]`), "
                    + "and no other policy selecting the same pods that allows it; (3) on every node `aws ec2 "
                    + "modify-instance-metadata-options --instance-id <id> --http-tokens required "
                    + "--http-put-response-hop-limit 1` and the same in the nodegroups' launch templates. hostNetwork "
                    + "pods are protected by none of these: remove `hostNetwork: true`, or exempt the workload with "
                    + "annotation `ekscm.dev/exempt: pods-cannot-reach-instance-metadata` and a reason.")
            .withSources("seed: metadata endpoint",
                    "EKS Best Practices Guide: Identity and access management (restrict access to the instance profile)")
            .withScope(Scope.NETWORK_POLICIES)
            .withRequires(Input.K8S_WORKLOADS, Input.K8S_NETWORK_POLICIES)
            .build();

    @Override
    public CheckMetadata metadata() {
        return METADATA;
    }

    @Override
    public List<CheckResult> evaluate(CheckContext context) {
        var verdicts = new Verdicts(METADATA);
        var k8s = context.kubernetes();
        var calico = context.has(Input.K8S_CALICO_POLICIES)
                ? new CalicoModel(k8s.calicoTiers(), k8s.calicoPolicies(), IMDS)
                : new CalicoModel(List.of(), List.of(), IMDS);
        var nodes = NodeMetadata.of(context);
        Optional<String> proxy = ClusterAgents.findMetadataProxy(k8s.workloads());
        var models = new HashMap<String, EgressModel>();
        var namespaceLabels = new HashMap<String, Map<String, String>>();

        for (Workload w : context.judgedWorkloads()) {
            String subject = "pods of " + w.kind() + " " + w.namespace() + "/" + w.name();
            if (w.hostNetwork()) {
                judgeHostNetwork(verdicts, w, subject, nodes);
                continue;
            }
            var nsLabels = namespaceLabels.computeIfAbsent(w.namespace(), ns -> context.namespace(ns)
                    .map(n -> n.getMetadata().getLabels()).filter(l -> l != null).orElse(Map.of()));
            var endpoint = new CalicoModel.Endpoint(w.namespace(), w.podLabels(), nsLabels, w.serviceAccountName());
            CalicoModel.Verdict byCalico = calico.evaluate(endpoint);
            if (byCalico.outcome() == CalicoModel.Outcome.DENIED) {
                verdicts.pass(w.ref(), subject + " cannot reach " + IMDS.address() + ": " + byCalico.explanation(),
                        "protection 1, Calico deny ahead of the default tier: " + byCalico.explanation());
                continue;
            }
            EgressModel model = models.computeIfAbsent(w.namespace(),
                    ns -> new EgressModel(context.networkPoliciesIn(ns), IMDS));
            EgressModel.Verdict byPolicies = model.evaluate(w.podLabels(), w.allContainers());
            boolean calicoAllows = byCalico.outcome() == CalicoModel.Outcome.ALLOWED;
            if (!byPolicies.reachable() && !calicoAllows) {
                verdicts.pass(w.ref(), subject + " cannot reach " + IMDS.address() + ": " + byPolicies.explanation(),
                        "protection 2, NetworkPolicy egress isolation: " + byPolicies.explanation());
                continue;
            }
            if (nodes.blocksPods()) {
                verdicts.pass(w.ref(), subject + " cannot use the instance metadata endpoint: " + nodes.summary(),
                        "protection 3, node metadata options: " + nodes.summary());
                continue;
            }
            if (proxy.isPresent()) {
                verdicts.pass(w.ref(), subject + " cannot reach the instance metadata endpoint directly: "
                        + proxy.get(), "protection 4, metadata proxy: " + proxy.get());
                continue;
            }
            String policyWhy = calicoAllows
                    ? byCalico.explanation() + ", and a Calico Allow is final: the NetworkPolicies of the default tier "
                    + "are never consulted"
                    : byPolicies.explanation();
            List<String> ignored = calico.ignoredDenials(endpoint);
            var evidence = new ArrayList<String>();
            evidence.add("Calico: " + byCalico.explanation());
            ignored.forEach(d -> evidence.add("Calico: " + d));
            evidence.add("NetworkPolicy: " + byPolicies.explanation()
                    + (calicoAllows ? " (never consulted: Calico allows it first)" : ""));
            evidence.add("nodes: " + nodes.summary());
            evidence.add("metadata proxy: no kube2iam or kiam agent DaemonSet");
            calico.notes().forEach(n -> evidence.add("note: " + n));
            verdicts.fail(w.ref(), METADATA.defaultSeverity(), subject + " can reach the instance metadata endpoint "
                    + IMDS.describe() + " and the node IAM role's credentials: " + policyWhy
                    + ignored.stream().map(d -> "; " + d).collect(Collectors.joining()),
                    String.join("; ", evidence));
        }
        return verdicts.list();
    }

    private static void judgeHostNetwork(Verdicts verdicts, Workload w, String subject, NodeMetadata nodes) {
        if (nodes.endpointDisabled()) {
            verdicts.pass(w.ref(), subject + " use the host network, and the instance metadata endpoint is "
                    + "disabled on every node", nodes.summary());
            return;
        }
        String why = " use the host network: no NetworkPolicy or Calico workload policy applies to them and they "
                + "reach 169.254.169.254 as the node does; only IMDSv2 with hop limit 1 on the nodes stops IMDSv1, and "
                + "nothing stops IMDSv2 tokens on the host network";
        String state = nodes.blocksPods()
                ? "IMDSv1 is blocked by the node settings but IMDSv2 tokens remain reachable"
                : "nodes: " + nodes.summary();
        verdicts.fail(w.ref(), METADATA.defaultSeverity(), subject + why + "; " + state, "hostNetwork: true; " + state);
    }

    /**
     * Protection (3): every running node instance keeps pods off its metadata (IMDSv2 required
     * with hop limit 1, or the endpoint disabled). Only known with EC2 instance data.
     */
    record NodeMetadata(boolean blocksPods, boolean endpointDisabled, String summary) {
        static NodeMetadata of(CheckContext context) {
            if (!context.has(Input.INSTANCES)) {
                return new NodeMetadata(false, false, "unknown (no EC2 instance data: scan with the AWS inputs to "
                        + "judge the nodes' metadata options)");
            }
            List<Ec2Instance> running = context.aws().instances().stream().filter(Ec2Instance::isRunning).toList();
            if (running.isEmpty()) {
                return new NodeMetadata(false, false, "no running node instance in the EC2 data");
            }
            var open = running.stream().filter(i -> !i.metadataOptions().blocksPods()).toList();
            if (!open.isEmpty()) {
                Ec2Instance first = open.get(0);
                return new NodeMetadata(false, false, open.size() + " of " + running.size()
                        + " running node instances let pods use IMDS, e.g. " + first.instanceId() + " ("
                        + first.metadataOptions().describe() + ")");
            }
            boolean disabled = running.stream().noneMatch(i -> i.metadataOptions().endpointEnabled());
            return new NodeMetadata(true, disabled, disabled
                    ? "the metadata endpoint is disabled on all " + running.size() + " running node instances"
                    : "all " + running.size() + " running node instances require IMDSv2 with hop limit 1 (or have the "
                    + "endpoint disabled), so a pod's token request never returns to it");
        }
    }
}
