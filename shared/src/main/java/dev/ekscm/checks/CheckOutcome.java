package dev.ekscm.checks;

import dev.ekscm.model.CheckResult;
import dev.ekscm.model.Status;

import java.util.List;
import java.util.Optional;

/**
 * One check's verdict over a snapshot: PASS, FAIL or NOT_APPLICABLE, its per-resource results,
 * and, when NOT_APPLICABLE, why (missing inputs, or the check failed to run).
 */
public record CheckOutcome(CheckMetadata metadata, Status status, List<CheckResult> results, Optional<String> note) {
    public CheckOutcome {
        results = List.copyOf(results);
    }

    public long failed() {
        return results.stream().filter(r -> r.status() == Status.FAIL).count();
    }
}
