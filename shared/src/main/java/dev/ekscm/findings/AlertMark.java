package dev.ekscm.findings;

import java.time.Instant;
import java.util.Objects;

/**
 * Records that {@code notifier} delivered the transition {@code transitionRunId} of a finding;
 * {@code complete} when every configured notifier has now delivered it (the alert becomes SENT).
 * A mark applies only while that transition is still the finding's latest.
 */
public record AlertMark(String findingKey, String transitionRunId, String notifier, boolean complete, Instant at) {
    public AlertMark {
        Objects.requireNonNull(findingKey, "findingKey");
        Objects.requireNonNull(transitionRunId, "transitionRunId");
        Objects.requireNonNull(notifier, "notifier");
        Objects.requireNonNull(at, "at");
    }
}
