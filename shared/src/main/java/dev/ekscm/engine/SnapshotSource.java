package dev.ekscm.engine;

import dev.ekscm.model.ClusterSnapshot;
import dev.ekscm.model.Input;

import java.util.Map;
import java.util.Set;

/**
 * Where a run gets its snapshot: files, or a live account and cluster. {@code needed} lets a live
 * source fetch only what the selected checks read.
 */
public interface SnapshotSource {
    ClusterSnapshot collect(Set<Input> needed);

    /** API calls made so far, per {@code service:Operation}; empty for files. */
    default Map<String, Integer> apiCalls() {
        return Map.of();
    }
}
