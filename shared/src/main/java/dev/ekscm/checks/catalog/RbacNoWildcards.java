package dev.ekscm.checks.catalog;

import dev.ekscm.checks.Check;
import dev.ekscm.checks.CheckContext;
import dev.ekscm.checks.CheckMetadata;
import dev.ekscm.checks.Verdicts;
import dev.ekscm.model.CheckResult;
import dev.ekscm.model.Input;
import dev.ekscm.model.ResourceRef;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Severity;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;

import java.util.ArrayList;
import java.util.List;

/** Roles and ClusterRoles name what they grant: no {@code *} in verbs, resources or apiGroups. */
public final class RbacNoWildcards implements Check {
    private static final CheckMetadata METADATA = CheckMetadata.builder("rbac-no-wildcards")
            .withSeverity(Severity.HIGH)
            .withTitle("Roles and ClusterRoles grant no wildcard verbs, resources or API groups")
            .withRationale("A '*' grants everything that exists now and everything added later: verbs '*' "
                    + "include escalate, bind and impersonate; resources '*' include secrets and "
                    + "*/exec; apiGroups '*' include every CRD installed in the future. Least privilege "
                    + "needs roles that list what they allow.")
            .withRemediation("Replace each '*' in the named rule with the explicit list the subject needs, e.g. "
                    + "apiGroups: [\"apps\"], resources: [\"deployments\"], verbs: [\"get\", \"list\", "
                    + "\"watch\"]; find what a subject actually uses with the API server audit log or "
                    + "`kubectl auth can-i --list --as <subject>`, then `kubectl apply` the narrowed "
                    + "Role/ClusterRole.")
            .withSources("seed: RBAC", "EKS best practices: IAM - least privileged RBAC",
                    "CIS Kubernetes Benchmark 5.1.3")
            .withScope(Scope.RBAC)
            .withRequires(Input.K8S_RBAC)
            .build();

    @Override
    public CheckMetadata metadata() {
        return METADATA;
    }

    @Override
    public List<CheckResult> evaluate(CheckContext context) {
        var verdicts = new Verdicts(METADATA);
        for (Role role : context.kubernetes().roles()) {
            if (!RbacDefaults.isPlatformManaged(role.getMetadata())) {
                judge(verdicts, ResourceRef.of("Role", role.getMetadata().getNamespace(), role.getMetadata().getName()),
                        "Role", role.getRules(), false);
            }
        }
        for (ClusterRole role : context.kubernetes().clusterRoles()) {
            if (!RbacDefaults.isPlatformManaged(role.getMetadata())) {
                judge(verdicts, ResourceRef.of("ClusterRole", "", role.getMetadata().getName()), "ClusterRole",
                        role.getRules(), role.getAggregationRule() != null);
            }
        }
        return verdicts.list();
    }

    private static void judge(Verdicts verdicts, ResourceRef ref, String kind, List<PolicyRule> rules,
                              boolean aggregated) {
        if (rules == null || rules.isEmpty()) {
            verdicts.pass(ref, aggregated
                    ? kind + " " + ref.name() + " is aggregated: its rules come from the ClusterRoles it "
                    + "aggregates, which are judged on their own"
                    : kind + " " + ref.name() + " has no rules and grants nothing");
            return;
        }
        for (int i = 0; i < rules.size(); i++) {
            PolicyRule rule = rules.get(i);
            var wildcards = new ArrayList<String>();
            if (hasWildcard(rule.getVerbs())) {
                wildcards.add("verbs");
            }
            if (hasWildcard(rule.getResources())) {
                wildcards.add("resources");
            }
            if (hasWildcard(rule.getApiGroups())) {
                wildcards.add("apiGroups");
            }
            if (!wildcards.isEmpty()) {
                verdicts.fail(ref, Severity.HIGH, kind + " " + ref.name() + " rule " + i + " has '*' in "
                        + String.join(", ", wildcards), "rule " + i + ": " + describe(rule));
            }
        }
        verdicts.pass(ref, kind + " " + ref.name() + " lists its verbs, resources and API groups in all "
                + rules.size() + " rule(s)");
    }

    private static boolean hasWildcard(List<String> values) {
        return values != null && values.contains("*");
    }

    private static String describe(PolicyRule rule) {
        return "apiGroups=" + orEmpty(rule.getApiGroups()) + " resources=" + orEmpty(rule.getResources())
                + " verbs=" + orEmpty(rule.getVerbs());
    }

    private static List<String> orEmpty(List<String> values) {
        return values == null ? List.of() : values;
    }
}
