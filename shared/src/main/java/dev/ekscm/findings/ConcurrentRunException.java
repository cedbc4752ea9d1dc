package dev.ekscm.findings;

/**
 * Another run of the same cluster committed (or holds the commit lease) since this run read the
 * cluster: the caller re-reads and reconciles again.
 */
public class ConcurrentRunException extends RuntimeException {
    public ConcurrentRunException(String message) {
        super(message);
    }
}
