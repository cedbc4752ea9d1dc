package dev.ekscm.findings;

import dev.ekscm.findings.FindingsTableSchema.Attr;
import dev.ekscm.model.ClusterId;
import dev.ekscm.model.ResourceRef;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Severity;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static dev.ekscm.findings.FindingsTableSchema.GSI1_PK;
import static dev.ekscm.findings.FindingsTableSchema.GSI1_SK;
import static dev.ekscm.findings.FindingsTableSchema.PK;
import static dev.ekscm.findings.FindingsTableSchema.SK;
import static dev.ekscm.findings.FindingsTableSchema.TTL;

/** Maps findings, runs and state to DynamoDB items and back. */
final class FindingItems {
    private FindingItems() {
    }

    static Map<String, AttributeValue> key(ClusterId cluster, String sortKey) {
        return Map.of(PK, s(FindingsTableSchema.partitionKey(cluster)), SK, s(sortKey));
    }

    static Map<String, AttributeValue> findingKey(ClusterId cluster, String findingKey) {
        return key(cluster, FindingsTableSchema.findingSortKey(findingKey));
    }

    static Map<String, AttributeValue> stateKey(ClusterId cluster) {
        return key(cluster, FindingsTableSchema.STATE_SK);
    }

    /** Every attribute a transition owns; unknown attributes (remediation) are left alone. */
    static UpdateExpr transitionUpdate(ClusterId cluster, Finding f) {
        var u = contentUpdate(cluster, f);
        Transition t = f.transition();
        u.set(Attr.ITEM_TYPE, s(FindingsTableSchema.TYPE_FINDING))
                .set(Attr.CLUSTER, s(cluster.key()))
                .set(Attr.CHECK_ID, s(f.checkId()))
                .set(Attr.RESOURCE_KIND, s(f.resource().kind()))
                .set(Attr.RESOURCE_NAMESPACE, s(f.resource().namespace()))
                .set(Attr.RESOURCE_NAME, s(f.resource().name()))
                .set(Attr.STATUS, s(f.status().name()))
                .set(Attr.FIRST_SEEN, time(f.firstSeen()))
                .set(Attr.OPENED_AT, time(f.openedAt()))
                .set(Attr.LAST_SEEN, time(f.lastSeen()))
                .setOrRemove(Attr.RESOLVED_AT, f.resolvedAt().map(FindingItems::time))
                .setOrRemove(Attr.TIME_TO_RESOLVE_SECONDS, f.timeToResolve().map(d -> n(d.toSeconds())))
                .setOrRemove(Attr.RESOLUTION, f.resolution().map(FindingItems::s))
                .set(Attr.REOPEN_COUNT, n(f.reopenCount()))
                .setOrRemove(TTL, f.expiresAt().map(e -> n(e.getEpochSecond())))
                .set(Attr.TRANSITION, s(t.type().name()))
                .set(Attr.TRANSITION_RUN_ID, s(t.runId()))
                .set(Attr.TRANSITION_AT, time(t.at()))
                .set(Attr.ALERT_STATE, s(t.alertState().name()))
                .setOrRemove(Attr.ALERT_SENT_TO, t.alertSentTo().isEmpty() ? Optional.empty()
                        : Optional.of(AttributeValue.fromSs(List.copyOf(new TreeSet<>(t.alertSentTo())))))
                .setOrRemove(Attr.ALERT_SENT_AT, t.alertSentAt().map(FindingItems::time))
                .set(Attr.SUPERSEDES, AttributeValue.fromL(t.supersedes().stream().map(x -> s(x.name())).toList()));
        return u;
    }

