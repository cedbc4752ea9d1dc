package dev.ekscm.model.aws;

import java.util.Optional;

/** One launch template version ({@code ec2 describe-launch-template-versions}). */
public record LaunchTemplateVersion(String launchTemplateId, String launchTemplateName, long versionNumber,
                                    boolean defaultVersion, Optional<MetadataOptions> metadataOptions) {
    public String display() {
        return launchTemplateId + ":" + versionNumber;
    }
}
