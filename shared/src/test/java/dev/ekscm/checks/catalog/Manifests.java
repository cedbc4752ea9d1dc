package dev.ekscm.checks.catalog;

import dev.ekscm.checks.CheckConfig;
import dev.ekscm.checks.CheckContext;
import dev.ekscm.collect.ManifestReader;
import dev.ekscm.model.ClusterId;
import dev.ekscm.model.ClusterSnapshot;
import dev.ekscm.model.Input;
import dev.ekscm.model.aws.AwsClusterState;
import dev.ekscm.model.k8s.KubernetesStateBuilder;

import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/** Builds a check context from inline manifest text, for focused check tests. */
final class Manifests {
    static final LocalDate AS_OF = LocalDate.of(2026, 11, 27);

    private Manifests() {
    }

    static CheckContext context(String yaml) {
        return context(yaml, CheckConfig.defaults(AS_OF));
    }

    static CheckContext context(String yaml, CheckConfig config) {
        var objects = new ManifestReader().readText(yaml, "test manifest");
        var k8s = new KubernetesStateBuilder().addAll(objects).build();
        var available = EnumSet.noneOf(Input.class);
        for (Input i : Input.values()) {
            if (i.isKubernetes()) {
                available.add(i);
            }
        }
        var snapshot = new ClusterSnapshot(ClusterId.offline("test-cluster"), available, AwsClusterState.empty(), k8s, List.of(), Map.of());
        return new CheckContext(snapshot, config);
    }
}
