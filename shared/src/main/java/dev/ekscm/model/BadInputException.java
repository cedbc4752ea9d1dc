package dev.ekscm.model;

/**
 * Input that cannot be used: a broken manifest, an unknown AWS JSON file, an unknown cluster.
 * The message names what and where (file, document, field) and what to do; it is shown to the
 * user without a stack trace.
 */
public class BadInputException extends RuntimeException {
    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
