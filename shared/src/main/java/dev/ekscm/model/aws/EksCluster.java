package dev.ekscm.model.aws;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What {@code eks describe-cluster} says about a cluster, reduced to what the checks read. */
public record EksCluster(
        String name,
        String arn,
        String version,
        String status,
        String vpcId,
        List<String> subnetIds,
        List<String> securityGroupIds,
        Optional<String> clusterSecurityGroupId,
        boolean endpointPublicAccess,
        boolean endpointPrivateAccess,
        List<String> publicAccessCidrs,
        Set<String> enabledLogTypes,
        List<EncryptionConfig> encryptionConfig,
        Optional<String> endpoint,
        Optional<String> certificateAuthority,
        Optional<String> authenticationMode,
        Map<String, String> tags) {

    public EksCluster {
        subnetIds = List.copyOf(subnetIds);
        securityGroupIds = List.copyOf(securityGroupIds);
        publicAccessCidrs = List.copyOf(publicAccessCidrs);
        enabledLogTypes = Set.copyOf(enabledLogTypes);
        encryptionConfig = List.copyOf(encryptionConfig);
        tags = Map.copyOf(tags);
    }

    /** An envelope-encryption entry: which resources, and the KMS key (may be empty when absent). */
    public record EncryptionConfig(List<String> resources, Optional<String> keyArn) {
        public EncryptionConfig {
            resources = List.copyOf(resources);
        }
    }

    /** Security groups of the control plane: the cluster security group and the additional ones. */
    public List<String> allSecurityGroupIds() {
        var ids = new java.util.ArrayList<String>();
        clusterSecurityGroupId.ifPresent(ids::add);
        securityGroupIds.stream().filter(id -> !ids.contains(id)).forEach(ids::add);
        return List.copyOf(ids);
    }
}
