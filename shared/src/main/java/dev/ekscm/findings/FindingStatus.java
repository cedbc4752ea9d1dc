package dev.ekscm.findings;

/**
 * Where a finding stands. OPEN fails now; EXEMPT fails but is accepted by an exemption;
 * RESOLVED passed (or its resource disappeared) in the last run that covered it.
 */
public enum FindingStatus {
    OPEN, RESOLVED, EXEMPT
}
