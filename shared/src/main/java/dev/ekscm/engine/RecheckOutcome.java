package dev.ekscm.engine;

import dev.ekscm.model.ClusterId;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Severity;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one recheck did, for logs and metrics: its run id, the scopes it covered, open findings
 * by severity, how many finding transitions it recorded (new, regressed, resolved, exempted),
 * how long it took and which API calls it made ({@code service:Operation} → count).
 */
public record RecheckOutcome(ClusterId cluster, String runId, Set<Scope> scopes,
                             Map<Severity, Integer> openBySeverity, int transitions, Duration duration,
                             SortedMap<String, Integer> apiCalls) {
    public RecheckOutcome {
        scopes = Set.copyOf(scopes);
        var bySeverity = new EnumMap<Severity, Integer>(Severity.class);
        bySeverity.putAll(openBySeverity);
        openBySeverity = Map.copyOf(bySeverity);
        apiCalls = new TreeMap<>(apiCalls);
    }
}
