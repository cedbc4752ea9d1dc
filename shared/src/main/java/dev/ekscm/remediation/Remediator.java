package dev.ekscm.remediation;

import dev.ekscm.checks.CheckConfig;
import dev.ekscm.checks.netpol.NetworkPolicies;
import dev.ekscm.model.CheckResult;
import dev.ekscm.model.ClusterId;
import dev.ekscm.model.ClusterSnapshot;
import dev.ekscm.model.Input;
import dev.ekscm.model.Status;
import dev.ekscm.model.aws.MetadataOptions;
import dev.ekscm.remediation.InstanceMetadataSettings.NodeInstance;
import dev.ekscm.remediation.PlannedAction.ApplyObject;
import dev.ekscm.remediation.PlannedAction.Manual;
import dev.ekscm.remediation.PlannedAction.ModifyInstanceMetadata;
import dev.ekscm.remediation.RemediationRecord.Outcome;
import dev.ekscm.remediation.RemediationRecord.Verification;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Plans, applies, verifies and undoes remediations for one cluster at a time: the one entry
 * point for the cluster-check function (after findings are recorded) and the CLI.
 *
 * <p>Safety, in order: nothing happens to a cluster that is not tagged {@code ekscm:auto-remediate}
 * (whatever the deployment switch says); the tags are read again right before acting; dry-run is
 * the default; a NetworkPolicy is applied only if, at that moment, no other policy of its
 * namespace isolates pods for Egress; objects that exist without the monitor's label are never
 * changed; conflicts with other field managers are never forced; EC2 changes only touch instances
 * tagged as nodes of the cluster and never enable a disabled metadata endpoint. Every action,
 * dry-run included, becomes a {@link RemediationRecord} in the {@link RemediationLog}.
 *
 * <p>Loop guard: the EC2 calls made here (ModifyInstanceMetadataOptions) are CloudTrail events the
 * change-events handler would turn into rechecks; they are made with the cluster-check role,
 * which is listed in {@code MONITOR_ROLE_ARNS}, and that handler drops events caused by those
 * roles. Build the EC2 client of this class from the cluster-check role's credentials only.
 */
public final class Remediator {
    private static final Logger LOG = LoggerFactory.getLogger(Remediator.class);

    private final ClusterTagsReader tags;
    private final ClusterObjects objects;
    private final InstanceMetadataSettings instances;
    private final RemediationLog log;
    private final Clock clock;
    private final boolean switchOn;

    /**
     * @param switchOn the deployment-wide switch ({@code REMEDIATION_ENABLED}, see
     *                 {@link RemediationPolicy#switchFromEnvironment})
     */
    public Remediator(ClusterTagsReader tags, ClusterObjects objects, InstanceMetadataSettings instances,
                      RemediationLog log, Clock clock, boolean switchOn) {
        this.tags = tags;
        this.objects = objects;
        this.instances = instances;
        this.log = log;
        this.clock = clock;
        this.switchOn = switchOn;
    }

    /** The cluster's policy from its tags as they are now. */
    public RemediationPolicy policyFor(ClusterId cluster) {
        return RemediationPolicy.fromTags(tags.tags(cluster), switchOn);
    }

    /**
     * A preview without any API call (files, or a snapshot alone): see
     * {@link RemediationPlanner#preview}; {@code policy} says whether the cluster opted in.
     */
    public static RemediationPlan plan(ClusterSnapshot snapshot, RemediationPolicy policy, CheckConfig config) {
        return new RemediationPlanner(config).plan(snapshot, policy, RemediationPlanner.targetResults(snapshot, config),
                PolicyBackend.inferFrom(snapshot));
    }

    /**
     * The live plan ({@code ekscm remediate --cluster NAME --plan}): tags read now, Calico detected
     * through API discovery, {@code results} of the run (the two target checks at least).
     */
    public RemediationPlan plan(ClusterSnapshot snapshot, List<CheckResult> results, CheckConfig config) {
        // Without workloads nothing is planned for the network policy: no need to ask the API.
        PolicyBackend backend = snapshot.has(Input.K8S_WORKLOADS) ? objects.policyBackend() : PolicyBackend.KUBERNETES;
        return new RemediationPlanner(config).plan(snapshot, policyFor(snapshot.cluster()), results, backend);
    }

