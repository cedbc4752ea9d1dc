package dev.ekscm.model;

import java.util.EnumSet;
import java.util.Set;

/**
 * What part of a cluster a recheck covers. A change event touches some scopes; a run only
 * evaluates (and only resolves findings of) the checks in its scopes.
 */
public enum Scope {
    CLUSTER_CONFIG, ACCESS, NODES, NETWORK_TOPOLOGY, SECURITY_GROUPS, IMAGES,
    WORKLOADS, RBAC, NETWORK_POLICIES, ADMISSION;

    public static Set<Scope> all() {
        return EnumSet.allOf(Scope.class);
    }
}
