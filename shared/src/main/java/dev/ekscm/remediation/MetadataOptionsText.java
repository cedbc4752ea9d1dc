package dev.ekscm.remediation;

import dev.ekscm.model.aws.MetadataOptions;

import java.util.HashMap;
import java.util.Optional;

/**
 * Metadata options as records keep them ({@link MetadataOptions#describe()}), read back for undo.
 */
final class MetadataOptionsText {
    private MetadataOptionsText() {
    }

    /** Parses {@code HttpTokens=optional, HttpPutResponseHopLimit=2, HttpEndpoint=enabled}; {@code (unset)} stays absent. */
    static MetadataOptions parse(String text) {
        var values = new HashMap<String, String>();
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                String v = part.substring(eq + 1).trim();
                if (!v.isEmpty() && !v.startsWith("(")) {
                    values.put(part.substring(0, eq).trim(), v);
                }
            }
        }
        Optional<Integer> hop;
        try {
            hop = Optional.ofNullable(values.get("HttpPutResponseHopLimit")).map(Integer::valueOf);
        } catch (NumberFormatException e) {
            hop = Optional.empty();
        }
        return new MetadataOptions(Optional.ofNullable(values.get("HttpTokens")), hop,
                Optional.ofNullable(values.get("HttpEndpoint")));
    }

    /** Same effect on pods: tokens required or not, hop limit, endpoint on or off (defaults applied). */
    static boolean sameEffect(MetadataOptions a, MetadataOptions b) {
        return a.tokensRequired() == b.tokensRequired() && a.effectiveHopLimit() == b.effectiveHopLimit()
                && a.endpointEnabled() == b.endpointEnabled();
    }
}
