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
import dev.ekscm.model.aws.Ec2Instance;
import dev.ekscm.model.aws.Subnet;

import java.util.List;

/**
 * Nodes live in private subnets: no public IPs on launch, no default route to an internet
 * gateway (explicit association, else the VPC main table), and no node instance with a public IP.
 */
public final class NodesInPrivateSubnets implements Check {
    private static final CheckMetadata METADATA = CheckMetadata.builder("nodes-in-private-subnets")
            .withSeverity(Severity.HIGH)
            .withTitle("Worker nodes run in private subnets without public IPs")
            .withRationale("A node in a public subnet is reachable from the internet on every port its security "
                    + "groups leave open (kubelet 10250, NodePorts, SSH), and a pod on it can be reached directly; "
                    + "keeping nodes private leaves the load balancers as the only way in.")
            .withRemediation("Launch nodes only in private subnets: `aws ec2 modify-subnet-attribute --subnet-id "
                    + "SUBNET --no-map-public-ip-on-launch`, associate the subnet with a route table whose 0.0.0.0/0 "
                    + "goes to a NAT gateway (`aws ec2 replace-route-table-association`), and create nodegroups "
                    + "with private subnets only (public subnets are for load balancers).")
            .withSources("seed: cluster design", "EKS Best Practices: network security")
            .withScope(Scope.NETWORK_TOPOLOGY)
            .withRequires(Input.SUBNETS, Input.ROUTE_TABLES, Input.NODEGROUPS)
            .build();

    @Override
    public CheckMetadata metadata() {
        return METADATA;
    }

    @Override
    public List<CheckResult> evaluate(CheckContext context) {
        var verdicts = new Verdicts(METADATA);
        var aws = context.aws();
        for (SubnetRouting routing : SubnetRouting.ofNodeSubnets(aws)) {
            String subnetId = routing.subnet().subnetId();
            ResourceRef ref = ResourceRef.aws("Subnet", subnetId);
            List<String> reasons = routing.publicReasons();
            if (reasons.isEmpty()) {
                verdicts.pass(ref, "node subnet " + subnetId + " is private: no public IPs on launch and "
                        + routing.describeTable() + " has no default route to an internet gateway");
            } else {
                verdicts.fail(ref, "node subnet " + subnetId + " is public: " + String.join("; ", reasons));
            }
        }
        if (context.has(Input.INSTANCES)) {
            for (Ec2Instance instance : aws.instances()) {
                if (!instance.isRunning()) {
                    continue;
                }
                ResourceRef ref = ResourceRef.aws("Instance", instance.instanceId());
                instance.publicIpAddress().ifPresentOrElse(
                        ip -> verdicts.fail(ref, "node instance " + instance.instanceId() + " has the public IP " + ip
                                + " (subnet " + instance.subnetId() + ")"),
                        () -> verdicts.pass(ref, "node instance " + instance.instanceId() + " has no public IP"));
            }
        }
        return verdicts.list();
    }
}
