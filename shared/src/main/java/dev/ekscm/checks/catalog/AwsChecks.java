package dev.ekscm.checks.catalog;

import dev.ekscm.checks.Check;

import java.util.List;

/** The aws checks of the catalog. */
public final class AwsChecks {
    private AwsChecks() {
    }

    public static List<Check> all() {
        return List.of();
    }
}
