package dev.ekscm.remediation;

import dev.ekscm.model.ClusterId;

import java.util.Map;

/**
 * Reads a cluster's tags at the moment of acting: a team that removes its opt-in tag stops the
 * next action, even one planned from an earlier snapshot.
 */
@FunctionalInterface
public interface ClusterTagsReader {
    Map<String, String> tags(ClusterId cluster);
}
