package dev.ekscm.alerts;

/**
 * A channel alerts go to. A notifier splits an alert into as many messages as its channel's limits
 * need (each transition in exactly one message), sends them in order and stops at the first message
 * that fails; it reports what it delivered rather than throwing.
 */
public interface Notifier {
    /** Stable name, recorded on each transition it delivered so it never sends that transition again. */
    String name();

    Delivery send(Alert alert);
}
