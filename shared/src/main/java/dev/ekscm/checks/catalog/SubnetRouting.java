package dev.ekscm.checks.catalog;

import dev.ekscm.model.aws.AwsClusterState;
import dev.ekscm.model.aws.RouteTable;
import dev.ekscm.model.aws.Subnet;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a subnet reaches the internet: which route table governs it (its explicit association,
 * else the VPC's main table) and whether it is public. Shared by nodes-in-private-subnets and
 * private-subnets-egress-via-nat so that both agree on what "private" means.
 */
final class SubnetRouting {
    private final Subnet subnet;
    private final Optional<RouteTable> routeTable;
    private final boolean mainTable;

    private SubnetRouting(Subnet subnet, Optional<RouteTable> routeTable, boolean mainTable) {
        this.subnet = subnet;
        this.routeTable = routeTable;
        this.mainTable = mainTable;
    }

    /** The routing of every node subnet present in the subnet data (others cannot be judged). */
    static java.util.List<SubnetRouting> ofNodeSubnets(AwsClusterState aws) {
        var out = new java.util.ArrayList<SubnetRouting>();
        for (String subnetId : aws.nodeSubnetIds()) {
            if (!subnetId.isBlank()) {
                aws.subnet(subnetId).ifPresent(subnet -> out.add(of(subnet, aws)));
            }
        }
        return out;
    }

    static SubnetRouting of(Subnet subnet, AwsClusterState aws) {
        Optional<RouteTable> table = aws.routeTableFor(subnet);
        boolean main = table.isPresent() && !table.get().isAssociatedWith(subnet.subnetId());
        return new SubnetRouting(subnet, table, main);
    }

    Subnet subnet() {
        return subnet;
    }

    Optional<RouteTable> routeTable() {
        return routeTable;
    }

    /** "route table rtb-1 (explicitly associated)" or "the VPC's main route table rtb-1". */
    String describeTable() {
        return routeTable.map(rt -> mainTable
                        ? "the VPC main route table " + rt.routeTableId() + " (no explicit association)"
                        : "route table " + rt.routeTableId())
                .orElse("no route table (none associated and no main table for " + subnet.vpcId() + " in the data)");
    }

    /** Active default routes (0.0.0.0/0, ::/0) that go to an internet gateway. */
    List<RouteTable.Route> internetGatewayDefaultRoutes() {
        return routeTable.map(rt -> rt.routes().stream()
                .filter(r -> r.isDefault() && r.isActive() && r.toInternetGateway()).toList()).orElse(List.of());
    }

    /** The IPv4 default route (0.0.0.0/0) of the governing table, blackholed or not. */
    Optional<RouteTable.Route> ipv4DefaultRoute() {
        return routeTable.flatMap(rt -> rt.routes().stream().filter(r -> "0.0.0.0/0".equals(r.destination()))
                .findFirst());
    }

    /** Why the subnet is public; empty when it is private. */
    List<String> publicReasons() {
        var reasons = new ArrayList<String>();
        if (subnet.mapPublicIpOnLaunch()) {
            reasons.add("it maps public IPv4 addresses on launch (MapPublicIpOnLaunch=true)");
        }
        for (RouteTable.Route r : internetGatewayDefaultRoutes()) {
            reasons.add(describeTable() + " routes " + r.destination() + " to internet gateway " + r.target());
        }
        return reasons;
    }

    boolean isPrivate() {
        return publicReasons().isEmpty();
    }
}
