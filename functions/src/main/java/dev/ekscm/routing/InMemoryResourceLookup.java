package dev.ekscm.routing;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link ResourceLookup} over maps: tests seed it, SnapStart priming routes bundled samples
 * through it without a network. Counts lookups so tests can assert how many a record cost.
 */
public final class InMemoryResourceLookup implements ResourceLookup {
    private final Map<String, Set<String>> clustersByResource = new HashMap<>();
    private final AtomicInteger calls = new AtomicInteger();

    /** Records that {@code resourceId} (an instance, launch template, group, subnet or route table id) belongs to the clusters. */
    public InMemoryResourceLookup with(String resourceId, String... clusters) {
        clustersByResource.computeIfAbsent(resourceId, k -> new LinkedHashSet<>()).addAll(Set.of(clusters));
        return this;
    }

    public int calls() {
        return calls.get();
    }

    private Set<String> get(String id) {
        calls.incrementAndGet();
        return Set.copyOf(clustersByResource.getOrDefault(id, Set.of()));
    }

    @Override
    public Set<String> clustersOfInstance(Location where, String instanceId) {
        return get(instanceId);
    }

    @Override
    public Set<String> clustersUsingLaunchTemplate(Location where, String launchTemplateIdOrName) {
        return get(launchTemplateIdOrName);
    }

    @Override
    public Set<String> clustersUsingSecurityGroup(Location where, String groupId) {
        return get(groupId);
    }

    @Override
    public Set<String> clustersUsingSubnet(Location where, String subnetId) {
        return get(subnetId);
    }

    @Override
    public Set<String> clustersUsingRouteTable(Location where, String routeTableId) {
        return get(routeTableId);
    }
}
