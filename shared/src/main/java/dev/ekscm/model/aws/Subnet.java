package dev.ekscm.model.aws;

import java.util.Map;

/** A VPC subnet ({@code ec2 describe-subnets}). */
public record Subnet(String subnetId, String vpcId, String availabilityZone, boolean mapPublicIpOnLaunch,
                     Map<String, String> tags) {
    public Subnet {
        tags = Map.copyOf(tags);
    }
}
