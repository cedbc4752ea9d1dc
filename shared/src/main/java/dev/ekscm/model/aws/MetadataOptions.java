package dev.ekscm.model.aws;

import java.util.Optional;

/**
 * Instance metadata service options. Absent values take the EC2 defaults when judged:
 * tokens {@code optional}, hop limit 1, endpoint {@code enabled}.
 */
public record MetadataOptions(Optional<String> httpTokens, Optional<Integer> httpPutResponseHopLimit,
                              Optional<String> httpEndpoint) {

    public static MetadataOptions unset() {
        return new MetadataOptions(Optional.empty(), Optional.empty(), Optional.empty());
    }

    public static MetadataOptions of(String tokens, Integer hopLimit, String endpoint) {
        return new MetadataOptions(Optional.ofNullable(tokens), Optional.ofNullable(hopLimit), Optional.ofNullable(endpoint));
    }

    public boolean endpointEnabled() {
        return !"disabled".equalsIgnoreCase(httpEndpoint.orElse("enabled"));
    }

    public boolean tokensRequired() {
        return "required".equalsIgnoreCase(httpTokens.orElse("optional"));
    }

    public int effectiveHopLimit() {
        return httpPutResponseHopLimit.orElse(1);
    }

    /** True when pods cannot use the node's metadata: endpoint off, or IMDSv2 only with hop limit 1. */
    public boolean blocksPods() {
        return !endpointEnabled() || (tokensRequired() && effectiveHopLimit() <= 1);
    }

    public String describe() {
        return "HttpTokens=" + httpTokens.orElse("(unset)") + ", HttpPutResponseHopLimit="
                + httpPutResponseHopLimit.map(String::valueOf).orElse("(unset)") + ", HttpEndpoint="
                + httpEndpoint.orElse("(unset)");
    }
}
