package dev.ekscm.onboard;

import dev.ekscm.collect.ManifestReader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.AccessEntry;
import software.amazon.awssdk.services.eks.model.ResourceInUseException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code ekscm onboard --cluster NAME}: gives the monitor's cluster-check role access to one
 * cluster. Creates (or converges) the role's EKS access entry, type STANDARD, mapped to the
 * Kubernetes group {@code ekscm-reader} (and {@code ekscm-remediator} when remediation is on),
 * then server-side applies deploy/'s ClusterRoles and ClusterRoleBindings for those groups.
 * Runs with the operator's credentials, not the monitor's; idempotent.
 */
public final class Onboarding {
    public static final String READER_GROUP = "ekscm-reader";
    public static final String REMEDIATOR_GROUP = "ekscm-remediator";
    /** The manifests in deploy/, bundled in the jar under this path. */
    public static final List<String> MANIFESTS = List.of("ekscm-reader.yaml", "ekscm-remediator.yaml");
    public static final String FIELD_MANAGER = "ekscm";
    /** What the operator running onboard needs, besides Kubernetes RBAC write on ClusterRoles and bindings. */
    public static final List<String> IAM_ACTIONS = List.of("eks:CreateAccessEntry", "eks:UpdateAccessEntry",
            "eks:DescribeCluster");

    /** What onboarding did: the access entry and the Kubernetes objects applied ({@code Kind/name}). */
    public record Result(String accessEntryArn, boolean accessEntryCreated, List<String> kubernetesGroups,
                         List<String> applied) {
        public Result {
            kubernetesGroups = List.copyOf(kubernetesGroups);
            applied = List.copyOf(applied);
        }
    }

    private final EksClient eks;
    private final KubernetesClient kubernetes;

    public Onboarding(EksClient eks, KubernetesClient kubernetes) {
        this.eks = eks;
        this.kubernetes = kubernetes;
    }

    /**
     * @param clusterCheckRoleArn the stack output ClusterCheckRoleArn
     * @param remediation         also map and bind {@code ekscm-remediator}
     */
    public Result onboard(String cluster, String clusterCheckRoleArn, boolean remediation) {
        Objects.requireNonNull(cluster, "cluster");
        if (!clusterCheckRoleArn.matches("arn:aws[a-z-]*:iam::\\d{12}:role/.+")) {
            throw new IllegalArgumentException("'" + clusterCheckRoleArn + "' is not an IAM role ARN: pass the stack output"
                    + " ClusterCheckRoleArn (aws cloudformation describe-stacks --stack-name ekscm)");
        }
        List<String> groups = remediation ? List.of(READER_GROUP, REMEDIATOR_GROUP) : List.of(READER_GROUP);
        AccessEntry entry;
        boolean created;
        try {
            entry = eks.createAccessEntry(b -> b.clusterName(cluster).principalArn(clusterCheckRoleArn)
                    .kubernetesGroups(groups).type("STANDARD")).accessEntry();
            created = true;
        } catch (ResourceInUseException exists) {
            entry = eks.updateAccessEntry(b -> b.clusterName(cluster).principalArn(clusterCheckRoleArn)
                    .kubernetesGroups(groups)).accessEntry();
            created = false;
        }
        var applied = new ArrayList<String>();
        for (HasMetadata object : manifests(remediation)) {
            kubernetes.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
            applied.add(object.getKind() + "/" + object.getMetadata().getName());
        }
        return new Result(entry.accessEntryArn(), created, groups, applied);
    }

    /** deploy/'s objects; without remediation only the reader's. */
    public static List<HasMetadata> manifests(boolean remediation) {
        var reader = new ManifestReader();
        var objects = new ArrayList<HasMetadata>();
        for (String name : MANIFESTS) {
            if (!remediation && name.contains("remediator")) {
                continue;
            }
            String resource = "/dev/ekscm/onboard/deploy/" + name;
            try (InputStream in = Onboarding.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException(resource + " is missing from the jar (built from deploy/" + name + ")");
                }
                objects.addAll(reader.readText(new String(in.readAllBytes(), StandardCharsets.UTF_8), "deploy/" + name));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return objects;
    }
}
