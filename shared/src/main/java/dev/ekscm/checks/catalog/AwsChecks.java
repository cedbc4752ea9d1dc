package dev.ekscm.checks.catalog;

import dev.ekscm.checks.Check;

import java.util.List;

/** The aws checks of the catalog, in the order of DESIGN.md section 4. */
public final class AwsChecks {
    private AwsChecks() {
    }

    public static List<Check> all() {
        return List.of(
                new NodegroupsSpanMultipleAzs(),
                new NodesInPrivateSubnets(),
                new PrivateSubnetsEgressViaNat(),
                new ClusterEndpointNotPublic(),
                new ControlPlaneAuditLogging(),
                new SecretsEnvelopeEncryption(),
                new KubernetesVersionSupported(),
                new NodeImdsV2HopLimit(),
                new NodeSecurityGroupsRestricted(),
                new NodegroupRemoteAccessRestricted(),
                new AccessEntriesLeastPrivilege(),
                new EcrImageScanning());
    }
}
