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
import dev.ekscm.model.aws.SecurityGroup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * No security group of the nodes or of the cluster admits traffic from the whole internet. The
 * groups judged are the instances' groups, the nodegroups' remote-access source groups and the
 * cluster's groups; when none of those inputs is present, every group in the data is judged
 * (the collector gathers only the cluster's groups).
 */
public final class NodeSecurityGroupsRestricted implements Check {
    private static final List<String> WORLD_V4 = List.of("0.0.0.0/0");
    private static final List<String> WORLD_V6 = List.of("::/0");

    private static final CheckMetadata METADATA = CheckMetadata.builder("node-security-groups-restricted")
            .withSeverity(Severity.HIGH)
            .withTitle("Node and cluster security groups admit no traffic from the internet")
            .withRationale("An ingress rule from 0.0.0.0/0 or ::/0 on a node or cluster security group exposes "
                    + "kubelet, NodePorts, SSH or RDP to every scanner on the internet; all-traffic rules and "
                    + "remote-administration ports are the most attacked.")
            .withRemediation("Remove the rule (`aws ec2 revoke-security-group-ingress --group-id sg-… "
                    + "--ip-permissions …`) and allow only the load balancer's security group or your own CIDRs; "
                    + "reach nodes through SSM Session Manager instead of open SSH.")
            .withSources("EC2 best practice", "AWS Security Hub EC2.18, EC2.19")
            .withScope(Scope.SECURITY_GROUPS)
            .withRequires(Input.SECURITY_GROUPS)
            .build();

    @Override
    public CheckMetadata metadata() {
        return METADATA;
    }

    @Override
    public List<CheckResult> evaluate(CheckContext context) {
        var verdicts = new Verdicts(METADATA);
        for (Map.Entry<String, Set<String>> e : groupsToJudge(context).entrySet()) {
            context.aws().securityGroup(e.getKey())
                    .ifPresent(sg -> judge(sg, String.join(" and ", e.getValue()), verdicts));
        }
        return verdicts.list();
    }

    /** Group id -> what uses it (node group, cluster group, …), in a stable order. */
    static Map<String, Set<String>> groupsToJudge(CheckContext context) {
        var aws = context.aws();
        var groups = new LinkedHashMap<String, Set<String>>();
        if (context.has(Input.INSTANCES)) {
            aws.instances().stream().filter(i -> i.isRunning())
                    .forEach(i -> i.securityGroupIds().forEach(g -> use(groups, g, "attached to nodes")));
        }
        if (context.has(Input.NODEGROUPS)) {
            aws.nodegroups().forEach(ng -> ng.remoteAccessSourceSecurityGroups().forEach(
                    g -> use(groups, g, "SSH source of nodegroup " + ng.name())));
        }
        if (context.has(Input.EKS_CLUSTER)) {
            aws.cluster().ifPresent(c -> c.allSecurityGroupIds().forEach(
                    g -> use(groups, g, "used by cluster " + c.name())));
        }
        if (!context.has(Input.INSTANCES) && !context.has(Input.NODEGROUPS) && !context.has(Input.EKS_CLUSTER)) {
            aws.securityGroups().forEach(sg -> use(groups, sg.groupId(), "of the cluster"));
        }
        return groups;
    }

    private static void use(Map<String, Set<String>> groups, String id, String role) {
        groups.computeIfAbsent(id, k -> new LinkedHashSet<>()).add(role);
    }

    static void judge(SecurityGroup sg, String role, Verdicts verdicts) {
        ResourceRef ref = ResourceRef.aws("SecurityGroup", sg.groupId());
        String name = sg.groupId() + (sg.groupName().isBlank() ? "" : " (" + sg.groupName() + ")") + ", " + role + ",";
        var open = new ArrayList<String>();
        Severity severity = Severity.HIGH;
        for (SecurityGroup.IpPermission p : sg.ingress()) {
            var sources = Stream.concat(p.ipv4Ranges().stream().filter(WORLD_V4::contains),
                    p.ipv6Ranges().stream().filter(WORLD_V6::contains)).toList();
            if (!sources.isEmpty()) {
                open.add(describe(p) + " from " + String.join(" and ", sources));
                severity = severity.atLeast(severity(p)) ? severity : severity(p);
            }
        }
        if (open.isEmpty()) {
            verdicts.pass(ref, "security group " + name + " allows no ingress from 0.0.0.0/0 or ::/0");
        } else {
            verdicts.fail(ref, severity, "security group " + name + " allows ingress from the internet: "
                    + String.join("; ", open), "ingress rules open to the internet: " + open);
        }
    }

    /** CRITICAL for all traffic, every port, SSH (22) or RDP (3389); HIGH otherwise. */
    static Severity severity(SecurityGroup.IpPermission p) {
        if (p.allProtocols()) {
            return Severity.CRITICAL;
        }
        if (!isTcpOrUdp(p.protocol())) {
            return Severity.HIGH; // ICMP and other protocols have no ports
        }
        boolean everyPort = p.fromPort().orElse(0) <= 0 && p.toPort().orElse(65535) >= 65535;
        boolean adminPort = Stream.of(22, 3389).anyMatch(port -> covers(p, port));
        return everyPort || adminPort ? Severity.CRITICAL : Severity.HIGH;
    }

    private static boolean covers(SecurityGroup.IpPermission p, int port) {
        return p.fromPort().orElse(0) <= port && port <= p.toPort().orElse(65535);
    }

    private static boolean isTcpOrUdp(String protocol) {
        return Stream.of("tcp", "udp", "6", "17").anyMatch(protocol::equalsIgnoreCase);
    }

    static String describe(SecurityGroup.IpPermission p) {
        if (p.allProtocols()) {
            return "all traffic";
        }
        String proto = switch (p.protocol().toLowerCase(java.util.Locale.ROOT)) {
            case "6" -> "tcp";
            case "17" -> "udp";
            case "1" -> "icmp";
            default -> p.protocol().toLowerCase(java.util.Locale.ROOT);
        };
        if (!isTcpOrUdp(p.protocol())) {
            return proto;
        }
        int from = p.fromPort().orElse(0);
        int to = p.toPort().orElse(65535);
        if (from <= 0 && to >= 65535) {
            return proto + " on all ports";
        }
        return proto + (from == to ? " port " + from : " ports " + from + "-" + to);
    }
}
