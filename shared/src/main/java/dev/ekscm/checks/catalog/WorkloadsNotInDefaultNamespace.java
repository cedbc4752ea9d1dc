package dev.ekscm.checks.catalog;

import dev.ekscm.checks.CheckContext;
import dev.ekscm.checks.CheckMetadata;
import dev.ekscm.checks.Verdicts;
import dev.ekscm.checks.WorkloadCheck;
import dev.ekscm.model.Input;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Severity;
import dev.ekscm.model.k8s.Workload;

/** Workloads belong in their own namespace, not in {@code default}. */
public final class WorkloadsNotInDefaultNamespace extends WorkloadCheck {
    private static final CheckMetadata METADATA = CheckMetadata.builder("workloads-not-in-default-namespace")
            .withSeverity(Severity.LOW)
            .withTitle("Workloads run in their own namespace, not in default")
            .withRationale("Namespaces are the unit that RBAC, NetworkPolicies, Pod Security Admission labels, "
                    + "resource quotas and exemptions attach to. Everything dropped into 'default' shares one "
                    + "service account, one policy set and one blast radius, and 'default' is where a mistyped "
                    + "kubectl command lands, so its contents are rarely reviewed.")
            .withRemediation("Create a namespace per application or team (kubectl create namespace <app>), label it "
                    + "pod-security.kubernetes.io/enforce=restricted, and redeploy the workload with "
                    + "metadata.namespace: <app>; then delete it from default (kubectl -n default delete "
                    + "<kind>/<name>).")
            .withSources("seed: namespaces", "EKS best practices: multi-tenancy - namespaces",
                    "CIS Kubernetes Benchmark 5.7.4")
            .withScope(Scope.WORKLOADS)
            .withRequires(Input.K8S_WORKLOADS)
            .build();

    public WorkloadsNotInDefaultNamespace() {
        super(METADATA);
    }

    @Override
    protected void judge(Workload w, CheckContext context, Verdicts verdicts) {
        if ("default".equals(w.namespace())) {
            verdicts.fail(w.ref(), w.kind() + " " + w.name() + " runs in the default namespace");
        } else {
            verdicts.pass(w.ref(), w.kind() + " " + w.name() + " runs in namespace " + w.namespace());
        }
    }
}
