package dev.ekscm.alerts;

import java.util.List;
import java.util.Map;

/**
 * One SNS Publish: subject, JSON body ({@code ekscm.alert/v1}), message attributes for subscription
 * filter policies, and the transitions it carries.
 */
public record SnsMessage(String subject, String body, Map<String, Attribute> attributes, List<String> transitionIds) {
    /** A message attribute: {@code String} or {@code String.Array} (a JSON array of strings). */
    public record Attribute(String dataType, String value) {
    }

    public SnsMessage {
        attributes = Map.copyOf(attributes);
        transitionIds = List.copyOf(transitionIds);
    }
}
