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
import io.fabric8.kubernetes.api.model.Namespace;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Every workload namespace has Pod Security Admission enforce the baseline or restricted level. */
public final class NamespacesEnforcePodSecurity implements Check {
    static final String ENFORCE_LABEL = "pod-security.kubernetes.io/enforce";
    private static final Set<String> ENFORCING_LEVELS = Set.of("baseline", "restricted");

    private static final CheckMetadata METADATA = CheckMetadata.builder("namespaces-enforce-pod-security")
            .withSeverity(Severity.MEDIUM)
            .withTitle("Namespaces enforce the baseline or restricted Pod Security Standard")
            .withRationale("Pod Security Admission, which replaced PodSecurityPolicy, only rejects privileged, "
                    + "host-namespace, hostPath or root pods in namespaces labelled to enforce a level. Without "
                    + "the label (or with 'privileged') any pod spec is admitted, so one careless or malicious "
                    + "manifest can take over a node.")
            .withRemediation("Label the namespace: kubectl label namespace <name> "
                    + "pod-security.kubernetes.io/enforce=restricted "
                    + "pod-security.kubernetes.io/enforce-version=latest (use baseline where restricted is not "
                    + "yet possible; try it first with pod-security.kubernetes.io/warn=restricted and "
                    + "kubectl label --dry-run=server to list the pods that would be rejected).")
            .withSources("seed: PodSecurityPolicies, now Pod Security Admission",
                    "EKS best practices: pod security - Pod Security Standards and Pod Security Admission")
            .withScope(Scope.ADMISSION)
            .withRequires(Input.K8S_NAMESPACES)
            .build();

    @Override
    public CheckMetadata metadata() {
        return METADATA;
    }

    @Override
    public List<CheckResult> evaluate(CheckContext context) {
        var verdicts = new Verdicts(METADATA);
        for (Namespace ns : context.judgedNamespaces()) {
            String name = ns.getMetadata().getName();
            var ref = ResourceRef.of("Namespace", "", name);
            Map<String, String> labels = ns.getMetadata().getLabels() == null ? Map.of() : ns.getMetadata().getLabels();
            String level = labels.get(ENFORCE_LABEL);
            if (level != null && ENFORCING_LEVELS.contains(level)) {
                verdicts.pass(ref, "namespace " + name + " enforces the " + level + " Pod Security Standard");
            } else if (level == null) {
                verdicts.fail(ref, "namespace " + name + " has no " + ENFORCE_LABEL
                        + " label: any pod spec is admitted");
            } else if (level.equals("privileged")) {
                verdicts.fail(ref, "namespace " + name + " sets " + ENFORCE_LABEL
                        + "=privileged, which admits any pod spec");
            } else {
                verdicts.fail(ref, "namespace " + name + " sets " + ENFORCE_LABEL + "=" + level
                        + ", which is not a Pod Security level (baseline or restricted expected)");
            }
        }
        return verdicts.list();
    }
}
