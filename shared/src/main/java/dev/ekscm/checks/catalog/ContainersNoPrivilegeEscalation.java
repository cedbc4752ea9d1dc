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
import io.fabric8.kubernetes.api.model.SecurityContext;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every container sets allowPrivilegeEscalation: false, is not privileged and adds neither
 * SYS_ADMIN nor ALL capabilities.
 */
public final class ContainersNoPrivilegeEscalation extends WorkloadCheck {
    private static final CheckMetadata METADATA = CheckMetadata.builder("containers-no-privilege-escalation")
            .withSeverity(Severity.HIGH)
            .withTitle("Containers cannot gain more privileges than they start with")
            .withRationale("Unless allowPrivilegeEscalation is explicitly false, the kernel's no_new_privs flag is "
                    + "off and a setuid binary or file capability in the image (or one an attacker drops in) "
                    + "turns a compromised non-root process into root. Privileged containers and CAP_SYS_ADMIN "
                    + "are privilege escalation by configuration: SYS_ADMIN alone allows mounts, namespaces "
                    + "and most known container escapes.")
            .withRemediation("In every container (init containers too) set securityContext.allowPrivilegeEscalation: "
                    + "false, remove securityContext.privileged: true, and replace capabilities.add "
                    + "[SYS_ADMIN|ALL] with capabilities.drop: [\"ALL\"] plus only the narrow capabilities the "
                    + "process needs (e.g. NET_BIND_SERVICE).")
            .withSources("seed: securityContext", "EKS best practices: pod security - disallow privilege escalation",
                    "Pod Security Standards: restricted, baseline (capabilities)")
            .withScope(Scope.WORKLOADS)
            .withRequires(Input.K8S_WORKLOADS)
            .build();

    public ContainersNoPrivilegeEscalation() {
        super(METADATA);
    }

    @Override
    protected void judge(Workload w, CheckContext context, Verdicts verdicts) {
        List<Container> containers = w.allContainers();
        for (Container c : containers) {
            SecurityContext sc = Containers.securityContext(c);
            String name = Containers.describe(w, c);
            if (Boolean.TRUE.equals(sc.getPrivileged())) {
                verdicts.fail(w.ref(), Severity.HIGH, name + " is privileged (always allows escalation)",
                        name + ": privileged=true");
            }
            Boolean allow = sc.getAllowPrivilegeEscalation();
            if (!Boolean.FALSE.equals(allow)) {
                verdicts.fail(w.ref(), Severity.HIGH, name + (allow == null
                        ? " does not set allowPrivilegeEscalation: false (unset means allowed)"
                        : " sets allowPrivilegeEscalation: true"), name + ": allowPrivilegeEscalation=" + (allow == null ? "unset" : allow));
            }
            dangerousCapability(sc).ifPresent(cap -> verdicts.fail(w.ref(), Severity.HIGH,
                    name + " adds capability " + cap, name + ": capabilities.add contains " + cap));
        }
        verdicts.pass(w.ref(), containers.isEmpty() ? w.kind() + " " + w.name() + " declares no containers"
                : "all " + containers.size() + " container(s) of " + w.kind() + " " + w.name()
                + " set allowPrivilegeEscalation: false without privileged mode or SYS_ADMIN");
    }

    /** SYS_ADMIN (with or without the CAP_ prefix, any case) or ALL in capabilities.add. */
    static Optional<String> dangerousCapability(SecurityContext sc) {
        if (sc.getCapabilities() == null || sc.getCapabilities().getAdd() == null) {
            return Optional.empty();
        }
        return sc.getCapabilities().getAdd().stream().filter(cap -> {
            if (cap == null) {
                return false;
            }
            String c = cap.trim().toUpperCase(Locale.ROOT);
            c = c.startsWith("CAP_") ? c.substring(4) : c;
            return c.equals("SYS_ADMIN") || c.equals("ALL");
        }).findFirst();
    }
}
