package dev.ekscm.routing;

import dev.ekscm.model.BadInputException;

/**
 * An event that cannot be routed because it is not what it claims to be: not a JSON object, a
 * missing or mistyped field, an oversized value, an identifier that fails its pattern. The
 * message names the field and what was wrong; the event is rejected so that Lambda's
 * asynchronous error handling delivers it to the dead-letter queue.
 */
public final class MalformedEventException extends BadInputException {
    private final String field;

    public MalformedEventException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    /** The JSON path of the offending field, e.g. {@code detail.requestParameters.name}. */
    public String field() {
        return field;
    }
}