    /**
     * What the cluster-check function calls after recording findings: nothing at all unless the
     * cluster's tags enable a remediation (then plans, applies in the tags' mode, rechecks, logs).
     */
    public List<RemediationRecord> remediate(ClusterSnapshot snapshot, List<CheckResult> results, CheckConfig config,
                                             Recheck recheck) {
        ClusterId cluster = snapshot.cluster();
        RemediationPolicy policy = snapshot.has(Input.EKS_CLUSTER) && !snapshot.clusterTags().isEmpty()
                ? RemediationPolicy.fromTags(snapshot.clusterTags(), switchOn) : policyFor(cluster);
        if (!policy.enablesAny()) {
            return List.of();
        }
        policy.warnings().forEach(w -> LOG.warn("cluster {}: {}", cluster, w));
        var early = new ArrayList<RemediationRecord>();
        PolicyBackend backend = PolicyBackend.KUBERNETES;
        // A run that collected no workloads (e.g. a nodes-only recheck) plans no network policy.
        boolean networkPolicy = policy.enables(RemediationId.IMDS_NETWORK_POLICY) && snapshot.has(Input.K8S_WORKLOADS);
        if (networkPolicy) {
            try {
                backend = objects.policyBackend();
            } catch (RuntimeException e) {
                networkPolicy = false;
                early.add(new RemediationRecord(cluster, RemediationId.IMDS_NETWORK_POLICY, List.of(), policy.mode(),
                        "Cluster/" + cluster.name(), "", "", Outcome.FAILED, "cannot ask the Kubernetes API whether "
                        + "Calico is installed (" + e.getMessage() + "): nothing done", clock.instant(), Optional.empty()));
            }
        }
        RemediationPlan plan = new RemediationPlanner(config).plan(snapshot, policy, results, backend).onlyEnabled();
        if (!networkPolicy) {
            plan = new RemediationPlan(plan.cluster(), plan.policy(), plan.backend(), plan.actions().stream()
                    .filter(a -> a.remediation() != RemediationId.IMDS_NETWORK_POLICY).toList(), plan.notes(),
                    plan.collected());
        }
        log.append(early);
        var records = new ArrayList<>(early);
        records.addAll(apply(plan, RemediationMode.ENFORCE, recheck));
        return records;
    }

    /**
     * Carries out a plan. The tags are read again first: only what they enable now runs, in the
     * stricter of their mode and {@code requested}. Applied changes are verified with
     * {@code recheck}. Every record is appended to the log and returned.
     */
    public List<RemediationRecord> apply(RemediationPlan plan, RemediationMode requested, Recheck recheck) {
        ClusterId cluster = plan.cluster();
        RemediationPolicy now;
        try {
            now = policyFor(cluster);
        } catch (RuntimeException e) {
            var failed = plan.actions().stream().filter(a -> plan.policy().enables(a.remediation()))
                    .map(a -> record(cluster, a, plan.policy().mode().and(requested), "", "", Outcome.FAILED,
                            "cannot read the cluster's tags right before acting (eks:DescribeCluster: " + e.getMessage()
                                    + "): nothing done"))
                    .toList();
            log.append(failed);
            return failed;
        }
        var run = new ApplyRun(plan, now, requested);
        var records = run.execute();
        records = verify(records, recheck);
        log.append(records);
        records.forEach(r -> LOG.info("cluster {}: {}", cluster, r.summary()));
        return records;
    }

