package dev.ekscm.model;

import java.util.Objects;

/**
 * One verdict of one check about one resource. {@code message} says what is wrong or right in
 * words an on-call engineer can act on; {@code evidence} holds the facts that led to it (may be
 * empty). Exemption reasons are carried in {@code evidence} of EXEMPT results.
 */
public record CheckResult(String checkId, ResourceRef resource, Status status, Severity severity,
                          String message, String evidence) {
    public CheckResult {
        Objects.requireNonNull(checkId, "checkId");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(severity, "severity");
        if (status == Status.NOT_APPLICABLE) {
            throw new IllegalArgumentException("NOT_APPLICABLE is a check-level status, not a result");
        }
        message = message == null ? "" : message;
        evidence = evidence == null ? "" : evidence;
    }

    /** Deterministic within a cluster: {@code check-id#Kind/namespace/name}. */
    public String findingKey() {
        return checkId + "#" + resource.key();
    }

    public CheckResult withStatus(Status newStatus, String newEvidence) {
        return new CheckResult(checkId, resource, newStatus, severity, message, newEvidence);
    }

    public CheckResult withSeverity(Severity newSeverity) {
        return new CheckResult(checkId, resource, status, newSeverity, message, evidence);
    }
}
