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
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * ClusterRoleBindings are for the platform: subjects other than Kubernetes' own {@code system:}
 * identities and kube-system service accounts get namespaced RoleBindings instead.
 */
public final class RbacClusterRoleBindingsMinimized implements Check {
    private static final CheckMetadata METADATA = CheckMetadata.builder("rbac-cluster-role-bindings-minimized")
            .withSeverity(Severity.MEDIUM)
            .withTitle("ClusterRoleBindings are limited to system identities and kube-system service accounts")
            .withRationale("A ClusterRoleBinding grants its role in every namespace, including kube-system and "
                    + "namespaces created later; bound to cluster-admin it hands over the whole cluster. People, "
                    + "CI pipelines and application service accounts almost always need rights in a few "
                    + "namespaces only, which a RoleBinding (to a Role or a ClusterRole) gives.")
            .withRemediation("For each named subject, replace the ClusterRoleBinding with a RoleBinding per namespace "
                    + "it needs (kubectl create rolebinding <name> -n <ns> --clusterrole=<role> "
                    + "--user|--group|--serviceaccount=<subject>), then kubectl delete clusterrolebinding <name>. "
                    + "On EKS, grant human administrators through access entries scoped to namespaces "
                    + "(aws eks associate-access-policy --access-scope type=namespace,namespaces=…) instead "
                    + "of cluster-admin.")
            .withSources("seed: avoid ClusterRoleBindings", "EKS best practices: IAM - least privileged RBAC",
                    "CIS Kubernetes Benchmark 5.1.1")
            .withScope(Scope.RBAC)
            .withRequires(Input.K8S_RBAC)
            .build();

    /**
     * {@code system:} groups and users that stand for everybody rather than for a Kubernetes
     * component: binding them is binding the world, so the {@code system:} exemption does not
     * cover them.
     */
    static final Set<String> BROAD_SYSTEM_SUBJECTS = Set.of("system:authenticated", "system:unauthenticated",
            "system:anonymous", "system:serviceaccounts");
    private static final String SERVICE_ACCOUNT_USER_PREFIX = "system:serviceaccount:";
    private static final String SERVICE_ACCOUNTS_GROUP_PREFIX = "system:serviceaccounts:";

    @Override
    public CheckMetadata metadata() {
        return METADATA;
    }

    @Override
    public List<CheckResult> evaluate(CheckContext context) {
        var verdicts = new Verdicts(METADATA);
        for (ClusterRoleBinding binding : context.kubernetes().clusterRoleBindings()) {
            if (RbacDefaults.isPlatformManaged(binding.getMetadata())) {
                continue;
            }
            String name = binding.getMetadata().getName();
            var ref = ResourceRef.of("ClusterRoleBinding", "", name);
            String role = roleName(binding.getRoleRef());
            Severity severity = "cluster-admin".equals(role) ? Severity.CRITICAL : Severity.MEDIUM;
            List<Subject> subjects = binding.getSubjects() == null ? List.of() : binding.getSubjects();
            for (Subject subject : subjects) {
                nonExemptReason(subject).ifPresent(why -> verdicts.fail(ref, severity,
                        describe(subject) + " is bound cluster-wide to ClusterRole " + role + " (" + why + ")",
                        "roleRef=" + role + " subject=" + describe(subject)));
            }
            verdicts.pass(ref, subjects.isEmpty()
                    ? "ClusterRoleBinding " + name + " has no subjects"
                    : "ClusterRoleBinding " + name + " binds ClusterRole " + role
                    + " only to system identities or kube-system service accounts");
        }
        return verdicts.list();
    }

    /** Why a subject is not one of the exempt platform identities; empty when it is exempt. */
    static Optional<String> nonExemptReason(Subject subject) {
        String kind = subject.getKind() == null ? "" : subject.getKind();
        String name = subject.getName() == null ? "" : subject.getName();
        switch (kind) {
            case "ServiceAccount" -> {
                String ns = subject.getNamespace() == null ? "" : subject.getNamespace();
                return "kube-system".equals(ns) ? Optional.empty()
                        : Optional.of("a service account outside kube-system");
            }
            case "User", "Group" -> {
                if (name.startsWith(SERVICE_ACCOUNT_USER_PREFIX)) {
                    // system:serviceaccount:<ns>:<name> is a service account spelled as a user name.
                    String rest = name.substring(SERVICE_ACCOUNT_USER_PREFIX.length());
                    return rest.startsWith("kube-system:") ? Optional.empty()
                            : Optional.of("a service account outside kube-system, named as a " + kind.toLowerCase());
                }
                if (name.equals(SERVICE_ACCOUNTS_GROUP_PREFIX + "kube-system")) {
                    return Optional.empty();
                }
                if (BROAD_SYSTEM_SUBJECTS.contains(name) || name.startsWith(SERVICE_ACCOUNTS_GROUP_PREFIX)) {
                    return Optional.of("a built-in group that stands for many identities, not a cluster component");
                }
                return name.startsWith("system:") ? Optional.empty()
                        : Optional.of("not a system: " + kind.toLowerCase());
            }
            default -> {
                return Optional.of("unknown subject kind");
            }
        }
    }

    private static String roleName(RoleRef roleRef) {
        return roleRef == null || roleRef.getName() == null ? "<none>" : roleRef.getName();
    }

    private static String describe(Subject subject) {
        String ns = subject.getNamespace() == null || subject.getNamespace().isBlank() ? ""
                : subject.getNamespace() + "/";
        return subject.getKind() + " " + ns + subject.getName();
    }
}
