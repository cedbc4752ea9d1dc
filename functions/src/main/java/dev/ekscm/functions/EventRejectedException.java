package dev.ekscm.functions;

/**
 * Thrown by a handler for an event it will not process (malformed, hostile). Lambda's
 * asynchronous invocation then retries it and delivers it to the on-failure destination (the
 * change-events DLQ), so nothing is lost; the handler has already logged one structured line
 * saying why, so this carries no stack trace.
 */
public final class EventRejectedException extends RuntimeException {
    public EventRejectedException(String message) {
        super(message, null, false, false);
    }
}