    /** Everything the monitor applied to the cluster, undone ({@link RemediationMode#DRY_RUN}: only listed). */
    public List<RemediationRecord> undo(ClusterId cluster, RemediationMode mode) {
        // Read first: a log that cannot be read fails the undo before anything is changed.
        List<RemediationRecord> logged = log.records(cluster);
        var records = new ArrayList<RemediationRecord>();
        undoKubernetes(cluster, mode, records);
        undoInstances(cluster, mode, logged, records);
        log.append(records);
        records.forEach(r -> LOG.info("cluster {}: {}", cluster, r.summary()));
        return records;
    }

    // ---- apply ---------------------------------------------------------------------------

    private final class ApplyRun {
        private final RemediationPlan plan;
        private final RemediationPolicy now;
        private final RemediationMode requested;
        private final Set<String> notApplied = new HashSet<>();
        private Map<String, NodeInstance> described = Map.of();
        private Optional<String> describeFailure = Optional.empty();

        ApplyRun(RemediationPlan plan, RemediationPolicy now, RemediationMode requested) {
            this.plan = plan;
            this.now = now;
            this.requested = requested;
        }

        List<RemediationRecord> execute() {
            describeInstances();
            var records = new ArrayList<RemediationRecord>();
            for (PlannedAction a : plan.actions()) {
                if (!now.enables(a.remediation())) {
                    if (plan.policy().enables(a.remediation())) {
                        records.add(record(plan.cluster(), a, RemediationMode.DRY_RUN, "", "", Outcome.SKIPPED,
                                "enabled when planned, but not any more: " + now.whyOff(a.remediation())
                                        .orElse("the tags changed") + "; nothing done"));
                    }
                    continue;
                }
                RemediationMode mode = now.mode().and(requested);
                RemediationRecord r;
                if (a instanceof ApplyObject o) {
                    r = applyObject(o, mode);
                } else if (a instanceof ModifyInstanceMetadata m) {
                    r = modifyInstance(m, mode);
                } else {
                    Manual m = (Manual) a;
                    r = record(plan.cluster(), m, mode, "", m.instruction().orElse(""), Outcome.MANUAL,
                            m.reason() + m.instruction().map(i -> "; do: " + i).orElse(""));
                }
                if (r.outcome() == Outcome.FAILED || r.outcome() == Outcome.MANUAL) {
                    notApplied.add(r.target());
                }
                records.add(r);
            }
            return records;
        }

        private void describeInstances() {
            var ids = plan.instanceChanges().stream().filter(m -> now.enables(m.remediation()))
                    .map(ModifyInstanceMetadata::instanceId).toList();
            if (ids.isEmpty()) {
                return;
            }
            try {
                described = instances.describe(ids);
            } catch (RuntimeException e) {
                describeFailure = Optional.of("ec2:DescribeInstances failed: " + e.getMessage());
            }
        }

