package dev.ekscm.findings;

import dev.ekscm.model.ClusterId;

import java.util.Objects;

/** A finding together with its cluster, as the cross-cluster open-by-severity index returns it. */
public record ClusterFinding(ClusterId cluster, Finding finding) {
    public ClusterFinding {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(finding, "finding");
    }
}