    /** A still-open finding's content: severity (and the index that sorts by it), title, message, evidence. */
    static UpdateExpr contentUpdate(ClusterId cluster, Finding f) {
        var u = new UpdateExpr()
                .set(Attr.SCOPE, s(f.scope().name()))
                .set(Attr.SEVERITY, s(f.severity().name()))
                .set(Attr.TITLE, s(f.title()))
                .set(Attr.MESSAGE, s(f.message()))
                .set(Attr.EVIDENCE, s(f.evidence()));
        if (f.status() == FindingStatus.OPEN) {
            u.set(GSI1_PK, s(FindingsTableSchema.openIndexKey(f.severity())))
                    .set(GSI1_SK, s(FindingsTableSchema.openIndexSortKey(cluster, f.findingKey())));
        } else {
            u.remove(GSI1_PK).remove(GSI1_SK);
        }
        return u;
    }

    static Finding toFinding(Map<String, AttributeValue> item) {
        var resource = ResourceRef.of(str(item, Attr.RESOURCE_KIND), optStr(item, Attr.RESOURCE_NAMESPACE).orElse(""),
                str(item, Attr.RESOURCE_NAME));
        var transition = new Transition(
                TransitionType.valueOf(str(item, Attr.TRANSITION)),
                str(item, Attr.TRANSITION_RUN_ID),
                instant(item, Attr.TRANSITION_AT),
                AlertState.valueOf(str(item, Attr.ALERT_STATE)),
                item.containsKey(Attr.ALERT_SENT_TO) ? Set.copyOf(item.get(Attr.ALERT_SENT_TO).ss()) : Set.of(),
                optStr(item, Attr.ALERT_SENT_AT).map(Timestamps::parse),
                item.containsKey(Attr.SUPERSEDES)
                        ? item.get(Attr.SUPERSEDES).l().stream().map(v -> TransitionType.valueOf(v.s())).toList()
                        : List.of());
        return new Finding(str(item, Attr.CHECK_ID), resource, Scope.valueOf(str(item, Attr.SCOPE)),
                FindingStatus.valueOf(str(item, Attr.STATUS)), Severity.valueOf(str(item, Attr.SEVERITY)),
                optStr(item, Attr.TITLE).orElse(""), optStr(item, Attr.MESSAGE).orElse(""),
                optStr(item, Attr.EVIDENCE).orElse(""),
                instant(item, Attr.FIRST_SEEN), instant(item, Attr.OPENED_AT), instant(item, Attr.LAST_SEEN),
                optStr(item, Attr.RESOLVED_AT).map(Timestamps::parse),
                optLong(item, Attr.TIME_TO_RESOLVE_SECONDS).map(Duration::ofSeconds),
                optStr(item, Attr.RESOLUTION),
                optLong(item, Attr.REOPEN_COUNT).orElse(0L).intValue(),
                optLong(item, TTL).map(Instant::ofEpochSecond),
                transition);
    }

    /** The STATE attributes a commit owns (not the leases, not the alert sequence). */
    static UpdateExpr stateUpdate(ClusterId cluster, ClusterState st) {
        var u = new UpdateExpr()
                .set(Attr.ITEM_TYPE, s(FindingsTableSchema.TYPE_STATE))
                .set(Attr.CLUSTER, s(cluster.key()))
                .set(Attr.VERSION, n(st.version()))
                .setOrRemove(Attr.LAST_RUN_ID, st.lastRunId().map(FindingItems::s))
                .setOrRemove(Attr.LAST_RUN_AT, st.lastRunAt().map(FindingItems::time))
                .setOrRemove(Attr.LAST_FULL_RUN_AT, st.lastFullRunAt().map(FindingItems::time))
                .set(Attr.EXEMPT_COUNT, n(st.exempt()));
        var checkRuns = new TreeMap<String, AttributeValue>();
        st.checkRuns().forEach((id, at) -> checkRuns.put(id, time(at)));
        u.set(Attr.CHECK_RUNS, AttributeValue.fromM(checkRuns));
        var open = new TreeMap<String, AttributeValue>();
        st.openBySeverity().forEach((sev, count) -> open.put(sev.name(), n(count)));
        u.set(Attr.OPEN_BY_SEVERITY, AttributeValue.fromM(open));
        st.updatedAt().ifPresent(t -> u.set(Attr.UPDATED_AT, time(t)));
        return u;
    }

