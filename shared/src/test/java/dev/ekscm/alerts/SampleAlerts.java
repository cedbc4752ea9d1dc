package dev.ekscm.alerts;

import dev.ekscm.findings.AlertState;
import dev.ekscm.findings.Finding;
import dev.ekscm.findings.FindingStatus;
import dev.ekscm.findings.Transition;
import dev.ekscm.findings.TransitionType;
import dev.ekscm.model.ClusterId;
import dev.ekscm.model.ResourceRef;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Severity;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Fixed alerts for rendering tests. */
final class SampleAlerts {
    static final Instant T = Instant.parse("2025-03-01T10:00:00Z");
    static final ClusterId CLUSTER = new ClusterId("111122223333", "eu-west-1", "shop-dev");
    static final String SECRET_EVIDENCE = "evidence-must-never-be-rendered";

    private SampleAlerts() {
    }

    static Finding finding(String checkId, ResourceRef resource, Scope scope, Severity severity, TransitionType type,
                           String message, Instant firstSeen, int reopen, Optional<Duration> ttr, Optional<String> resolution,
                           List<TransitionType> supersedes) {
        FindingStatus status = switch (type) {
            case NEW, REGRESSED, REMEDIATED -> FindingStatus.OPEN;
            case RESOLVED -> FindingStatus.RESOLVED;
            case EXEMPTED -> FindingStatus.EXEMPT;
        };
        return new Finding(checkId, resource, scope, status, severity, "Title of " + checkId, message, SECRET_EVIDENCE,
                firstSeen, firstSeen, T, type == TransitionType.RESOLVED ? Optional.of(T) : Optional.empty(), ttr, resolution,
                reopen, type == TransitionType.RESOLVED ? Optional.of(T.plus(Duration.ofDays(90))) : Optional.empty(),
                Transition.of(type, "run-7", T, AlertState.PENDING, supersedes));
    }

    /** One of each transition type over three severities. */
    static Alert mixed() {
        return new Alert(CLUSTER, "payments", "run-7", T.plusSeconds(30), List.of(
                finding("pods-run-as-non-root", ResourceRef.of("Deployment", "payments", "api"), Scope.WORKLOADS, Severity.MEDIUM,
                        TransitionType.EXEMPTED, "container api runs as root", T.minus(Duration.ofDays(2)), 0, Optional.empty(),
                        Optional.empty(), List.of(TransitionType.NEW)),
                finding("rbac-no-wildcard-roles", ResourceRef.of("ClusterRole", "", "ops-admin"), Scope.RBAC, Severity.HIGH,
                        TransitionType.NEW, "rule grants verbs <*> on resources <*> & more", T, 0, Optional.empty(),
                        Optional.empty(), List.of()),
                finding("pods-run-as-non-root", ResourceRef.of("Deployment", "payments", "web"), Scope.WORKLOADS, Severity.HIGH,
                        TransitionType.RESOLVED, "container web runs as root", T.minus(Duration.ofHours(3)), 0,
                        Optional.of(Duration.ofHours(3).plusMinutes(5)), Optional.of("all containers run as non-root"), List.of()),
                finding("nodes-imds-hop-limit", ResourceRef.aws("Instance", "i-0abc1"), Scope.NODES, Severity.CRITICAL,
                        TransitionType.REGRESSED, "instance i-0abc1 allows IMDS hop limit 2 with tokens optional",
                        T.minus(Duration.ofDays(5)), 1, Optional.empty(), Optional.empty(), List.of())));
    }

    /** {@code count} NEW transitions with messages of {@code messageLength} characters. */
    static Alert many(int count, int messageLength) {
        var list = new ArrayList<Finding>();
        for (int i = 0; i < count; i++) {
            list.add(finding("pods-run-as-non-root", ResourceRef.of("Deployment", "payments", "app-" + i), Scope.WORKLOADS,
                    Severity.values()[i % 4], TransitionType.NEW, "x".repeat(messageLength), T, 0, Optional.empty(),
                    Optional.empty(), List.of()));
        }
        return new Alert(CLUSTER, "payments", "run-7", T, list);
    }
}
