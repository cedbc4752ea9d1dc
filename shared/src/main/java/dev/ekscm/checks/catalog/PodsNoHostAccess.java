package dev.ekscm.checks.catalog;

import dev.ekscm.checks.CheckContext;
import dev.ekscm.checks.CheckMetadata;
import dev.ekscm.checks.Verdicts;
import dev.ekscm.checks.WorkloadCheck;
import dev.ekscm.model.Input;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Severity;
import dev.ekscm.model.k8s.Workload;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;

import java.util.ArrayList;
import java.util.List;

/**
 * Pods stay inside their sandbox: no privileged container, no host network, PID or IPC
 * namespace, no hostPath volume. One result per workload lists every reason.
 */
public final class PodsNoHostAccess extends WorkloadCheck {
    private static final CheckMetadata METADATA = CheckMetadata.builder("pods-no-host-access")
            .withSeverity(Severity.HIGH)
            .withTitle("Pods do not run privileged or share the node's namespaces or filesystem")
            .withRationale("A privileged container is root on the node with every device and capability. "
                    + "hostNetwork exposes the node's interfaces (and the instance metadata endpoint with the "
                    + "node's IAM role), hostPID lets a pod see and signal every process on the node, hostIPC "
                    + "shares its shared memory, and a hostPath volume can expose the kubelet's credentials, "
                    + "the container runtime socket or the node's root filesystem.")
            .withRemediation("Remove securityContext.privileged: true from every container, and hostNetwork, hostPID, "
                    + "hostIPC and hostPath volumes from spec.template.spec; use a Service/containerPort instead of "
                    + "hostNetwork, and emptyDir, a PersistentVolumeClaim, a ConfigMap or a CSI volume instead of "
                    + "hostPath. Node agents that truly need host access are exempted with the annotation "
                    + "ekscm.dev/exempt: pods-no-host-access and an ekscm.dev/exempt-reason.")
            .withSources("EKS best practices: pod security - restrict privileged containers and host access",
                    "Pod Security Standards: baseline", "CIS Kubernetes Benchmark 5.2.2-5.2.5")
            .withScope(Scope.WORKLOADS)
            .withRequires(Input.K8S_WORKLOADS)
            .build();

    public PodsNoHostAccess() {
        super(METADATA);
    }

    @Override
    protected void judge(Workload w, CheckContext context, Verdicts verdicts) {
        PodSpec spec = w.podSpec();
        var reasons = new ArrayList<String>();
        Severity severity = Severity.HIGH;
        for (Container c : w.allContainers()) {
            if (c.getSecurityContext() != null && Boolean.TRUE.equals(c.getSecurityContext().getPrivileged())) {
                reasons.add("privileged " + Containers.describe(w, c));
                severity = Severity.CRITICAL;
            }
        }
        if (Boolean.TRUE.equals(spec.getHostNetwork())) {
            reasons.add("hostNetwork: true");
        }
        if (Boolean.TRUE.equals(spec.getHostPID())) {
            reasons.add("hostPID: true");
        }
        if (Boolean.TRUE.equals(spec.getHostIPC())) {
            reasons.add("hostIPC: true");
        }
        List<Volume> volumes = spec.getVolumes() == null ? List.of() : spec.getVolumes();
        for (Volume v : volumes) {
            if (v.getHostPath() != null) {
                reasons.add("hostPath volume '" + v.getName() + "' (" + v.getHostPath().getPath() + ")");
            }
        }
        if (reasons.isEmpty()) {
            verdicts.pass(w.ref(), w.kind() + " " + w.name()
                    + " has no privileged container, host namespaces or hostPath volumes");
        } else {
            verdicts.fail(w.ref(), severity, w.kind() + " " + w.name() + " has host access: "
                    + String.join(", ", reasons), String.join("; ", reasons));
        }
    }
}
