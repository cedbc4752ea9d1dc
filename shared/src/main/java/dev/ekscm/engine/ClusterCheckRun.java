package dev.ekscm.engine;

import dev.ekscm.checks.Check;
import dev.ekscm.checks.CheckConfig;
import dev.ekscm.checks.Evaluation;
import dev.ekscm.checks.Evaluator;
import dev.ekscm.model.ClusterSnapshot;
import dev.ekscm.model.Input;
import dev.ekscm.model.Scope;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The one pipeline every entry point calls (CLI, Lambda handlers): collect only what the checks
 * in scope need, evaluate, and hand the evaluation on. Handlers and commands only parse, call
 * this, and render.
 */
public final class ClusterCheckRun {
    private final List<Check> checks;
    private final CheckConfig config;
    private final Clock clock;

    public ClusterCheckRun(List<Check> checks, CheckConfig config, Clock clock) {
        this.checks = List.copyOf(checks);
        this.config = config;
        this.clock = clock;
    }

    /** The inputs the checks of these scopes read. */
    public Set<Input> inputsFor(Set<Scope> scopes) {
        var inputs = EnumSet.noneOf(Input.class);
        checks.stream().filter(c -> scopes.contains(c.metadata().scope()))
                .forEach(c -> inputs.addAll(c.metadata().requires()));
        return inputs;
    }

    public RunReport run(SnapshotSource source, Set<Scope> scopes, String trigger) {
        Instant started = clock.instant();
        ClusterSnapshot snapshot = source.collect(inputsFor(scopes));
        Evaluation evaluation = new Evaluator(checks, config).evaluate(snapshot, scopes);
        Duration took = Duration.between(started, clock.instant());
        return new RunReport(UUID.randomUUID().toString(), trigger, snapshot, evaluation,
                RunReport.sorted(source.apiCalls()), took);
    }

    public List<Check> checks() {
        return checks;
    }
}
