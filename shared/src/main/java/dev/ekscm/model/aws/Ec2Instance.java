package dev.ekscm.model.aws;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A node instance ({@code ec2 describe-instances}). */
public record Ec2Instance(
        String instanceId,
        String subnetId,
        String vpcId,
        String state,
        Optional<String> publicIpAddress,
        MetadataOptions metadataOptions,
        List<String> securityGroupIds,
        Optional<LaunchTemplateRef> launchTemplate,
        Map<String, String> tags) {

    public Ec2Instance {
        securityGroupIds = List.copyOf(securityGroupIds);
        tags = Map.copyOf(tags);
    }

    public boolean isRunning() {
        return !"terminated".equals(state) && !"shutting-down".equals(state);
    }
}
