package dev.ekscm.collect;

import dev.ekscm.model.ClusterSnapshot;
import dev.ekscm.model.Input;
import dev.ekscm.model.k8s.KubernetesState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesListBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code ekscm snapshot --cluster NAME --out DIR}: writes a live snapshot so that
 * {@code ekscm scan --manifests DIR/manifests --aws DIR/aws} replays it with the same findings:
 * {@code aws/} holds the AWS CLI-shaped files ({@link AwsCliJsonWriter}), {@code manifests/} one
 * {@code kind: List} YAML of the Kubernetes objects the checks read (never Secrets: they are not
 * collected). Folders apart, because a manifest folder is read recursively.
 */
public final class SnapshotWriter {
    public static final String AWS_FOLDER = "aws";
    public static final String MANIFESTS_FOLDER = "manifests";
    public static final String MANIFEST_FILE = "cluster.yaml";

    private final AwsCliJsonWriter aws = new AwsCliJsonWriter();
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    /** Writes the snapshot under {@code out}; returns the files written. */
    public List<Path> write(ClusterSnapshot snapshot, Path out) {
        var files = new ArrayList<>(aws.write(snapshot, out.resolve(AWS_FOLDER)));
        if (snapshot.available().stream().anyMatch(Input::isKubernetes)) {
            Path manifest = out.resolve(MANIFESTS_FOLDER).resolve(MANIFEST_FILE);
            try {
                Files.createDirectories(manifest.getParent());
                Files.writeString(manifest, "# Kubernetes objects of cluster " + snapshot.cluster().name()
                        + " as ekscm collected them (replay: ekscm scan --manifests " + MANIFESTS_FOLDER + " --aws " + AWS_FOLDER + ")\n"
                        + serialization.asYaml(new KubernetesListBuilder().withItems(objects(snapshot.kubernetes())).build()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + manifest + ": " + e.getMessage(), e);
            }
            files.add(manifest);
        }
        return files;
    }

    static List<HasMetadata> objects(KubernetesState k) {
        return Stream.of(k.namespaces(), k.workloads().stream().map(w -> w.source()).toList(), k.networkPolicies(),
                        k.calicoTiers(), k.calicoPolicies(), k.roles(), k.clusterRoles(), k.roleBindings(), k.clusterRoleBindings(),
                        k.serviceAccounts(), k.validatingWebhooks(), k.validatingAdmissionPolicies(),
                        k.validatingAdmissionPolicyBindings())
                .flatMap(List::stream).map(o -> (HasMetadata) o).toList();
    }
}
