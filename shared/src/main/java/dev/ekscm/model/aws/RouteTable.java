package dev.ekscm.model.aws;

import java.util.List;
import java.util.Optional;

/** A route table with its associations and routes ({@code ec2 describe-route-tables}). */
public record RouteTable(String routeTableId, String vpcId, List<Association> associations, List<Route> routes) {
    public RouteTable {
        associations = List.copyOf(associations);
        routes = List.copyOf(routes);
    }

    public boolean isMain() {
        return associations.stream().anyMatch(Association::main);
    }

    public boolean isAssociatedWith(String subnetId) {
        return associations.stream().anyMatch(a -> a.subnetId().filter(subnetId::equals).isPresent());
    }

    public record Association(Optional<String> subnetId, boolean main) {
    }

    /**
     * A route. {@code destination} is the IPv4 or IPv6 CIDR (or prefix list id); {@code target} is
     * the id of what it routes to (igw-…, nat-…, vpce-…, tgw-…, local, …).
     */
    public record Route(String destination, String target, String state) {
        public boolean isDefault() {
            return "0.0.0.0/0".equals(destination) || "::/0".equals(destination);
        }

        public boolean toInternetGateway() {
            return target.startsWith("igw-");
        }

        public boolean toNatGateway() {
            return target.startsWith("nat-");
        }

        public boolean isActive() {
            return !"blackhole".equals(state);
        }
    }
}
