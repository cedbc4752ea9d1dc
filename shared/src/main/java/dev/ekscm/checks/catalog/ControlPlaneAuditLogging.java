package dev.ekscm.checks.catalog;

import dev.ekscm.checks.CheckContext;
import dev.ekscm.checks.CheckMetadata;
import dev.ekscm.checks.ClusterConfigCheck;
import dev.ekscm.checks.Verdicts;
import dev.ekscm.model.Input;
import dev.ekscm.model.ResourceRef;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Severity;
import dev.ekscm.model.aws.EksCluster;

import java.util.List;

/** The control plane sends its audit, authenticator and api logs to CloudWatch. */
public final class ControlPlaneAuditLogging extends ClusterConfigCheck {
    /** Log types that must be on, audit first: it is the one an investigation cannot do without. */
    static final List<String> REQUIRED = List.of("audit", "authenticator", "api");

    private static final CheckMetadata METADATA = CheckMetadata.builder("control-plane-audit-logging")
            .withSeverity(Severity.MEDIUM)
            .withTitle("Control plane audit, authenticator and API logs are enabled")
            .withRationale("Without the audit log nobody can tell who read a Secret, exec'd into a pod or created a "
                    + "ClusterRoleBinding; the authenticator log maps Kubernetes users back to IAM principals. EKS "
                    + "keeps neither unless control plane logging is turned on.")
            .withRemediation("`aws eks update-cluster-config --name CLUSTER --logging "
                    + "'{\"clusterLogging\":[{\"types\":[\"api\",\"audit\",\"authenticator\"],\"enabled\":true}]}'` "
                    + "(logs go to the CloudWatch log group /aws/eks/CLUSTER/cluster; set its retention).")
            .withSources("EKS Best Practices: auditing and logging", "AWS Security Hub EKS.8")
            .withScope(Scope.CLUSTER_CONFIG)
            .withRequires(Input.EKS_CLUSTER)
            .build();

    public ControlPlaneAuditLogging() {
        super(METADATA);
    }

    @Override
    protected void judge(EksCluster c, CheckContext context, Verdicts verdicts) {
        ResourceRef ref = ResourceRef.cluster(c.name());
        var missing = REQUIRED.stream().filter(t -> !c.enabledLogTypes().contains(t)).toList();
        String evidence = "enabled log types: " + c.enabledLogTypes().stream().sorted().toList();
        if (missing.isEmpty()) {
            verdicts.pass(ref, "control plane logs " + REQUIRED + " of " + c.name() + " are enabled", evidence);
        } else {
            verdicts.fail(ref, METADATA.defaultSeverity(), "control plane log types " + missing + " of " + c.name()
                    + " are not enabled" + (missing.contains("audit") ? ": API activity is not audited" : ""),
                    evidence);
        }
    }
}
