package dev.ekscm.checks.catalog;

import dev.ekscm.checks.Check;

import java.util.List;

/** The network checks of the catalog. */
public final class NetworkChecks {
    private NetworkChecks() {
    }

    public static List<Check> all() {
        return List.of(new NetworkPolicyEngineInstalled(), new NamespacesDefaultDenyIngress(),
                new PodsCannotReachInstanceMetadata());
    }
}
