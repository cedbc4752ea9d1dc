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
import dev.ekscm.model.aws.NatGateway;
import dev.ekscm.model.aws.RouteTable;
import dev.ekscm.model.aws.Subnet;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A private node subnet reaches the internet through a NAT gateway, or not at all. Public node
 * subnets are the business of nodes-in-private-subnets and are skipped here. A private subnet
 * with no IPv4 default route has no internet egress: that is the fully private design and
 * passes (its nodes then need VPC endpoints). The IPv6 default route is not judged: egress-only
 * internet gateways are the IPv6 counterpart of NAT.
 */
public final class PrivateSubnetsEgressViaNat implements Check {
    static final String ENDPOINTS_HINT = "VPC endpoints for ECR (api, dkr), S3, STS, EC2 and CloudWatch Logs";
    private static final Set<String> BROKEN_NAT_STATES = Set.of("failed", "deleting", "deleted");

    private static final CheckMetadata METADATA = CheckMetadata.builder("private-subnets-egress-via-nat")
            .withSeverity(Severity.LOW)
            .withTitle("Private node subnets send internet traffic through a NAT gateway")
            .withRationale("Nodes in private subnets still pull images and call AWS APIs. A NAT gateway gives them "
                    + "outbound-only egress from a known address; a default route to an appliance, a peering "
                    + "connection or a blackhole either bypasses that control or silently breaks node bootstrap and "
                    + "image pulls.")
            .withRemediation("Point the subnet's 0.0.0.0/0 route at a NAT gateway in a public subnet of the same AZ "
                    + "(`aws ec2 replace-route --route-table-id RTB --destination-cidr-block 0.0.0.0/0 "
                    + "--nat-gateway-id nat-…`), or, for a fully private cluster, remove the default route and add "
                    + ENDPOINTS_HINT + ".")
            .withSources("seed: cluster design", "EKS Best Practices: private clusters")
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
            if (!routing.isPrivate() || routing.routeTable().isEmpty()) {
                continue; // public subnets: nodes-in-private-subnets; no table at all: nothing to judge
            }
            judge(context, verdicts, routing, ResourceRef.aws("Subnet", routing.subnet().subnetId()));
        }
        return verdicts.list();
    }

    private static void judge(CheckContext context, Verdicts verdicts, SubnetRouting routing, ResourceRef ref) {
        String id = routing.subnet().subnetId();
        Optional<RouteTable.Route> route = routing.ipv4DefaultRoute();
        if (route.isEmpty()) {
            verdicts.pass(ref, "private node subnet " + id + " has no internet egress (" + routing.describeTable()
                    + " has no 0.0.0.0/0 route): fully private; ensure " + ENDPOINTS_HINT + " exist");
            return;
        }
        RouteTable.Route r = route.get();
        String via = routing.describeTable() + " routes 0.0.0.0/0 to ";
        if (!r.toNatGateway()) {
            verdicts.fail(ref, "private node subnet " + id + ": " + via + describeTarget(r)
                    + ", not a NAT gateway; use a NAT gateway, or for a fully private cluster remove the route and use "
                    + ENDPOINTS_HINT);
            return;
        }
        if (!r.isActive()) {
            verdicts.fail(ref, "private node subnet " + id + ": " + via + r.target()
                    + ", but the route is a blackhole (the NAT gateway no longer exists): nodes have no egress");
            return;
        }
        if (context.has(Input.NAT_GATEWAYS)) {
            Optional<NatGateway> nat = context.aws().natGateways().stream()
                    .filter(n -> n.natGatewayId().equals(r.target())).findFirst();
            if (nat.isPresent() && BROKEN_NAT_STATES.contains(nat.get().state())) {
                verdicts.fail(ref, "private node subnet " + id + ": " + via + r.target() + ", which is "
                        + nat.get().state() + ": nodes have no egress");
                return;
            }
        }
        verdicts.pass(ref, "private node subnet " + id + ": " + via + "NAT gateway " + r.target());
    }

    private static String describeTarget(RouteTable.Route r) {
        String t = r.target();
        String what = t.startsWith("tgw-") ? "transit gateway "
                : t.startsWith("pcx-") ? "VPC peering connection "
                : t.startsWith("eni-") ? "network interface "
                : t.startsWith("i-") ? "instance "
                : t.startsWith("vgw-") ? "virtual private gateway "
                : t.startsWith("vpce-") ? "VPC endpoint "
                : "";
        return what + (t.isEmpty() ? "(no target)" : t) + (r.isActive() ? "" : " (blackhole)");
    }
}
