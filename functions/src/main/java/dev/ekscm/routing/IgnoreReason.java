package dev.ekscm.routing;

/** Why a well-formed event leads to no recheck: acknowledged and counted, never retried. */
public enum IgnoreReason {
    /** The call failed ({@code errorCode}): nothing changed. */
    FAILED_CALL("failed-call"),
    /** A read-only call ({@code readOnly: true}, Describe*, List*, Get*). */
    READ_ONLY("read-only"),
    /** The monitor's own role made the call (loop guard). */
    MONITOR_ROLE("monitor-role"),
    /** An eventName the routing table does not list. */
    UNKNOWN_EVENT("unknown-event"),
    /** Resolution found no cluster (a plain instance, an unused subnet). */
    UNKNOWN_CLUSTER("unknown-cluster");

    private final String label;

    IgnoreReason(String label) {
        this.label = label;
    }

    /** The metric dimension value and log field. */
    public String label() {
        return label;
    }
}
