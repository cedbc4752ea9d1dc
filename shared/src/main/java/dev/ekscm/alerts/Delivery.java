package dev.ekscm.alerts;

import java.util.Optional;
import java.util.Set;

/**
 * What a notifier delivered: the transition ids it sent (each in exactly one message), how many
 * messages, and why it stopped if it did not deliver them all. Transitions not delivered stay PENDING.
 */
public record Delivery(Set<String> delivered, int messages, Optional<String> failure) {
    public Delivery {
        delivered = Set.copyOf(delivered);
    }

    public static Delivery complete(Set<String> delivered, int messages) {
        return new Delivery(delivered, messages, Optional.empty());
    }

    public static Delivery failed(Set<String> delivered, int messages, String failure) {
        return new Delivery(delivered, messages, Optional.of(failure));
    }
}
