package dev.ekscm.checks;

import dev.ekscm.model.CheckResult;
import dev.ekscm.model.ClusterSnapshot;
import dev.ekscm.model.Input;
import dev.ekscm.model.ResourceRef;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Status;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs checks over a snapshot: NOT_APPLICABLE when a check's inputs are absent, exemptions
 * (annotation on the object or its namespace, then the configured rules) turned from FAIL into
 * EXEMPT, severity overrides applied, results in a stable order.
 */
public final class Evaluator {
    public static final String EXEMPT_ANNOTATION = "ekscm.dev/exempt";
    public static final String EXEMPT_REASON_ANNOTATION = "ekscm.dev/exempt-reason";

    private final List<Check> checks;
    private final CheckConfig config;

    public Evaluator(List<Check> checks, CheckConfig config) {
        this.checks = List.copyOf(checks);
        this.config = config;
    }

    public Evaluation evaluate(ClusterSnapshot snapshot, Set<Scope> scopes) {
        var context = new CheckContext(snapshot, config);
        var annotations = annotationIndex(snapshot);
        var outcomes = new ArrayList<CheckOutcome>();
        for (Check check : checks) {
            CheckMetadata meta = check.metadata();
            if (!scopes.contains(meta.scope())) {
                continue;
            }
            outcomes.add(evaluateOne(check, meta, snapshot, context, annotations));
        }
        // The collection's own verdict, whenever the run asked for Kubernetes data (see ReachabilityOutcome).
        ReachabilityOutcome.evaluate(snapshot).map(o -> new CheckOutcome(o.metadata(), o.status(),
                o.results().stream().map(r -> applySeverityOverride(o.metadata(), r)).toList(), o.note()))
                .ifPresent(outcomes::add);
        return new Evaluation(snapshot.cluster(), scopes, outcomes);
    }

    private CheckOutcome evaluateOne(Check check, CheckMetadata meta, ClusterSnapshot snapshot, CheckContext context,
                                     Map<String, Map<String, String>> annotations) {
        if (!snapshot.hasAll(meta.requires())) {
            var missing = meta.requires().stream().filter(i -> !snapshot.has(i)).map(Input::name).sorted()
                    .collect(Collectors.joining(", "));
            return new CheckOutcome(meta, Status.NOT_APPLICABLE, List.of(), Optional.of("no data: " + missing));
        }
        List<CheckResult> raw;
        try {
            raw = check.evaluate(context);
        } catch (RuntimeException e) {
            // A check that throws is a bug in the check; the run goes on and says so.
            return new CheckOutcome(meta, Status.NOT_APPLICABLE, List.of(),
                    Optional.of("check failed to run: " + e));
        }
        var results = raw.stream()
                .map(r -> applySeverityOverride(meta, r))
                .map(r -> applyExemption(r, annotations))
                .sorted(Comparator.comparing(CheckResult::resource))
                .toList();
        boolean failed = results.stream().anyMatch(r -> r.status() == Status.FAIL);
        return new CheckOutcome(meta, failed ? Status.FAIL : Status.PASS, results, Optional.empty());
    }

    private CheckResult applySeverityOverride(CheckMetadata meta, CheckResult r) {
        var override = config.severityOverrides().get(meta.id());
        return override != null && r.severity() == meta.defaultSeverity() ? r.withSeverity(override) : r;
    }

    private CheckResult applyExemption(CheckResult r, Map<String, Map<String, String>> annotations) {
        if (r.status() != Status.FAIL) {
            return r;
        }
        ResourceRef res = r.resource();
        var own = annotations.getOrDefault(res.key(), Map.of());
        if (exempts(own, r.checkId())) {
            return r.withStatus(Status.EXEMPT, "exempted by annotation on " + res.key() + reason(own));
        }
        if (!res.namespace().isEmpty()) {
            var ns = annotations.getOrDefault(ResourceRef.of("Namespace", "", res.namespace()).key(), Map.of());
            if (exempts(ns, r.checkId())) {
                return r.withStatus(Status.EXEMPT, "exempted by annotation on namespace " + res.namespace() + reason(ns));
            }
        }
        for (ExemptionRule rule : config.exemptionRules()) {
            if (rule.matches(r.checkId(), res)) {
                return r.withStatus(Status.EXEMPT, "exempted by configured rule: " + rule.reason());
            }
        }
        return r;
    }

    private static boolean exempts(Map<String, String> annotations, String checkId) {
        String value = annotations.get(EXEMPT_ANNOTATION);
        if (value == null) {
            return false;
        }
        return Stream.of(value.split(",")).map(String::trim)
                .anyMatch(v -> v.equals(checkId) || v.equals("*") || v.equals("all"));
    }

    private static String reason(Map<String, String> annotations) {
        String reason = annotations.get(EXEMPT_REASON_ANNOTATION);
        return reason == null || reason.isBlank() ? "" : ": " + reason;
    }

    /** Annotations of every Kubernetes object a result may name, by resource key. */
    private static Map<String, Map<String, String>> annotationIndex(ClusterSnapshot snapshot) {
        var k8s = snapshot.kubernetes();
        var index = new HashMap<String, Map<String, String>>();
        k8s.workloads().forEach(w -> index.put(w.ref().key(), w.annotations()));
        Stream.of(k8s.namespaces(), k8s.networkPolicies(), k8s.roles(), k8s.clusterRoles(), k8s.roleBindings(),
                        k8s.clusterRoleBindings(), k8s.serviceAccounts(), k8s.validatingWebhooks())
                .flatMap(List::stream)
                .forEach(o -> index.put(refOf(o).key(), annotationsOf(o)));
        return index;
    }

    /** The resource reference of a Kubernetes object as results name it. */
    public static ResourceRef refOf(HasMetadata o) {
        String ns = o.getMetadata().getNamespace();
        return ResourceRef.of(o.getKind(), ns == null ? "" : ns, o.getMetadata().getName());
    }

    private static Map<String, String> annotationsOf(HasMetadata o) {
        var a = o.getMetadata().getAnnotations();
        return a == null ? Map.of() : a;
    }
}
