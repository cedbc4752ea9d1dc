package dev.ekscm.model;

/**
 * Verdict of a check. A result about one resource is PASS, FAIL or EXEMPT; a check as a
 * whole is PASS, FAIL or NOT_APPLICABLE (its data was absent, which is never a PASS).
 */
public enum Status {
    PASS, FAIL, EXEMPT, NOT_APPLICABLE
}
