package dev.ekscm.remediation;

import dev.ekscm.model.Input;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The remediations the monitor can apply, by the stable id a cluster names in its
 * {@code ekscm:auto-remediate} tag. Each names the check whose findings it fixes, the inputs a
 * recheck needs to verify it, and the IAM actions and Kubernetes permissions it uses (held
 * against the SAM template and {@code deploy/} by the permissions test).
 */
public enum RemediationId {
    IMDS_NETWORK_POLICY("imds-network-policy", "pods-cannot-reach-instance-metadata",
            Set.of(Input.K8S_NAMESPACES, Input.K8S_WORKLOADS, Input.K8S_NETWORK_POLICIES, Input.K8S_CALICO_POLICIES,
                    Input.INSTANCES),
            List.of("eks:DescribeCluster"),
            List.of("networking.k8s.io networkpolicies: get, list, patch, delete",
                    "projectcalico.org tiers, globalnetworkpolicies: get, list, patch, delete",
                    "crd.projectcalico.org tiers, globalnetworkpolicies: get, list, patch, delete",
                    "apiextensions.k8s.io customresourcedefinitions: get")),
    IMDS_HOP_LIMIT("imds-hop-limit", "node-imds-v2-hop-limit",
            Set.of(Input.INSTANCES, Input.NODEGROUPS, Input.LAUNCH_TEMPLATES),
            List.of("eks:DescribeCluster", "ec2:DescribeInstances", "ec2:ModifyInstanceMetadataOptions"),
            List.of());

    private final String id;
    private final String checkId;
    private final Set<Input> verifyInputs;
    private final List<String> iamActions;
    private final List<String> kubernetesPermissions;

    RemediationId(String id, String checkId, Set<Input> verifyInputs, List<String> iamActions,
                  List<String> kubernetesPermissions) {
        this.id = id;
        this.checkId = checkId;
        this.verifyInputs = verifyInputs;
        this.iamActions = iamActions;
        this.kubernetesPermissions = kubernetesPermissions;
    }

    public String id() {
        return id;
    }

    /** The check whose findings this remediation fixes, and which is re-run to verify it. */
    public String checkId() {
        return checkId;
    }

    /** What a recheck must collect for {@link #checkId()} to see the effect (incl. optional inputs). */
    public Set<Input> verifyInputs() {
        return verifyInputs;
    }

    /** IAM actions the cluster-check role needs for this remediation (and for undo). */
    public List<String> iamActions() {
        return iamActions;
    }

    /** Kubernetes API groups, resources and verbs the remediation uses (and undo). */
    public List<String> kubernetesPermissions() {
        return kubernetesPermissions;
    }

    public static Optional<RemediationId> parse(String text) {
        String t = text == null ? "" : text.trim();
        return Arrays.stream(values()).filter(r -> r.id.equalsIgnoreCase(t)).findFirst();
    }

    public static String knownIds() {
        return Arrays.stream(values()).map(RemediationId::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}
