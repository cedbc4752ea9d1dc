package dev.ekscm.engine;

import dev.ekscm.alerts.AlertDispatcher;
import dev.ekscm.alerts.AlertOutcome;
import dev.ekscm.alerts.Notifier;
import dev.ekscm.checks.Check;
import dev.ekscm.checks.CheckConfig;
import dev.ekscm.checks.Evaluation;
import dev.ekscm.checks.Evaluator;
import dev.ekscm.collect.CollectionPlan;
import dev.ekscm.findings.FindingsLedger;
import dev.ekscm.findings.RecordOutcome;
import dev.ekscm.findings.RunInfo;
import dev.ekscm.model.ClusterSnapshot;
import dev.ekscm.model.Input;
import dev.ekscm.model.Scope;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.function.Function;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The one pipeline every entry point calls (CLI, Lambda handlers): collect only what the checks
 * in scope need, evaluate, record the findings' transitions, alert on them. Handlers and commands
 * only parse, call this, and render.
 */
public final class ClusterCheckRun {
    private final List<Check> checks;
    private final Function<LocalDate, CheckConfig> config;
    private final Clock clock;
    private final Optional<FindingsLedger> ledger;
    private final Optional<AlertDispatcher> dispatcher;
    private final List<Notifier> notifiers;

    public ClusterCheckRun(List<Check> checks, CheckConfig config, Clock clock) {
        this(checks, day -> config, clock, Optional.empty(), Optional.empty(), List.of());
    }

    /**
     * A run whose policy is made for the day of each run (a long-lived or SnapStart-restored
     * function must not judge version support against the day it started).
     */
    public static ClusterCheckRun daily(List<Check> checks, Function<LocalDate, CheckConfig> config, Clock clock) {
        return new ClusterCheckRun(checks, config, clock, Optional.empty(), Optional.empty(), List.of());
    }

    private ClusterCheckRun(List<Check> checks, Function<LocalDate, CheckConfig> config, Clock clock, Optional<FindingsLedger> ledger,
                            Optional<AlertDispatcher> dispatcher, List<Notifier> notifiers) {
        this.checks = List.copyOf(checks);
        this.config = config;
        this.clock = clock;
        this.ledger = ledger;
        this.dispatcher = dispatcher;
        this.notifiers = List.copyOf(notifiers);
    }

    /** Records each run's findings and transitions. */
    public ClusterCheckRun withFindings(FindingsLedger findings) {
        return new ClusterCheckRun(checks, config, clock, Optional.of(findings), dispatcher, notifiers);
    }

    /** Sends the alerts of each recorded run (and what earlier runs left pending) through these notifiers. */
    public ClusterCheckRun withAlerts(AlertDispatcher alerts, List<Notifier> to) {
        return new ClusterCheckRun(checks, config, clock, ledger, Optional.of(alerts), to);
    }

    /** The inputs the checks of these scopes require or consult: all a live source should fetch. */
    public Set<Input> inputsFor(Set<Scope> scopes) {
        return CollectionPlan.forScopes(checks, scopes).requested();
    }

    public RunReport run(SnapshotSource source, Set<Scope> scopes, String trigger) {
        String runId = UUID.randomUUID().toString();
        Instant started = clock.instant();
        ClusterSnapshot snapshot = source.collect(inputsFor(scopes));
        Evaluation evaluation = new Evaluator(checks, configFor(started)).evaluate(snapshot, scopes);
        Instant finished = clock.instant();
        var calls = RunReport.sorted(source.apiCalls());
        Optional<RecordOutcome> recorded = ledger.map(l -> {
            var longCalls = new LinkedHashMap<String, Long>();
            calls.forEach((k, v) -> longCalls.put(k, v.longValue()));
            return l.record(snapshot.cluster(), snapshot.clusterTags(), evaluation,
                    new RunInfo(runId, trigger, started, finished, longCalls));
        });
        Optional<AlertOutcome> alerts = recorded.flatMap(r -> dispatcher.map(d -> d.deliver(r, notifiers)));
        return new RunReport(runId, trigger, snapshot, evaluation, calls, Duration.between(started, finished),
                recorded, alerts);
    }

    public List<Check> checks() {
        return checks;
    }

    /** The policy for a run that starts at {@code at}. */
    public CheckConfig configFor(Instant at) {
        return config.apply(LocalDate.ofInstant(at, java.time.ZoneOffset.UTC));
    }
}