    static ClusterState toState(Map<String, AttributeValue> item) {
        var checkRuns = new HashMap<String, Instant>();
        if (item.containsKey(Attr.CHECK_RUNS)) {
            item.get(Attr.CHECK_RUNS).m().forEach((id, v) -> checkRuns.put(id, Timestamps.parse(v.s())));
        }
        var open = new EnumMap<Severity, Integer>(Severity.class);
        if (item.containsKey(Attr.OPEN_BY_SEVERITY)) {
            item.get(Attr.OPEN_BY_SEVERITY).m().forEach((sev, v) -> open.put(Severity.valueOf(sev), Integer.parseInt(v.n())));
        }
        return new ClusterState(
                optLong(item, Attr.VERSION).orElse(0L),
                optStr(item, Attr.LAST_RUN_ID),
                optStr(item, Attr.LAST_RUN_AT).map(Timestamps::parse),
                optStr(item, Attr.LAST_FULL_RUN_AT).map(Timestamps::parse),
                checkRuns, open,
                optLong(item, Attr.EXEMPT_COUNT).orElse(0L).intValue(),
                lease(item, Attr.COMMIT_OWNER, Attr.COMMIT_LEASE_UNTIL),
                lease(item, Attr.ALERT_LEASE_OWNER, Attr.ALERT_LEASE_UNTIL),
                optLong(item, Attr.ALERT_SEQ).orElse(0L),
                optStr(item, Attr.UPDATED_AT).map(Timestamps::parse));
    }

    static Map<String, AttributeValue> runItem(RunRecord run) {
        var item = new LinkedHashMap<String, AttributeValue>();
        item.putAll(key(run.cluster(), FindingsTableSchema.runSortKey(run.info().startedAt(), run.info().runId())));
        item.put(Attr.ITEM_TYPE, s(FindingsTableSchema.TYPE_RUN));
        item.put(Attr.CLUSTER, s(run.cluster().key()));
        item.put(Attr.RUN_ID, s(run.info().runId()));
        item.put(Attr.TRIGGER, s(run.info().trigger()));
        item.put(Attr.SCOPES, AttributeValue.fromL(run.scopes().stream().sorted().map(x -> s(x.name())).toList()));
        item.put(Attr.STARTED_AT, time(run.info().startedAt()));
        item.put(Attr.FINISHED_AT, time(run.info().finishedAt()));
        item.put(Attr.DURATION_MS, n(run.info().duration().toMillis()));
        item.put(Attr.TEAM, s(run.team()));
        item.put(Attr.COUNTS, counts(run.counts()));
        item.put(Attr.STALE_CHECKS, AttributeValue.fromL(run.staleChecks().stream().map(FindingItems::s).toList()));
        item.put(Attr.ATTEMPTS, n(run.attempts()));
        item.put(Attr.RECORDED_AT, time(run.recordedAt()));
        var calls = new TreeMap<String, AttributeValue>();
        run.info().apiCalls().forEach((op, count) -> calls.put(op, n(count)));
        item.put(Attr.API_CALLS, AttributeValue.fromM(calls));
        item.put(TTL, n(run.expiresAt().getEpochSecond()));
        return item;
    }

    static RunRecord toRun(Map<String, AttributeValue> item) {
        var cluster = FindingsTableSchema.clusterOf(str(item, PK));
        var calls = new TreeMap<String, Long>();
        if (item.containsKey(Attr.API_CALLS)) {
            item.get(Attr.API_CALLS).m().forEach((op, v) -> calls.put(op, Long.parseLong(v.n())));
        }
        var info = new RunInfo(str(item, Attr.RUN_ID), str(item, Attr.TRIGGER), instant(item, Attr.STARTED_AT),
                instant(item, Attr.FINISHED_AT), calls);
        var scopes = item.get(Attr.SCOPES).l().stream().map(v -> Scope.valueOf(v.s())).toList();
        return new RunRecord(cluster, info, Set.copyOf(scopes), str(item, Attr.TEAM), toCounts(item.get(Attr.COUNTS).m()),
                item.containsKey(Attr.STALE_CHECKS) ? item.get(Attr.STALE_CHECKS).l().stream().map(AttributeValue::s).toList() : List.of(),
                optLong(item, Attr.ATTEMPTS).orElse(1L).intValue(), instant(item, Attr.RECORDED_AT),
                Instant.ofEpochSecond(optLong(item, TTL).orElse(0L)));
    }

