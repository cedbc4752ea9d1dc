package dev.ekscm.checks.catalog;

import dev.ekscm.checks.Check;
import dev.ekscm.checks.CheckContext;
import dev.ekscm.checks.CheckMetadata;
import dev.ekscm.checks.Verdicts;
import dev.ekscm.model.CheckResult;
import dev.ekscm.model.Input;
import dev.ekscm.model.ResourceRef;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Severity;
import dev.ekscm.model.aws.Nodegroup;

import java.util.List;

/** A managed nodegroup with an SSH key names the security groups SSH may come from. */
public final class NodegroupRemoteAccessRestricted implements Check {
    private static final CheckMetadata METADATA = CheckMetadata.builder("nodegroup-remote-access-restricted")
            .withSeverity(Severity.MEDIUM)
            .withTitle("Nodegroup SSH access is limited to named source security groups")
            .withRationale("When a managed nodegroup gets an SSH key but no source security groups, EKS creates a "
                    + "security group that opens port 22 on every node to 0.0.0.0/0.")
            .withRemediation("Recreate the nodegroup without remoteAccess and use SSM Session Manager "
                    + "(AmazonSSMManagedInstanceCore on the node role), or with `--remote-access "
                    + "ec2SshKey=KEY,sourceSecurityGroups=sg-bastion`; remote access cannot be changed on an "
                    + "existing nodegroup.")
            .withSources("EKS Best Practices: minimize access to worker nodes")
            .withScope(Scope.NODES)
            .withRequires(Input.NODEGROUPS)
            .build();

    @Override
    public CheckMetadata metadata() {
        return METADATA;
    }

    @Override
    public List<CheckResult> evaluate(CheckContext context) {
        var verdicts = new Verdicts(METADATA);
        for (Nodegroup ng : context.aws().nodegroups()) {
            ResourceRef ref = ResourceRef.aws("Nodegroup", ng.name());
            if (ng.remoteAccessSshKey().isEmpty()) {
                verdicts.pass(ref, "nodegroup " + ng.name() + " has no SSH remote access");
            } else if (ng.remoteAccessSourceSecurityGroups().isEmpty()) {
                verdicts.fail(ref, "nodegroup " + ng.name() + " has SSH key " + ng.remoteAccessSshKey().get()
                        + " and no source security groups: port 22 is open to 0.0.0.0/0 on its nodes");
            } else {
                verdicts.pass(ref, "nodegroup " + ng.name() + " allows SSH only from "
                        + ng.remoteAccessSourceSecurityGroups());
            }
        }
        return verdicts.list();
    }
}
