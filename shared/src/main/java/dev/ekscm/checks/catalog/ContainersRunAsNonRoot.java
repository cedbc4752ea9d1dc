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
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;

import java.util.List;

/**
 * Every container runs as a non-root user: its effective runAsNonRoot (container over pod) is
 * true, or its effective runAsUser is a non-zero UID.
 */
public final class ContainersRunAsNonRoot extends WorkloadCheck {
    private static final CheckMetadata METADATA = CheckMetadata.builder("containers-run-as-non-root")
            .withSeverity(Severity.HIGH)
            .withTitle("Containers run as a non-root user")
            .withRationale("UID 0 in a container is UID 0 on the node's kernel: one container escape, writable "
                    + "hostPath or kernel bug away from owning the node and every pod on it. Unless "
                    + "runAsNonRoot is true or a non-zero runAsUser is set, the image's USER line decides, and "
                    + "most public images run as root.")
            .withRemediation("Set spec.template.spec.securityContext.runAsNonRoot: true and runAsUser: <non-zero "
                    + "UID, e.g. 10001> (or the same fields in each container's securityContext; a container's "
                    + "value overrides the pod's), and build the image with a numeric non-root USER.")
            .withSources("seed: securityContext", "EKS best practices: pod security - run as non-root",
                    "Pod Security Standards: restricted")
            .withScope(Scope.WORKLOADS)
            .withRequires(Input.K8S_WORKLOADS)
            .build();

    public ContainersRunAsNonRoot() {
        super(METADATA);
    }

    @Override
    protected void judge(Workload w, CheckContext context, Verdicts verdicts) {
        List<Container> containers = w.allContainers();
        for (Container c : containers) {
            var nonRoot = Containers.effective(w, c, SecurityContext::getRunAsNonRoot,
                    PodSecurityContext::getRunAsNonRoot);
            var user = Containers.effective(w, c, SecurityContext::getRunAsUser, PodSecurityContext::getRunAsUser);
            String evidence = "runAsNonRoot=" + nonRoot + ", runAsUser=" + user;
            boolean rootUser = user.isSet() && user.value() == 0L;
            if (Boolean.TRUE.equals(nonRoot.value()) && rootUser) {
                verdicts.fail(w.ref(), Severity.HIGH, Containers.describe(w, c)
                        + " sets runAsNonRoot: true but runAsUser: 0, which contradict each other: the kubelet "
                        + "refuses to start it (CreateContainerConfigError)", evidence);
            } else if (!Boolean.TRUE.equals(nonRoot.value()) && (!user.isSet() || rootUser)) {
                verdicts.fail(w.ref(), Severity.HIGH, Containers.describe(w, c) + (rootUser
                        ? " runs as root: runAsUser is 0"
                        : " may run as root: runAsNonRoot is not true and no runAsUser is set, so the "
                        + "image's USER decides"), evidence);
            }
        }
        verdicts.pass(w.ref(), containers.isEmpty() ? w.kind() + " " + w.name() + " declares no containers"
                : "all " + containers.size() + " container(s) of " + w.kind() + " " + w.name()
                + " run as non-root");
    }
}
