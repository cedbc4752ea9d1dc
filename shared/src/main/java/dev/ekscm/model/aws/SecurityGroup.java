package dev.ekscm.model.aws;

import java.util.List;
import java.util.Optional;

/** A security group and its ingress rules ({@code ec2 describe-security-groups}). */
public record SecurityGroup(String groupId, String groupName, String vpcId, List<IpPermission> ingress) {
    public SecurityGroup {
        ingress = List.copyOf(ingress);
    }

    /**
     * One ingress permission. {@code protocol} is "-1" for all, or tcp/udp/icmp/a number; ports are
     * absent for all-traffic rules.
     */
    public record IpPermission(String protocol, Optional<Integer> fromPort, Optional<Integer> toPort,
                               List<String> ipv4Ranges, List<String> ipv6Ranges, List<String> sourceGroupIds) {
        public IpPermission {
            ipv4Ranges = List.copyOf(ipv4Ranges);
            ipv6Ranges = List.copyOf(ipv6Ranges);
            sourceGroupIds = List.copyOf(sourceGroupIds);
        }

        public boolean allProtocols() {
            return "-1".equals(protocol) || "all".equalsIgnoreCase(protocol);
        }

        /** True when the rule covers the given TCP port (all-protocol rules cover every port). */
        public boolean coversTcpPort(int port) {
            if (allProtocols()) {
                return true;
            }
            if (!"tcp".equalsIgnoreCase(protocol) && !"6".equals(protocol)) {
                return false;
            }
            int from = fromPort.orElse(0);
            int to = toPort.orElse(65535);
            if (from == -1 || to == -1) {
                return true;
            }
            return from <= port && port <= to;
        }

        public boolean allPorts() {
            return allProtocols() || (fromPort.orElse(0) <= 0 && toPort.orElse(65535) >= 65535)
                    || fromPort.orElse(0) == -1;
        }

        public boolean openToWorld() {
            return ipv4Ranges.contains("0.0.0.0/0") || ipv6Ranges.contains("::/0");
        }
    }
}
