package dev.ekscm.routing;

import java.util.List;

/** What the router made of a well-formed event: rechecks to request, or a reason to ignore it. */
public sealed interface RoutingDecision {
    record Recheck(Route route, List<RecheckRequest> requests) implements RoutingDecision {
        public Recheck {
            requests = List.copyOf(requests);
        }
    }

    record Ignored(IgnoreReason reason, String detail) implements RoutingDecision {
    }
}
