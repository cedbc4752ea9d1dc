package dev.ekscm.checks.catalog;

import dev.ekscm.checks.Check;
import dev.ekscm.checks.CheckContext;
import dev.ekscm.checks.CheckMetadata;
import dev.ekscm.checks.Verdicts;
import dev.ekscm.model.CheckResult;
import dev.ekscm.model.Input;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Severity;
import dev.ekscm.model.k8s.Workload;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each application runs as its own service account: not the namespace's {@code default}, and not
 * one shared with a different application.
 */
public final class WorkloadsUseDedicatedServiceAccounts implements Check {
    private static final int MAX_LISTED = 3;

    private static final CheckMetadata METADATA = CheckMetadata.builder("workloads-use-dedicated-service-accounts")
            .withSeverity(Severity.MEDIUM)
            .withTitle("Each application runs as its own service account")
            .withRationale("The service account is a pod's identity towards the Kubernetes API and, with IRSA or "
                    + "EKS Pod Identity, towards AWS. Every pod that does not name one runs as the namespace's "
                    + "'default' account, so a role granted to it for one app is granted to all; and when "
                    + "applications share an account, a compromise of one carries the others' permissions.")
            .withRemediation("Create a ServiceAccount per application (kubectl -n <ns> create serviceaccount <app>), "
                    + "set spec.template.spec.serviceAccountName: <app> and automountServiceAccountToken: false "
                    + "where the app does not call the API, move RoleBindings and IRSA/Pod Identity associations "
                    + "to the new account, and remove them from 'default'.")
            .withSources("seed: one service account per app", "EKS best practices: IAM - dedicated service accounts",
                    "CIS Kubernetes Benchmark 5.1.5")
            .withScope(Scope.WORKLOADS)
            .withRequires(Input.K8S_WORKLOADS)
            .build();

    @Override
    public CheckMetadata metadata() {
        return METADATA;
    }

    @Override
    public List<CheckResult> evaluate(CheckContext context) {
        var verdicts = new Verdicts(METADATA);
        List<Workload> workloads = context.judgedWorkloads();
        // (namespace, service account) -> application -> one of its workloads, built once: linear.
        var appsByAccount = new HashMap<String, Map<String, String>>();
        for (Workload w : workloads) {
            if (!isDefault(w)) {
                appsByAccount.computeIfAbsent(key(w), k -> new TreeMap<>())
                        .putIfAbsent(w.appName(), w.kind() + "/" + w.name());
            }
        }
        for (Workload w : workloads) {
            String sa = w.serviceAccountName();
            if (isDefault(w)) {
                verdicts.fail(w.ref(), Severity.MEDIUM, w.kind() + " " + w.name()
                        + " runs as the default service account of namespace " + w.namespace(),
                        "serviceAccountName unset or 'default'");
                continue;
            }
            Map<String, String> apps = appsByAccount.get(key(w));
            if (apps.size() > 1) {
                verdicts.fail(w.ref(), Severity.LOW, "service account " + sa + " of " + w.kind() + " " + w.name()
                        + " (app " + w.appName() + ") also serves " + others(apps, w.appName()),
                        "applications sharing " + w.namespace() + "/" + sa + ": " + String.join(", ", apps.keySet()));
            } else {
                verdicts.pass(w.ref(), w.kind() + " " + w.name() + " runs as its own service account " + sa);
            }
        }
        return verdicts.list();
    }

    private static boolean isDefault(Workload w) {
        return "default".equals(w.serviceAccountName());
    }

    private static String key(Workload w) {
        return w.namespace() + "/" + w.serviceAccountName();
    }

    /** The other applications on the account, a few named, the rest counted (keeps messages bounded). */
    private static String others(Map<String, String> apps, String self) {
        var named = new StringBuilder();
        int listed = 0;
        for (var e : apps.entrySet()) {
            if (e.getKey().equals(self)) {
                continue;
            }
            if (listed == MAX_LISTED) {
                named.append(" and ").append(apps.size() - 1 - listed).append(" more");
                break;
            }
            named.append(listed == 0 ? "" : ", ").append("app ").append(e.getKey()).append(" (").append(e.getValue())
                    .append(")");
            listed++;
        }
        return named.toString();
    }
}
