package dev.ekscm.findings;

import dev.ekscm.model.ResourceRef;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Severity;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One stored finding of one cluster: a check's verdict about one resource with its lifecycle.
 *
 * @param scope         the scope of the check, so a run reconciles only findings of the scopes it covered
 * @param firstSeen     the first time it ever failed (kept across resolutions and regressions)
 * @param openedAt      start of the current unresolved period (OPEN or EXEMPT), the base of time-to-resolve
 * @param lastSeen      the last run that saw it failing <em>as of the last write of this item</em>: an
 *                      OPEN or EXEMPT finding is not rewritten per run, its effective lastSeen is
 *                      {@link ClusterRecord#effectiveLastSeen(Finding)}
 * @param resolution    why it resolved: the passing verdict's message, or that the resource is gone
 * @param expiresAt     DynamoDB TTL, set only on RESOLVED findings
 * @param transition    the latest transition and its alert state (every stored finding has one)
 */
public record Finding(String checkId, ResourceRef resource, Scope scope, FindingStatus status, Severity severity,
                      String title, String message, String evidence, Instant firstSeen, Instant openedAt,
                      Instant lastSeen, Optional<Instant> resolvedAt, Optional<Duration> timeToResolve,
                      Optional<String> resolution, int reopenCount, Optional<Instant> expiresAt, Transition transition) {
    public Finding {
        Objects.requireNonNull(checkId, "checkId");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(severity, "severity");
        title = title == null ? "" : title;
        message = message == null ? "" : message;
        evidence = evidence == null ? "" : evidence;
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(openedAt, "openedAt");
        Objects.requireNonNull(lastSeen, "lastSeen");
        Objects.requireNonNull(resolvedAt, "resolvedAt");
        Objects.requireNonNull(timeToResolve, "timeToResolve");
        Objects.requireNonNull(resolution, "resolution");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(transition, "transition");
    }

    /** {@code check-id#Kind/namespace/name}: unique within a cluster, same as {@code CheckResult.findingKey()}. */
    public String findingKey() {
        return key(checkId, resource);
    }

    /** Identifies the latest transition: one alert per transition id and notifier, never two. */
    public String transitionId() {
        return findingKey() + "@" + transition.runId();
    }

    public boolean isUnresolved() {
        return status != FindingStatus.RESOLVED;
    }

    public Finding withTransition(Transition newTransition) {
        return new Finding(checkId, resource, scope, status, severity, title, message, evidence, firstSeen, openedAt,
                lastSeen, resolvedAt, timeToResolve, resolution, reopenCount, expiresAt, newTransition);
    }

    static String key(String checkId, ResourceRef resource) {
        return checkId + "#" + resource.key();
    }
}