    private static AttributeValue counts(RunCounts c) {
        var m = new TreeMap<String, AttributeValue>();
        m.put("checksRun", n(c.checksRun()));
        m.put("checksNotApplicable", n(c.checksNotApplicable()));
        m.put("checksStale", n(c.checksStale()));
        m.put("results", n(c.results()));
        m.put("passed", n(c.passed()));
        m.put("failed", n(c.failed()));
        m.put("exempt", n(c.exempt()));
        m.put("refreshed", n(c.refreshed()));
        m.put("exemptFindings", n(c.exemptFindings()));
        var transitions = new TreeMap<String, AttributeValue>();
        c.transitions().forEach((t, count) -> transitions.put(t.name(), n(count)));
        m.put("transitions", AttributeValue.fromM(transitions));
        var open = new TreeMap<String, AttributeValue>();
        c.openBySeverity().forEach((sev, count) -> open.put(sev.name(), n(count)));
        m.put("openBySeverity", AttributeValue.fromM(open));
        return AttributeValue.fromM(m);
    }

    private static RunCounts toCounts(Map<String, AttributeValue> m) {
        var transitions = new EnumMap<TransitionType, Integer>(TransitionType.class);
        m.get("transitions").m().forEach((t, v) -> transitions.put(TransitionType.valueOf(t), Integer.parseInt(v.n())));
        var open = new EnumMap<Severity, Integer>(Severity.class);
        m.get("openBySeverity").m().forEach((sev, v) -> open.put(Severity.valueOf(sev), Integer.parseInt(v.n())));
        return new RunCounts(i(m, "checksRun"), i(m, "checksNotApplicable"), i(m, "checksStale"), i(m, "results"),
                i(m, "passed"), i(m, "failed"), i(m, "exempt"), transitions, i(m, "refreshed"), open, i(m, "exemptFindings"));
    }

    private static Optional<Lease> lease(Map<String, AttributeValue> item, String ownerAttr, String untilAttr) {
        var owner = optStr(item, ownerAttr);
        var until = optStr(item, untilAttr);
        return owner.isPresent() && until.isPresent() ? Optional.of(new Lease(owner.get(), Timestamps.parse(until.get())))
                : Optional.empty();
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static AttributeValue time(Instant instant) {
        return s(Timestamps.format(instant));
    }

    private static int i(Map<String, AttributeValue> m, String key) {
        var v = m.get(key);
        return v == null ? 0 : Integer.parseInt(v.n());
    }

    static String str(Map<String, AttributeValue> item, String attr) {
        return optStr(item, attr).orElseThrow(() -> new FindingStoreException("item " + describe(item)
                + " has no attribute '" + attr + "': written by an incompatible version?"));
    }

    private static Optional<String> optStr(Map<String, AttributeValue> item, String attr) {
        var v = item.get(attr);
        return v == null || v.s() == null ? Optional.empty() : Optional.of(v.s());
    }

    private static Optional<Long> optLong(Map<String, AttributeValue> item, String attr) {
        var v = item.get(attr);
        return v == null || v.n() == null ? Optional.empty() : Optional.of(Long.parseLong(v.n()));
    }

    private static Instant instant(Map<String, AttributeValue> item, String attr) {
        return Timestamps.parse(str(item, attr));
    }

    private static String describe(Map<String, AttributeValue> item) {
        var pk = item.get(PK);
        var sk = item.get(SK);
        return (pk == null ? "?" : pk.s()) + " / " + (sk == null ? "?" : sk.s());
    }
}
