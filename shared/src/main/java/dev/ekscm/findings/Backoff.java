package dev.ekscm.findings;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;

/**
 * Exponential backoff with jitter ("equal jitter": half fixed, half random), capped. The jitter
 * source is a SecureRandom, which stays unpredictable across SnapStart restores.
 */
public final class Backoff {
    private static final SecureRandom JITTER = new SecureRandom();

    private final Duration base;
    private final Duration cap;
    private final Sleeper sleeper;

    public Backoff(Duration base, Duration cap, Sleeper sleeper) {
        this.base = Objects.requireNonNull(base, "base");
        this.cap = Objects.requireNonNull(cap, "cap");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    public static Backoff standard(Sleeper sleeper) {
        return new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2), sleeper);
    }

    /** The wait before retry number {@code attempt} (1 = first retry). */
    public Duration delay(int attempt) {
        long max = Math.min(cap.toMillis(), base.toMillis() << Math.min(Math.max(attempt - 1, 0), 20));
        long half = max / 2;
        return Duration.ofMillis(half + (half > 0 ? JITTER.nextLong(half + 1) : 0));
    }

    public void pause(int attempt) {
        sleeper.sleep(delay(attempt));
    }

    public Sleeper sleeper() {
        return sleeper;
    }
}
