package dev.ekscm.findings;

import java.time.Instant;
import java.util.Objects;

/** A time-bounded claim on a cluster's STATE item by one run; expired leases are free to take. */
public record Lease(String owner, Instant until) {
    public Lease {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(until, "until");
    }

    /** True when a run other than {@code other} holds it and it has not expired. */
    public boolean activeFor(String other, Instant now) {
        return !owner.equals(other) && until.isAfter(now);
    }
}
