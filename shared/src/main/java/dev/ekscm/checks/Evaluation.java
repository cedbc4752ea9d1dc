package dev.ekscm.checks;

import dev.ekscm.model.CheckResult;
import dev.ekscm.model.ClusterId;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Severity;
import dev.ekscm.model.Status;

import java.util.List;
import java.util.Set;

/** The outcome of every evaluated check for one cluster, and the scopes the run covered. */
public record Evaluation(ClusterId cluster, Set<Scope> scopes, List<CheckOutcome> outcomes) {
    public Evaluation {
        scopes = Set.copyOf(scopes);
        outcomes = List.copyOf(outcomes);
    }

    public List<CheckResult> results() {
        return outcomes.stream().flatMap(o -> o.results().stream()).toList();
    }

    /** FAIL and EXEMPT results: what becomes a finding. */
    public List<CheckResult> findings() {
        return results().stream().filter(r -> r.status() == Status.FAIL || r.status() == Status.EXEMPT).toList();
    }

    public boolean hasOpenAtLeast(Severity threshold) {
        return results().stream().anyMatch(r -> r.status() == Status.FAIL && r.severity().atLeast(threshold));
    }
}
