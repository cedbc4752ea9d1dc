package dev.ekscm.checks;

import dev.ekscm.model.CheckResult;
import dev.ekscm.model.ResourceRef;
import dev.ekscm.model.Severity;
import dev.ekscm.model.Status;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects a check's verdicts, one per resource: several failures of one resource (two
 * containers, two rules) merge into one FAIL with both messages and the higher severity, and a
 * FAIL always wins over a PASS for the same resource.
 */
public final class Verdicts {
    private final CheckMetadata metadata;
    private final Map<ResourceRef, CheckResult> byResource = new LinkedHashMap<>();

    public Verdicts(CheckMetadata metadata) {
        this.metadata = metadata;
    }

    public Verdicts pass(ResourceRef resource, String message) {
        return pass(resource, message, "");
    }

    public Verdicts pass(ResourceRef resource, String message, String evidence) {
        byResource.putIfAbsent(resource, new CheckResult(metadata.id(), resource, Status.PASS,
                metadata.defaultSeverity(), message, evidence));
        return this;
    }

    public Verdicts fail(ResourceRef resource, String message) {
        return fail(resource, metadata.defaultSeverity(), message, "");
    }

    public Verdicts fail(ResourceRef resource, Severity severity, String message) {
        return fail(resource, severity, message, "");
    }

    public Verdicts fail(ResourceRef resource, Severity severity, String message, String evidence) {
        var next = new CheckResult(metadata.id(), resource, Status.FAIL, severity, message, evidence);
        byResource.merge(resource, next, Verdicts::merge);
        return this;
    }

    private static CheckResult merge(CheckResult old, CheckResult next) {
        if (old.status() != Status.FAIL) {
            return next;
        }
        Severity severity = old.severity().atLeast(next.severity()) ? old.severity() : next.severity();
        String message = old.message().contains(next.message()) ? old.message() : old.message() + "; " + next.message();
        String evidence = old.evidence().isEmpty() ? next.evidence()
                : next.evidence().isEmpty() || old.evidence().contains(next.evidence()) ? old.evidence()
                : old.evidence() + "; " + next.evidence();
        return new CheckResult(old.checkId(), old.resource(), Status.FAIL, severity, message, evidence);
    }

    public List<CheckResult> list() {
        return new ArrayList<>(byResource.values());
    }
}
