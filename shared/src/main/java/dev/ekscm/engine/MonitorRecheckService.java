package dev.ekscm.engine;

import dev.ekscm.collect.LiveSnapshotSource;
import dev.ekscm.model.ClusterId;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Severity;
import dev.ekscm.model.Status;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The recheck the cluster-check function runs: collect the cluster live (only what the scopes'
 * checks need), evaluate, record transitions, alert, then remediate when the cluster opted in.
 */
public final class MonitorRecheckService implements RecheckService {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MonitorRecheckService.class);
    private final Function<ClusterId, LiveSnapshotSource> live;
    private final ClusterCheckRun run;
    private final Optional<RemediationStep> remediation;

    /** One source for every cluster (one account). */
    public MonitorRecheckService(LiveSnapshotSource live, ClusterCheckRun run, Optional<RemediationStep> remediation) {
        this(cluster -> live, run, remediation);
    }

    /** A source per cluster's account (member accounts through their role, see {@link LiveSources}). */
    public MonitorRecheckService(Function<ClusterId, LiveSnapshotSource> live, ClusterCheckRun run,
                                 Optional<RemediationStep> remediation) {
        this.live = live;
        this.run = run;
        this.remediation = remediation;
    }

    @Override
    public RecheckOutcome recheck(ClusterId cluster, Set<Scope> scopes, String trigger) {
        LiveSnapshotSource account = live.apply(cluster);
        var source = LiveClusterSource.eks(account, cluster.name(), cluster.region(), Optional.empty());
        RunReport report = run.run(source, scopes, trigger);
        remediation.ifPresent(step -> {
            try {
                step.remediate(report, source, account);
            } catch (RuntimeException e) {
                // Findings and alerts of this run are recorded; a failed remediation must not make the
                // queue re-run the whole recheck. The next run plans it again.
                LOG.error("cluster {}: remediation failed, retried by the next run: {}", cluster, e.toString());
            }
        });
        Map<Severity, Integer> open = new EnumMap<>(Severity.class);
        report.evaluation().results().stream().filter(r -> r.status() == Status.FAIL)
                .forEach(r -> open.merge(r.severity(), 1, Integer::sum));
        int transitions = report.recorded().map(r -> r.transitions().size()).orElse(0);
        return new RecheckOutcome(report.snapshot().cluster(), report.runId(), scopes, open, transitions, report.duration(),
                report.apiCalls());
    }

    /** What runs after a recorded run when remediation is switched on for the deployment. */
    public interface RemediationStep {
        /** @param live the account's live source (remediation acts with the same credentials) */
        void remediate(RunReport report, SnapshotSource source, LiveSnapshotSource live);
    }
}
