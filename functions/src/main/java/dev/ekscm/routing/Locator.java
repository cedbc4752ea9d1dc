package dev.ekscm.routing;

import java.util.List;
import java.util.Objects;

/**
 * Where an identifier sits in a CloudTrail record and how it resolves. Pointers are JSON
 * pointers into {@code detail} (e.g. {@code /requestParameters/name}); a segment {@code *} stands
 * for every element of an array (a single object in its place counts as one element, as EC2's
 * XML-derived records do). All pointers are read and their distinct values pooled.
 */
public record Locator(List<String> pointers, Resolution resolution) {
    public Locator {
        pointers = List.copyOf(pointers);
        Objects.requireNonNull(resolution, "resolution");
        if (pointers.isEmpty()) {
            throw new IllegalArgumentException("a locator needs at least one pointer");
        }
        for (String p : pointers) {
            if (!p.startsWith("/")) {
                throw new IllegalArgumentException("pointer '" + p + "' must start with /");
            }
        }
    }
}
