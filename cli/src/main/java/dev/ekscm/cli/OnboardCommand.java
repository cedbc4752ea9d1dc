package dev.ekscm.cli;

import dev.ekscm.collect.LiveSnapshotSource;
import dev.ekscm.engine.AwsClients;
import dev.ekscm.model.aws.EksCluster;
import dev.ekscm.onboard.Onboarding;
import dev.ekscm.remediation.RemediationPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.EksException;

import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code ekscm onboard}: give the monitor's cluster-check role access to one cluster. */
@Command(name = "onboard", sortOptions = false,
        description = {"Give the monitor's cluster-check role access to a cluster.",
                "An EKS access entry (type STANDARD) "
                + "mapped to the Kubernetes group " + Onboarding.READER_GROUP + " (and " + Onboarding.REMEDIATOR_GROUP
                + " with --remediation), then deploy/'s ClusterRoles and ClusterRoleBindings for those groups, "
                + "server-side applied.",
                "Runs with your credentials (eks:DescribeCluster, eks:CreateAccessEntry, eks:UpdateAccessEntry, and "
                        + "Kubernetes RBAC write on ClusterRoles and ClusterRoleBindings); safe to run again."},
        footer = {"", "Exit codes: 0 done; 1 an AWS or Kubernetes call failed; 2 bad input (unknown cluster, not a role ARN)."})
final class OnboardCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--cluster", required = true, paramLabel = "NAME", description = "The EKS cluster.")
    String cluster;

    @Option(names = "--role-arn", required = true, paramLabel = "ARN",
            description = "The monitor's cluster-check role: the stack output ClusterCheckRoleArn.")
    String roleArn;

    @Option(names = "--region", paramLabel = "REGION", description = "Its region (default: the SDK's region chain).")
    String region;

    @Option(names = "--kube-context", paramLabel = "CTX",
            description = "Reach its Kubernetes API through this kubeconfig context (default: endpoint from EKS, your EKS token).")
    String kubeContext;

    @Option(names = "--remediation", description = "Also map and bind " + Onboarding.REMEDIATOR_GROUP
            + " (NetworkPolicy and Calico policy writes); remediation still needs the cluster's opt-in tags.")
    boolean remediation;

    @Override
    public Integer call() {
        String r = region != null ? region : LiveSnapshotSource.defaultRegion();
        Onboarding.Result result;
        try (var source = new LiveSnapshotSource();
             EksClient eks = new AwsClients(Optional.of(r)).build(EksClient.builder())) {
            EksCluster described = source.describeCluster(cluster, r);
            try (KubernetesClient kubernetes = source.kubernetesClient(described, r, Optional.ofNullable(kubeContext))) {
                result = new Onboarding(eks, kubernetes).onboard(cluster, roleArn, remediation);
            }
        } catch (EksException e) {
            return failed("EKS access entry for " + roleArn + " on cluster " + cluster + ": " + e.awsErrorDetails().errorMessage()
                    + " (" + e.awsErrorDetails().errorCode() + "); the cluster's authentication mode must allow access "
                    + "entries (API or API_AND_CONFIG_MAP) and you need eks:CreateAccessEntry and eks:UpdateAccessEntry");
        } catch (KubernetesClientException e) {
            return failed("applying deploy/'s RBAC to cluster " + cluster + " failed: " + e.getMessage() + "; the access "
                    + "entry is in place; you need RBAC write on ClusterRoles and ClusterRoleBindings (e.g. cluster-admin)"
                    + ", then run onboard again");
        }
        var out = spec.commandLine().getOut();
        out.println("access entry " + (result.accessEntryCreated() ? "created" : "updated") + " for " + roleArn
                + " on cluster " + cluster + ": " + result.accessEntryArn());
        out.println("  Kubernetes groups: " + String.join(", ", result.kubernetesGroups()));
        result.applied().forEach(a -> out.println("applied " + a + " (server-side apply, field manager "
                + Onboarding.FIELD_MANAGER + ")"));
        if (remediation) {
            out.println("remediation stays off until the cluster is tagged " + RemediationPolicy.AUTO_REMEDIATE_TAG
                    + "=<ids>|all; it only records what it would do until also tagged " + RemediationPolicy.MODE_TAG + "=enforce");
        }
        out.flush();
        return 0;
    }

    private int failed(String message) {
        spec.commandLine().getErr().println("ekscm: " + message);
        return Main.EXIT_FAILED;
    }
}
