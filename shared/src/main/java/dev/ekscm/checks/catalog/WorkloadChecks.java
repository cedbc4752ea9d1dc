package dev.ekscm.checks.catalog;

import dev.ekscm.checks.Check;

import java.util.List;

/** The workload checks of the catalog. */
public final class WorkloadChecks {
    private WorkloadChecks() {
    }

    public static List<Check> all() {
        return List.of();
    }
}