        private RemediationRecord applyObject(ApplyObject a, RemediationMode mode) {
            ClusterId cluster = plan.cluster();
            GenericKubernetesResource desired = a.object();
            String after = ManagedObjects.toYaml(desired);
            try {
                if ("GlobalNetworkPolicy".equals(desired.getKind())
                        && notApplied.contains("Tier/" + ImdsPolicyObjects.TIER_NAME)) {
                    return record(cluster, a, mode, "", after, Outcome.FAILED, "its tier "
                            + ImdsPolicyObjects.TIER_NAME + " was not applied: nothing done");
                }
                if (a.isNetworkPolicy()) {
                    List<NetworkPolicy> current = objects.networkPolicies(a.namespace());
                    List<String> egress = current.stream().filter(p -> !RemediationPlanner.isOurNetworkPolicy(p))
                            .filter(NetworkPolicies::affectsEgress).map(NetworkPolicies::name).sorted().toList();
                    if (!egress.isEmpty()) {
                        boolean ours = current.stream().anyMatch(RemediationPlanner::isOurNetworkPolicy);
                        return record(cluster, a, mode, "", after, Outcome.MANUAL,
                                RemediationPlanner.widensReason(a.namespace(), egress, ours) + " (found right before "
                                        + "applying); do: " + RemediationPlanner.widensInstruction(a.namespace(), egress, ours));
                    }
                }
                var meta = desired.getMetadata();
                Optional<GenericKubernetesResource> existing = objects.get(desired.getApiVersion(), desired.getKind(),
                        meta.getNamespace(), meta.getName());
                String before = existing.map(ManagedObjects::toYaml).orElse(RemediationRecord.ABSENT);
                if (existing.isPresent() && !ManagedObjects.isManaged(existing.get())) {
                    return record(cluster, a, mode, before, after, Outcome.MANUAL, a.target() + " exists without label "
                            + ManagedObjects.MANAGED_BY_LABEL + "=" + ManagedObjects.MANAGED_BY
                            + ": it is not the monitor's, so it is left alone");
                }
                if (existing.isPresent() && ManagedObjects.alreadyApplied(existing.get(), desired)) {
                    return record(cluster, a, mode, before, before, Outcome.UNCHANGED, "already applied");
                }
                if (mode == RemediationMode.DRY_RUN) {
                    return record(cluster, a, mode, before, after, Outcome.DRY_RUN, "dry-run: would "
                            + (existing.isPresent() ? "update" : "create") + " " + a.target() + " (tag "
                            + RemediationPolicy.MODE_TAG + "=enforce to apply)");
                }
                objects.apply(desired);
                return record(cluster, a, mode, before, after, Outcome.APPLIED, (existing.isPresent() ? "updated" : "created")
                        + " with server-side apply (field manager " + ManagedObjects.FIELD_MANAGER + ")");
            } catch (RuntimeException e) {
                return record(cluster, a, mode, "", after, Outcome.FAILED, "Kubernetes API: " + e.getMessage());
            }
        }

        private RemediationRecord modifyInstance(ModifyInstanceMetadata m, RemediationMode mode) {
            ClusterId cluster = plan.cluster();
            String after = m.after().describe();
            if (describeFailure.isPresent()) {
                return record(cluster, m, mode, m.before().describe(), after, Outcome.FAILED, describeFailure.get());
            }
            NodeInstance current = described.get(m.instanceId());
            if (current == null || !current.running()) {
                String state = current == null ? "no longer exists" : "is " + current.state();
                return record(cluster, m, mode, m.before().describe(), m.before().describe(), Outcome.UNCHANGED,
                        "instance " + m.instanceId() + " " + state);
            }
            String before = current.options().describe();
            if (!NodeOwnership.belongsTo(current.tags(), cluster.name())) {
                return record(cluster, m, mode, before, before, Outcome.MANUAL, "instance " + m.instanceId()
                        + " is not tagged as a node of cluster " + cluster.name() + ": not changed");
            }
            if (current.options().blocksPods()) {
                return record(cluster, m, mode, before, before, Outcome.UNCHANGED,
                        "already requires IMDSv2 with hop limit 1 (or has the endpoint disabled)");
            }
            if (mode == RemediationMode.DRY_RUN) {
                return record(cluster, m, mode, before, after, Outcome.DRY_RUN, "dry-run: would call "
                        + "ModifyInstanceMetadataOptions " + PlanYaml.apiArgs(m.after()) + " (tag "
                        + RemediationPolicy.MODE_TAG + "=enforce to apply)");
            }
            try {
                MetadataOptions result = instances.modify(m.instanceId(), m.after());
                return record(cluster, m, mode, before, result.describe(), Outcome.APPLIED,
                        "ModifyInstanceMetadataOptions " + PlanYaml.apiArgs(m.after()));
            } catch (RuntimeException e) {
                return record(cluster, m, mode, before, after, Outcome.FAILED,
                        "ec2:ModifyInstanceMetadataOptions: " + e.getMessage());
            }
        }
    }

    // ---- verify --------------------------------------------------------------------------

