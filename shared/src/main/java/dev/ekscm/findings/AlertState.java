package dev.ekscm.findings;

/**
 * Outbox state of a finding's latest transition. PENDING until every configured notifier has
 * delivered it; SENT then; SKIPPED when its severity is below the alert threshold (recorded, never
 * sent).
 */
public enum AlertState {
    PENDING, SENT, SKIPPED
}
