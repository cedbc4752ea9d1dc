package dev.ekscm.findings;

/**
 * A change of a finding's status: the only thing that alerts.
 * <ul>
 *   <li>NEW: no stored finding, the check fails now.</li>
 *   <li>REGRESSED: the finding was RESOLVED or EXEMPT and fails again (reopenCount + 1). An exemption
 *       that is withdrawn is a regression: the risk is open again and nobody has accepted it.</li>
 *   <li>RESOLVED: the finding was OPEN or EXEMPT and now passes, or its resource is gone, in a run
 *       whose checks covered it.</li>
 *   <li>EXEMPTED: the finding is accepted by an exemption, coming from OPEN, RESOLVED or nothing.</li>
 *   <li>REMEDIATED: the monitor's auto-remediation acted on the finding (announced, never stored as a status).</li>
 * </ul>
 */
public enum TransitionType {
    NEW(1), REGRESSED(0), RESOLVED(3), EXEMPTED(2),
    /** Not a status change: the monitor acted on the finding (remediation applied, failed, or previewed in dry-run). */
    REMEDIATED(4);

    private final int rank;

    TransitionType(int rank) {
        this.rank = rank;
    }

    /** Lower is more important: what on-call should read first within one severity. */
    public int rank() {
        return rank;
    }
}
