package dev.ekscm.routing;

import dev.ekscm.model.Scope;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One row of the routing table: a CloudTrail API call, where the affected cluster (or the
 * resource that leads to it) sits in the record, and the check scopes the change touches.
 * Locators are tried in order; the first that yields a cluster wins.
 *
 * @param valueRequired when true, a record in which no locator finds any value is malformed (an
 *                      UpdateClusterConfig without a cluster name); when false such a record
 *                      concerns no cluster (an instance launched without cluster tags)
 */
public record Route(String eventSource, String eventName, List<Locator> locators, Set<Scope> scopes,
                    boolean valueRequired, String why) {
    public Route {
        locators = List.copyOf(locators);
        if (locators.isEmpty()) {
            throw new IllegalArgumentException(eventName + ": a route needs at least one locator");
        }
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException(eventName + ": a route needs at least one scope");
        }
        scopes = Set.copyOf(EnumSet.copyOf(scopes));
    }

    public String key() {
        return eventSource + " " + eventName;
    }

    public boolean needsLookup() {
        return locators.stream().anyMatch(l -> l.resolution().needsLookup());
    }
}
