package dev.ekscm.checks;

import dev.ekscm.model.CheckResult;

import java.util.List;

/**
 * One best-practice check: a pure function of a snapshot (no I/O, no environment, no clock).
 * It reports one result per resource it judged; the {@link Evaluator} turns absent inputs into
 * NOT_APPLICABLE and applies exemptions, so a check only says PASS or FAIL.
 */
public interface Check {
    CheckMetadata metadata();

    List<CheckResult> evaluate(CheckContext context);

    default String id() {
        return metadata().id();
    }
}
