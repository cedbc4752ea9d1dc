package dev.ekscm.findings;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the caller knows about a run: its id (unique, e.g. a Lambda request id or a UUID), what
 * triggered it ({@code schedule}, {@code change-event}, {@code cli}…), when it started and finished,
 * and the API calls it made (count per {@code service:Operation}).
 *
 * <p>{@code startedAt} is the observation time of every verdict in the run: findings' firstSeen,
 * resolvedAt and lastSeen, and the order of concurrent runs, all use it.
 */
public record RunInfo(String runId, String trigger, Instant startedAt, Instant finishedAt, Map<String, Long> apiCalls) {
    public RunInfo {
        Objects.requireNonNull(runId, "runId");
        if (runId.isBlank()) {
            throw new IllegalArgumentException("runId must not be blank");
        }
        trigger = trigger == null || trigger.isBlank() ? "unknown" : trigger;
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        if (finishedAt.isBefore(startedAt)) {
            throw new IllegalArgumentException("run " + runId + " finished (" + finishedAt + ") before it started (" + startedAt + ")");
        }
        apiCalls = Map.copyOf(new TreeMap<>(apiCalls));
    }

    public static RunInfo of(String runId, String trigger, Instant startedAt, Instant finishedAt) {
        return new RunInfo(runId, trigger, startedAt, finishedAt, Map.of());
    }

    public Duration duration() {
        return Duration.between(startedAt, finishedAt);
    }
}
