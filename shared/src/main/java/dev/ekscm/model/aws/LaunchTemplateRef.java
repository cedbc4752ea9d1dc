package dev.ekscm.model.aws;

import java.util.Optional;

/** A launch template as a nodegroup or instance refers to it; version may be a number, $Latest or $Default. */
public record LaunchTemplateRef(Optional<String> id, Optional<String> name, Optional<String> version) {
    public String display() {
        return id.or(() -> name).orElse("?") + version.map(v -> ":" + v).orElse("");
    }
}
