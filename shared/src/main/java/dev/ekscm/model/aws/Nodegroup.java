package dev.ekscm.model.aws;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An EKS managed nodegroup ({@code eks describe-nodegroup}). */
public record Nodegroup(
        String name,
        String clusterName,
        List<String> subnets,
        Optional<LaunchTemplateRef> launchTemplate,
        Optional<String> remoteAccessSshKey,
        List<String> remoteAccessSourceSecurityGroups,
        List<String> autoScalingGroups,
        List<String> instanceTypes,
        String status,
        Map<String, String> tags) {

    public Nodegroup {
        subnets = List.copyOf(subnets);
        remoteAccessSourceSecurityGroups = List.copyOf(remoteAccessSourceSecurityGroups);
        autoScalingGroups = List.copyOf(autoScalingGroups);
        instanceTypes = List.copyOf(instanceTypes);
        tags = Map.copyOf(tags);
    }
}
