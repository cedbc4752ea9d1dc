package dev.ekscm.findings;

import dev.ekscm.checks.CheckMetadata;
import dev.ekscm.checks.CheckOutcome;
import dev.ekscm.checks.Evaluation;
import dev.ekscm.model.CheckResult;
import dev.ekscm.model.ClusterId;
import dev.ekscm.model.Input;
import dev.ekscm.model.ResourceRef;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Severity;
import dev.ekscm.model.Status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Real evaluations for ledger and alert tests: three checks in three scopes, results built by hand. */
public final class TestRuns {
    public static final ClusterId CLUSTER = new ClusterId("111122223333", "eu-west-1", "shop-dev");
    public static final Map<String, String> TAGS = Map.of("ekscm:team", "payments", "env", "dev");
    public static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    public static final CheckMetadata RBAC = meta("rbac-no-wildcard-roles", Severity.HIGH, Scope.RBAC, Input.K8S_RBAC);
    public static final CheckMetadata NODES = meta("nodes-imds-hop-limit", Severity.CRITICAL, Scope.NODES, Input.INSTANCES);
    public static final CheckMetadata PODS = meta("pods-run-as-non-root", Severity.MEDIUM, Scope.WORKLOADS, Input.K8S_WORKLOADS);

    public static final ResourceRef ADMIN_ROLE = ResourceRef.of("ClusterRole", "", "ops-admin");
    public static final ResourceRef NODE_1 = ResourceRef.aws("Instance", "i-0abc1");
    public static final ResourceRef API = ResourceRef.of("Deployment", "payments", "api");
    public static final ResourceRef WEB = ResourceRef.of("Deployment", "payments", "web");

    private TestRuns() {
    }

    public static CheckMetadata meta(String id, Severity severity, Scope scope, Input input) {
        return CheckMetadata.builder(id).withSeverity(severity).withTitle("Title of " + id)
                .withRationale("Why " + id + " matters.").withRemediation("Fix " + id + " by changing the field.")
                .withSources("test").withScope(scope).withRequires(input).build();
    }

    public static EvaluationBuilder full() {
        return new EvaluationBuilder(CLUSTER, Scope.all());
    }

    public static EvaluationBuilder scopes(Scope first, Scope... rest) {
        return new EvaluationBuilder(CLUSTER, EnumSet.of(first, rest));
    }

    public static RunInfo run(String id, Instant startedAt) {
        return new RunInfo(id, "test", startedAt, startedAt.plusSeconds(3), Map.of("eks:DescribeCluster", 1L));
    }

    public static RunInfo run(String id, Duration afterT0) {
        return run(id, T0.plus(afterT0));
    }

    /** Builds an Evaluation: every named check runs (PASS when it has no FAIL) unless marked not applicable. */
    public static final class EvaluationBuilder {
        private final ClusterId cluster;
        private final Set<Scope> scopes;
        private final Map<CheckMetadata, List<CheckResult>> results = new LinkedHashMap<>();
        private final Set<CheckMetadata> notApplicable = new java.util.HashSet<>();

        public EvaluationBuilder(ClusterId cluster, Set<Scope> scopes) {
            this.cluster = cluster;
            this.scopes = scopes;
        }

        public EvaluationBuilder ran(CheckMetadata check) {
            results.computeIfAbsent(check, k -> new ArrayList<>());
            return this;
        }

        public EvaluationBuilder fail(CheckMetadata check, ResourceRef resource, String message) {
            return add(check, new CheckResult(check.id(), resource, Status.FAIL, check.defaultSeverity(), message, "evidence of " + resource));
        }

        public EvaluationBuilder fail(CheckMetadata check, ResourceRef resource, Severity severity, String message) {
            return add(check, new CheckResult(check.id(), resource, Status.FAIL, severity, message, ""));
        }

        public EvaluationBuilder pass(CheckMetadata check, ResourceRef resource) {
            return add(check, new CheckResult(check.id(), resource, Status.PASS, check.defaultSeverity(), resource + " is fine", ""));
        }

        public EvaluationBuilder exempt(CheckMetadata check, ResourceRef resource, String reason) {
            return add(check, new CheckResult(check.id(), resource, Status.EXEMPT, check.defaultSeverity(),
                    "fails but is exempt", "exempted by annotation: " + reason));
        }

        /** {@code count} failing Deployments {@code payments/app-0 …}. */
        public EvaluationBuilder failMany(CheckMetadata check, int count) {
            for (int i = 0; i < count; i++) {
                fail(check, ResourceRef.of("Deployment", "payments", "app-" + i), "container app runs as root (runAsNonRoot unset)");
            }
            return this;
        }

        public EvaluationBuilder notApplicable(CheckMetadata check) {
            notApplicable.add(check);
            results.remove(check);
            return this;
        }

        private EvaluationBuilder add(CheckMetadata check, CheckResult r) {
            results.computeIfAbsent(check, k -> new ArrayList<>()).add(r);
            return this;
        }

        public Evaluation build() {
            var outcomes = new ArrayList<CheckOutcome>();
            results.forEach((meta, list) -> {
                if (scopes.contains(meta.scope())) {
                    boolean failed = list.stream().anyMatch(r -> r.status() == Status.FAIL);
                    outcomes.add(new CheckOutcome(meta, failed ? Status.FAIL : Status.PASS, list, Optional.empty()));
                }
            });
            notApplicable.forEach(meta -> outcomes.add(new CheckOutcome(meta, Status.NOT_APPLICABLE, List.of(),
                    Optional.of("no data: " + meta.requires()))));
            return new Evaluation(cluster, scopes, outcomes);
        }
    }
}
