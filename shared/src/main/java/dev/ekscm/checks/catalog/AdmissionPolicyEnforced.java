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
import dev.ekscm.model.k8s.KubernetesState;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * Some policy engine guards admission, cluster-wide: a bound ValidatingAdmissionPolicy, or a
 * validating webhook that intercepts the creation of pods or workload controllers and is neither
 * one EKS installs nor a known non-policy controller.
 */
public final class AdmissionPolicyEnforced implements Check {
    private static final CheckMetadata METADATA = CheckMetadata.builder("admission-policy-enforced")
            .withSeverity(Severity.MEDIUM)
            .withTitle("An admission policy engine validates pods and workloads")
            .withRationale("Scanning finds a bad manifest after it runs; an admission policy rejects it before. "
                    + "Pod Security Admission covers only the Pod Security Standards; rules such as trusted "
                    + "registries, pinned images, required labels or forbidden ClusterRoleBindings need a policy "
                    + "engine (ValidatingAdmissionPolicy, Kyverno, Gatekeeper, Kubewarden, Polaris) in the "
                    + "admission path. The webhooks EKS and common controllers install validate their own "
                    + "objects and enforce no policy.")
            .withRemediation("Add a ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1, Kubernetes 1.30+) "
                    + "whose matchConstraints cover CREATE and UPDATE of pods and workload controllers, and a "
                    + "ValidatingAdmissionPolicyBinding with spec.policyName: <policy> and validationActions: "
                    + "[Deny]; or install a policy engine (helm install kyverno kyverno/kyverno -n kyverno "
                    + "--create-namespace, or Gatekeeper) with policies in Enforce mode.")
            .withSources("seed: admission controller", "EKS best practices: pod security - policy-as-code")
            .withScope(Scope.ADMISSION)
            .withRequires(Input.K8S_ADMISSION)
            .build();

    private final AdmissionWebhooks known;

    public AdmissionPolicyEnforced() {
        this(AdmissionWebhooks.bundled());
    }

    AdmissionPolicyEnforced(AdmissionWebhooks known) {
        this.known = known;
    }

    @Override
    public CheckMetadata metadata() {
        return METADATA;
    }

    @Override
    public List<CheckResult> evaluate(CheckContext context) {
        var verdicts = new Verdicts(METADATA);
        var cluster = ResourceRef.cluster(context.clusterName());
        KubernetesState k8s = context.kubernetes();
        var guards = new ArrayList<String>();
        var notGuards = new ArrayList<String>();

        var bindingsByPolicy = new HashMap<String, List<ValidatingAdmissionPolicyBinding>>();
        for (ValidatingAdmissionPolicyBinding b : k8s.validatingAdmissionPolicyBindings()) {
            if (b.getSpec() != null && b.getSpec().getPolicyName() != null) {
                bindingsByPolicy.computeIfAbsent(b.getSpec().getPolicyName(), k -> new ArrayList<>()).add(b);
            }
        }
        for (ValidatingAdmissionPolicy p : k8s.validatingAdmissionPolicies()) {
            String name = p.getMetadata().getName();
            var bindings = bindingsByPolicy.getOrDefault(name, List.of());
            if (bindings.isEmpty()) {
                notGuards.add("ValidatingAdmissionPolicy " + name + " has no ValidatingAdmissionPolicyBinding");
            } else {
                guards.add("ValidatingAdmissionPolicy " + name + " bound by " + describe(bindings));
            }
        }
        for (ValidatingWebhookConfiguration config : k8s.validatingWebhooks()) {
            judgeWebhooks(config, guards, notGuards);
        }

        if (!guards.isEmpty()) {
            verdicts.pass(cluster, "admission is guarded by " + guards.get(0)
                    + (guards.size() > 1 ? " (and " + (guards.size() - 1) + " more)" : ""), String.join("; ", guards));
        } else {
            verdicts.fail(cluster, Severity.MEDIUM, "no admission policy engine validates pods or workloads: no "
                    + "ValidatingAdmissionPolicy with a binding, and no validating webhook (other than EKS's own and "
                    + "known non-policy controllers) intercepts CREATE of pods or workload controllers",
                    notGuards.isEmpty() ? "no ValidatingAdmissionPolicy or ValidatingWebhookConfiguration found"
                            : String.join("; ", notGuards));
        }
        return verdicts.list();
    }

    private void judgeWebhooks(ValidatingWebhookConfiguration config, List<String> guards, List<String> notGuards) {
        String configName = config.getMetadata().getName();
        List<ValidatingWebhook> webhooks = config.getWebhooks() == null ? List.of() : config.getWebhooks();
        if (webhooks.isEmpty()) {
            notGuards.add("ValidatingWebhookConfiguration " + configName + " has no webhooks");
        }
        for (ValidatingWebhook webhook : webhooks) {
            String hook = webhook.getName() == null ? "" : webhook.getName();
            String where = "webhook " + hook + " of ValidatingWebhookConfiguration " + configName;
            var nonPolicy = known.nonPolicyReason(configName, hook);
            if (nonPolicy.isPresent()) {
                notGuards.add(where + " is not a policy engine: " + nonPolicy.get());
            } else if (!AdmissionWebhooks.interceptsWorkloadCreation(webhook)) {
                notGuards.add(where + " does not intercept CREATE of pods or workload controllers");
            } else {
                guards.add(known.engine(configName, hook).map(e -> e + ": " + where)
                        .orElse(where + " (policy engine not recognised)")
                        + ("Ignore".equals(webhook.getFailurePolicy()) ? ", failurePolicy Ignore" : ""));
            }
        }
    }

    private static String describe(List<ValidatingAdmissionPolicyBinding> bindings) {
        var parts = new ArrayList<String>();
        for (var b : bindings) {
            List<String> actions = b.getSpec().getValidationActions();
            parts.add(b.getMetadata().getName() + (actions == null || actions.isEmpty() ? ""
                    : " (validationActions " + String.join(",", actions) + ")"));
        }
        return String.join(", ", parts);
    }
}
