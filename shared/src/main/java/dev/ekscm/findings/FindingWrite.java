package dev.ekscm.findings;

import java.util.Objects;

/**
 * One finding item to write. A transition write replaces every lifecycle and alert attribute; a
 * refresh (still open, but its severity or message changed) touches only the content attributes, so
 * it can never undo an alert mark written meanwhile.
 */
public record FindingWrite(Finding finding, boolean transition) {
    public FindingWrite {
        Objects.requireNonNull(finding, "finding");
    }

    public static FindingWrite transition(Finding finding) {
        return new FindingWrite(finding, true);
    }

    public static FindingWrite refresh(Finding finding) {
        return new FindingWrite(finding, false);
    }
}
