package dev.ekscm.engine;

import dev.ekscm.alerts.Alert;
import dev.ekscm.alerts.Notifier;
import dev.ekscm.collect.LiveSnapshotSource;
import dev.ekscm.findings.AlertState;
import dev.ekscm.findings.Finding;
import dev.ekscm.findings.FindingStatus;
import dev.ekscm.findings.RecordOutcome;
import dev.ekscm.findings.Transition;
import dev.ekscm.findings.TransitionType;
import dev.ekscm.model.ClusterSnapshot;
import dev.ekscm.model.ResourceRef;
import dev.ekscm.model.Severity;
import dev.ekscm.remediation.ClusterObjects;
import dev.ekscm.remediation.Ec2InstanceMetadataSettings;
import dev.ekscm.remediation.EksClusterTagsReader;
import dev.ekscm.remediation.Fabric8ClusterObjects;
import dev.ekscm.remediation.Recheck;
import dev.ekscm.remediation.RemediationLog;
import dev.ekscm.remediation.RemediationPolicy;
import dev.ekscm.remediation.RemediationRecord;
import dev.ekscm.remediation.Remediator;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Remediation after a recorded run (DESIGN section 8): only for clusters whose tags opt in (the
 * Remediator reads them again right before acting), through the monitor's own role, with every
 * action recorded in the remediation log. Actions that are new or changed since the last record of
 * the same target are announced to the notifiers as REMEDIATED; recurring MANUAL/UNCHANGED/DRY_RUN
 * records with the same outcome are not announced again.
 */
public final class MonitorRemediation implements MonitorRecheckService.RemediationStep {
    private static final Logger LOG = LoggerFactory.getLogger(MonitorRemediation.class);
    private static final Set<RemediationRecord.Outcome> ANNOUNCED = Set.of(RemediationRecord.Outcome.APPLIED,
            RemediationRecord.Outcome.DRY_RUN, RemediationRecord.Outcome.FAILED, RemediationRecord.Outcome.MANUAL);

    private final RemediationLog log;
    private final List<Notifier> notifiers;
    private final ClusterCheckRun run;
    private final Clock clock;
    private final boolean switchOn;
    private final Consumer<List<RemediationRecord>> onRecords;

    public MonitorRemediation(RemediationLog log, List<Notifier> notifiers, ClusterCheckRun run, Clock clock, boolean switchOn) {
        this(log, notifiers, run, clock, switchOn, records -> { });
    }

    /** @param onRecords what else to do with a run's records, e.g. summarise them on their findings */
    public MonitorRemediation(RemediationLog log, List<Notifier> notifiers, ClusterCheckRun run, Clock clock, boolean switchOn,
                              Consumer<List<RemediationRecord>> onRecords) {
        this.onRecords = onRecords;
        this.log = log;
        this.notifiers = List.copyOf(notifiers);
        this.run = run;
        this.clock = clock;
        this.switchOn = switchOn;
    }

    @Override
    public void remediate(RunReport report, SnapshotSource source, LiveSnapshotSource live) {
        ClusterSnapshot snapshot = report.snapshot();
        if (!switchOn || !RemediationPolicy.fromTags(snapshot.clusterTags(), true).enablesAny()) {
            return; // not opted in by its tags: no client is even built
        }
        var previous = log.records(snapshot.cluster());
        var clients = live.awsClients(snapshot.cluster().region());
        Optional<KubernetesClient> k8s = live.kubernetesClientFor(snapshot);
        try {
            ClusterObjects objects = k8s.<ClusterObjects>map(Fabric8ClusterObjects::new)
                    .orElseGet(() -> ClusterObjects.unavailable("the cluster's Kubernetes API endpoint is unknown"));
            var remediator = new Remediator(new EksClusterTagsReader(clients.eks()), objects,
                    new Ec2InstanceMetadataSettings(clients.ec2()), log, clock, switchOn);
            var config = run.configFor(clock.instant());
            List<RemediationRecord> records = remediator.remediate(snapshot, report.evaluation().results(), config,
                    Recheck.collecting(source::collect, run.checks(), config));
            records.forEach(r -> LOG.info("cluster {}: remediation {}", snapshot.cluster(), r.summary()));
            onRecords.accept(records);
            announce(report, changedSince(previous, records));
        } finally {
            k8s.ifPresent(KubernetesClient::close);
        }
    }

    /** Records whose target had no earlier record with the same outcome and result. */
    static List<RemediationRecord> changedSince(List<RemediationRecord> previous, List<RemediationRecord> records) {
        Map<String, RemediationRecord> last = previous.stream()
                .collect(Collectors.toMap(RemediationRecord::key, r -> r, (a, b) -> b));
        return records.stream().filter(r -> ANNOUNCED.contains(r.outcome())).filter(r -> {
            var before = last.get(r.key());
            return before == null || before.outcome() != r.outcome() || !Objects.equals(before.after(), r.after());
        }).toList();
    }

    private void announce(RunReport report, List<RemediationRecord> records) {
        if (records.isEmpty() || notifiers.isEmpty()) {
            return;
        }
        var now = clock.instant();
        var transitions = new ArrayList<Finding>();
        for (RemediationRecord r : records) {
            var transition = Transition.of(TransitionType.REMEDIATED, report.runId(), now, AlertState.PENDING, List.of());
            transitions.add(new Finding(r.remediation().checkId(), ResourceRef.of("Remediation", "", r.target()),
                    run.checks().stream().filter(c -> c.id().equals(r.remediation().checkId())).findFirst()
                            .map(c -> c.metadata().scope()).orElse(dev.ekscm.model.Scope.NODES),
                    FindingStatus.OPEN, Severity.HIGH, "Auto-remediation " + r.remediation() + " (" + r.mode() + ")",
                    r.summary(), "", now, now, now, Optional.empty(), Optional.empty(), Optional.empty(), 0,
                    Optional.empty(), transition));
        }
        String team = report.recorded().map(RecordOutcome::team).orElse(RecordOutcome.teamOf(report.snapshot().clusterTags()));
        var alert = new Alert(report.snapshot().cluster(), team, report.runId(), now, transitions);
        for (Notifier n : notifiers) {
            try {
                n.send(alert);
            } catch (RuntimeException e) {
                // The records are in the remediation log whatever happens here; the notice is best effort.
                LOG.warn("cluster {}: remediation notice to {} failed: {}", report.snapshot().cluster(), n.name(), e.toString());
            }
        }
    }
}