    private List<RemediationRecord> verify(List<RemediationRecord> records, Recheck recheck) {
        var applied = records.stream().filter(r -> r.outcome() == Outcome.APPLIED).toList();
        if (applied.isEmpty()) {
            return records;
        }
        Set<String> checkIds = applied.stream().map(r -> r.remediation().checkId()).collect(Collectors.toSet());
        var inputs = EnumSet.noneOf(Input.class);
        applied.forEach(r -> inputs.addAll(r.remediation().verifyInputs()));
        Map<String, CheckResult> results;
        try {
            results = recheck.run(checkIds, inputs).stream()
                    .collect(Collectors.toMap(CheckResult::findingKey, r -> r, (a, b) -> a));
        } catch (RuntimeException e) {
            String why = "recheck failed: " + e.getMessage();
            return records.stream().map(r -> r.outcome() == Outcome.APPLIED
                    ? r.withVerification(Verification.NOT_VERIFIED, why) : r).toList();
        }
        return records.stream().map(r -> r.outcome() == Outcome.APPLIED ? verified(r, results) : r).toList();
    }

    private static RemediationRecord verified(RemediationRecord r, Map<String, CheckResult> results) {
        var judged = r.findingKeys().stream().map(results::get).filter(x -> x != null).toList();
        if (judged.isEmpty()) {
            return r.withVerification(Verification.NOT_VERIFIED, "the recheck did not judge its findings");
        }
        var failing = judged.stream().filter(x -> x.status() == Status.FAIL).map(CheckResult::findingKey).toList();
        if (!failing.isEmpty()) {
            return r.withVerification(Verification.STILL_FAILING, "still failing: " + String.join(", ", failing));
        }
        return r.withVerification(Verification.VERIFIED, "rechecked: " + judged.size() + " finding"
                + (judged.size() == 1 ? "" : "s") + " now pass");
    }

    // ---- undo ----------------------------------------------------------------------------

    private void undoKubernetes(ClusterId cluster, RemediationMode mode, List<RemediationRecord> records) {
        RemediationId id = RemediationId.IMDS_NETWORK_POLICY;
        List<GenericKubernetesResource> managed;
        try {
            managed = objects.managed(objects.policyBackend());
        } catch (RuntimeException e) {
            records.add(new RemediationRecord(cluster, id, List.of(), mode, "Cluster/" + cluster.name(), "", "",
                    Outcome.FAILED, "cannot list the monitor's objects: " + e.getMessage(), clock.instant(),
                    Optional.empty()));
            return;
        }
        // Policies before their tier: Calico refuses to delete a tier that still holds policies.
        Map<String, Integer> order = Map.of("GlobalNetworkPolicy", 0, "NetworkPolicy", 1, "Tier", 2);
        var sorted = managed.stream().sorted(Comparator.comparing((GenericKubernetesResource o) ->
                order.getOrDefault(o.getKind(), 1)).thenComparing(PlannedAction::targetOf)).toList();
        for (GenericKubernetesResource o : sorted) {
            // Only what the monitor creates: its label AND one of its names (a label alone can be copied).
            if (!ManagedObjects.isManaged(o) || !ImdsPolicyObjects.isOwnName(o)) {
                continue;
            }
            String target = PlannedAction.targetOf(o);
            String before = ManagedObjects.toYaml(o);
            List<String> keys = findingKeysOf(o);
            if (mode == RemediationMode.DRY_RUN) {
                records.add(new RemediationRecord(cluster, id, keys, mode, target, before, RemediationRecord.ABSENT,
                        Outcome.DRY_RUN, "dry-run: would delete " + target, clock.instant(), Optional.empty()));
                continue;
            }
            try {
                objects.delete(o);
                records.add(new RemediationRecord(cluster, id, keys, mode, target, before, RemediationRecord.ABSENT,
                        Outcome.REVERTED, "deleted (it carried " + ManagedObjects.MANAGED_BY_LABEL + "="
                        + ManagedObjects.MANAGED_BY + ")", clock.instant(), Optional.empty()));
            } catch (RuntimeException e) {
                records.add(new RemediationRecord(cluster, id, keys, mode, target, before, before, Outcome.FAILED,
                        "delete failed: " + e.getMessage(), clock.instant(), Optional.empty()));
            }
        }
    }

