package dev.ekscm.remediation;

/**
 * How a remediation acts: {@code dry-run} (the default) records what it would do and changes
 * nothing; {@code enforce} applies it.
 */
public enum RemediationMode {
    DRY_RUN("dry-run"), ENFORCE("enforce");

    private final String tagValue;

    RemediationMode(String tagValue) {
        this.tagValue = tagValue;
    }

    public String tagValue() {
        return tagValue;
    }

    /** The stricter of two modes: enforce only when both say enforce. */
    public RemediationMode and(RemediationMode other) {
        return this == ENFORCE && other == ENFORCE ? ENFORCE : DRY_RUN;
    }

    @Override
    public String toString() {
        return tagValue;
    }
}
