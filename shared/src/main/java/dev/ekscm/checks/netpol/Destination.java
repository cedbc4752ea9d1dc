package dev.ekscm.checks.netpol;

import java.util.Locale;

/**
 * Where a pod's traffic goes: one address, port and protocol. The models answer "may a pod reach
 * this?"; the instance metadata endpoint is the destination the catalog asks about.
 */
public record Destination(Cidr address, int port, String protocol) {
    /** IMDS over IPv4, which every EC2 instance serves (IMDSv1 and IMDSv2 alike). */
    public static final Destination INSTANCE_METADATA = new Destination(Cidr.of("169.254.169.254"), 80, "TCP");
    /** IMDS over IPv6 (Nitro instances with the IPv6 endpoint enabled). */
    public static final Cidr INSTANCE_METADATA_IPV6 = Cidr.of("fd00:ec2::254/128");

    public Destination {
        protocol = protocol.toUpperCase(Locale.ROOT);
    }

    public String describe() {
        return address + ":" + port + "/" + protocol;
    }
}