    private static List<String> findingKeysOf(GenericKubernetesResource o) {
        var a = o.getMetadata().getAnnotations();
        String v = a == null ? null : a.get(ManagedObjects.FINDING_ANNOTATION);
        if (v == null || v.isBlank()) {
            return List.of();
        }
        return List.of(v.split(",")).stream().map(String::trim).filter(s -> s.contains("#")).toList();
    }

    private void undoInstances(ClusterId cluster, RemediationMode mode, List<RemediationRecord> logged,
                               List<RemediationRecord> records) {
        // The last APPLIED or REVERTED record per instance decides: APPLIED means ours is still to undo.
        var last = new LinkedHashMap<String, RemediationRecord>();
        for (RemediationRecord r : logged) {
            if (r.remediation() == RemediationId.IMDS_HOP_LIMIT && r.target().startsWith("Instance/")
                    && r.mode() == RemediationMode.ENFORCE
                    && (r.outcome() == Outcome.APPLIED || r.outcome() == Outcome.REVERTED)) {
                last.put(r.target(), r);
            }
        }
        var toUndo = last.values().stream().filter(r -> r.outcome() == Outcome.APPLIED).toList();
        if (toUndo.isEmpty()) {
            return;
        }
        Map<String, NodeInstance> current;
        try {
            current = instances.describe(toUndo.stream().map(r -> instanceId(r.target())).toList());
        } catch (RuntimeException e) {
            toUndo.forEach(r -> records.add(undoRecord(r, mode, "", "", Outcome.FAILED,
                    "ec2:DescribeInstances failed: " + e.getMessage())));
            return;
        }
        for (RemediationRecord applied : toUndo) {
            String instanceId = instanceId(applied.target());
            NodeInstance now = current.get(instanceId);
            if (now == null || !now.running()) {
                records.add(undoRecord(applied, mode, "", "", Outcome.UNCHANGED, "instance " + instanceId + " "
                        + (now == null ? "no longer exists" : "is " + now.state()) + ": nothing to restore"));
                continue;
            }
            MetadataOptions set = MetadataOptionsText.parse(applied.after());
            MetadataOptions previous = MetadataOptionsText.parse(applied.before());
            String nowText = now.options().describe();
            if (!MetadataOptionsText.sameEffect(now.options(), set)) {
                records.add(undoRecord(applied, mode, nowText, nowText, Outcome.MANUAL, "changed since the monitor "
                        + "set it (now " + nowText + "; the monitor set " + applied.after() + "): left as it is; the "
                        + "settings before the monitor's change were " + applied.before()));
                continue;
            }
            if (mode == RemediationMode.DRY_RUN) {
                records.add(undoRecord(applied, mode, nowText, previous.describe(), Outcome.DRY_RUN,
                        "dry-run: would restore " + previous.describe()));
                continue;
            }
            try {
                MetadataOptions restored = instances.modify(instanceId, previous);
                records.add(undoRecord(applied, mode, nowText, restored.describe(), Outcome.REVERTED,
                        "restored the settings recorded before the monitor's change at " + applied.at()));
            } catch (RuntimeException e) {
                records.add(undoRecord(applied, mode, nowText, nowText, Outcome.FAILED,
                        "ec2:ModifyInstanceMetadataOptions: " + e.getMessage()));
            }
        }
    }

    private RemediationRecord undoRecord(RemediationRecord applied, RemediationMode mode, String before, String after,
                                         Outcome outcome, String reason) {
        return new RemediationRecord(applied.cluster(), applied.remediation(), applied.findingKeys(), mode,
                applied.target(), before, after, outcome, reason, clock.instant(), Optional.empty());
    }

    private static String instanceId(String target) {
        return target.substring("Instance/".length());
    }

    private RemediationRecord record(ClusterId cluster, PlannedAction a, RemediationMode mode, String before,
                                     String after, Outcome outcome, String reason) {
        return new RemediationRecord(cluster, a.remediation(), a.findingKeys(), mode, a.target(), before, after,
                outcome, reason, clock.instant(), Optional.empty());
    }
}
