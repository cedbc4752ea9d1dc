package dev.ekscm.checks;

import dev.ekscm.model.CheckResult;
import dev.ekscm.model.ClusterSnapshot;
import dev.ekscm.model.ClusterSnapshot.CollectionProblem;
import dev.ekscm.model.Input;
import dev.ekscm.model.ResourceRef;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Severity;
import dev.ekscm.model.Status;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The cluster-level result {@code monitor-cannot-reach-cluster}: FAIL when a live collection
 * could not use the cluster's Kubernetes API (unreachable, 401, every list forbidden, timeout),
 * with the reason and the onboarding hint; PASS when it read it, so that the finding resolves;
 * nothing when the run did not ask for Kubernetes data (a nodes-only recheck, an offline scan).
 *
 * <p>Not a {@link Check}: it judges the collection, not the cluster's configuration, and the
 * catalog holds exactly the designed checks. The {@link Evaluator} appends it to every evaluation
 * whose snapshot requested Kubernetes inputs, whatever the scopes (a run reads Kubernetes only for
 * scopes that need it); its metadata names scope WORKLOADS, the scope every full run includes, so
 * that findings reconciliation treats it like the workload checks.
 */
public final class ReachabilityOutcome {
    public static final String ID = "monitor-cannot-reach-cluster";

    public static final CheckMetadata METADATA = CheckMetadata.builder(ID)
            .withSeverity(Severity.HIGH)
            .withTitle("The monitor cannot read the cluster's Kubernetes API")
            .withRationale("While the Kubernetes API cannot be read, no workload, RBAC, network-policy or admission check "
                    + "runs for this cluster: its findings are silently stale. Usually the monitor's IAM role has no EKS "
                    + "access entry, or the endpoint is private and not reachable from where the monitor runs.")
            .withRemediation("Grant the monitor's role an EKS access entry mapped to the ekscm-reader group "
                    + "(`ekscm onboard --cluster NAME`, which applies deploy/ RBAC), or, for a private endpoint, run the "
                    + "cluster-check function in the cluster's VPC (template parameter for VPC config) or use "
                    + "`--kube-context` through a tunnel.")
            .withSources("seed: failures are findings, not crashes", "EKS access entries")
            .withScope(Scope.WORKLOADS)
            .withRequires(Input.K8S_NAMESPACES)
            .build();

    private ReachabilityOutcome() {
    }

    public static Optional<CheckOutcome> evaluate(ClusterSnapshot snapshot) {
        if (!snapshot.kubernetesRequested()) {
            return Optional.empty();
        }
        ResourceRef cluster = ResourceRef.cluster(snapshot.cluster().name());
        List<CollectionProblem> unreachable = snapshot.problems().stream()
                .filter(CollectionProblem::kubernetesUnreachable).toList();
        if (!unreachable.isEmpty()) {
            String reasons = unreachable.stream().map(CollectionProblem::reason).collect(Collectors.joining("; "));
            String where = unreachable.stream().map(CollectionProblem::where).collect(Collectors.joining(", "));
            var fail = new CheckResult(ID, cluster, Status.FAIL, METADATA.defaultSeverity(),
                    "the monitor cannot read the Kubernetes API of cluster " + snapshot.cluster().name() + ": " + reasons,
                    where);
            return Optional.of(new CheckOutcome(METADATA, Status.FAIL, List.of(fail), Optional.empty()));
        }
        String partial = snapshot.problems().stream()
                .filter(p -> p.source() == Input.Source.KUBERNETES)
                .map(p -> p.where() + ": " + p.reason()).collect(Collectors.joining("; "));
        var pass = new CheckResult(ID, cluster, Status.PASS, METADATA.defaultSeverity(),
                "the monitor read the Kubernetes API of cluster " + snapshot.cluster().name(),
                partial.isEmpty() ? "" : "some kinds could not be read: " + partial);
        return Optional.of(new CheckOutcome(METADATA, Status.PASS, List.of(pass), Optional.empty()));
    }
}
