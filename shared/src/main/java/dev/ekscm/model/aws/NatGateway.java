package dev.ekscm.model.aws;

/** A NAT gateway ({@code ec2 describe-nat-gateways}). */
public record NatGateway(String natGatewayId, String subnetId, String vpcId, String state, String connectivityType) {
}
