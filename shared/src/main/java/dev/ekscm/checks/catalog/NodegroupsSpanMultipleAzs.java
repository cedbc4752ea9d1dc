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
import dev.ekscm.model.aws.Subnet;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** A managed nodegroup must place nodes in at least two Availability Zones. */
public final class NodegroupsSpanMultipleAzs implements Check {
    private static final CheckMetadata METADATA = CheckMetadata.builder("nodegroups-span-multiple-azs")
            .withSeverity(Severity.MEDIUM)
            .withTitle("Managed nodegroups span at least two Availability Zones")
            .withRationale("A nodegroup whose subnets all lie in one Availability Zone loses every node, and every "
                    + "pod it runs, when that zone fails; the Auto Scaling group cannot replace them elsewhere.")
            .withRemediation("Create the nodegroup with subnets in two or more AZs (`aws eks create-nodegroup "
                    + "--subnets subnet-a subnet-b subnet-c …`, subnets of different AvailabilityZone) and move the "
                    + "workloads to it; a nodegroup's subnets cannot be changed after creation.")
            .withSources("seed: cluster design", "EKS Best Practices: reliability (data plane)")
            .withScope(Scope.NODES)
            .withRequires(Input.NODEGROUPS, Input.SUBNETS)
            .build();

    @Override
    public CheckMetadata metadata() {
        return METADATA;
    }

    @Override
    public List<CheckResult> evaluate(CheckContext context) {
        var verdicts = new Verdicts(METADATA);
        for (Nodegroup ng : context.aws().nodegroups()) {
            var zones = new TreeSet<String>();
            var unknown = new ArrayList<String>();
            for (String subnetId : ng.subnets()) {
                Optional<Subnet> subnet = context.aws().subnet(subnetId);
                subnet.map(Subnet::availabilityZone).filter(az -> !az.isBlank()).ifPresentOrElse(zones::add,
                        () -> unknown.add(subnetId));
            }
            ResourceRef ref = ResourceRef.aws("Nodegroup", ng.name());
            String evidence = "subnets " + ng.subnets() + " -> AZs " + zones
                    + (unknown.isEmpty() ? "" : ", not in the subnet data: " + unknown);
            if (zones.size() >= 2) {
                verdicts.pass(ref, "nodegroup " + ng.name() + " spans " + zones.size() + " AZs " + zones, evidence);
            } else if (ng.subnets().isEmpty()) {
                verdicts.fail(ref, METADATA.defaultSeverity(), "nodegroup " + ng.name() + " names no subnets",
                        evidence);
            } else {
                verdicts.fail(ref, METADATA.defaultSeverity(), "nodegroup " + ng.name() + " places all nodes in "
                        + (zones.isEmpty() ? "no known AZ" : "one AZ (" + zones.first() + ")")
                        + (unknown.isEmpty() ? "" : "; subnets " + unknown + " are not in the subnet data")
                        + ": one zone outage takes down all its nodes", evidence);
            }
        }
        return verdicts.list();
    }
}
