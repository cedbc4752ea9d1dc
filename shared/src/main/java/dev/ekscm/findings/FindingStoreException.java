package dev.ekscm.findings;

/** A store operation failed for good (after retries): says which operation, table and cluster. */
public class FindingStoreException extends RuntimeException {
    public FindingStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public FindingStoreException(String message) {
        super(message);
    }
}
