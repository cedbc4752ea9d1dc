package dev.ekscm.model;

import java.util.Locale;

/** Finding severity, ordered from least to most severe. */
public enum Severity {
    LOW, MEDIUM, HIGH, CRITICAL;

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }

    /** Parses a severity name case-insensitively; the error lists the accepted names. */
    public static Severity parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown severity '" + text + "': expected one of LOW, MEDIUM, HIGH, CRITICAL");
        }
    }
}
