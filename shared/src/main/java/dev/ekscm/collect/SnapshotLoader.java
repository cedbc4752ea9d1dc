package dev.ekscm.collect;

import dev.ekscm.model.BadInputException;
import dev.ekscm.model.ClusterId;
import dev.ekscm.model.ClusterSnapshot;
import dev.ekscm.model.Input;
import dev.ekscm.model.aws.AwsClusterState;
import dev.ekscm.model.k8s.KubernetesState;
import dev.ekscm.model.k8s.KubernetesStateBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a snapshot from files: manifests (all Kubernetes inputs present, even when a kind has
 * no object) and an optional folder of AWS CLI JSON (only the inputs whose files are there).
 */
public final class SnapshotLoader {
    private final ManifestReader manifests;
    private final AwsCliJsonReader aws;

    public SnapshotLoader() {
        this(new ManifestReader(), new AwsCliJsonReader());
    }

    public SnapshotLoader(ManifestReader manifests, AwsCliJsonReader aws) {
        this.manifests = manifests;
        this.aws = aws;
    }

    public ClusterSnapshot load(List<Path> manifestPaths, Optional<Path> awsFolder) {
        if (manifestPaths.isEmpty() && awsFolder.isEmpty()) {
            throw new BadInputException("nothing to scan: give --manifests PATH… and/or --aws DIR");
        }
        var available = EnumSet.noneOf(Input.class);
        KubernetesState k8s = KubernetesState.empty();
        if (!manifestPaths.isEmpty()) {
            k8s = new KubernetesStateBuilder().addAll(manifests.read(manifestPaths)).build();
            for (Input i : Input.values()) {
                if (i.isKubernetes()) {
                    available.add(i);
                }
            }
        }
        AwsClusterState awsState = AwsClusterState.empty();
        Optional<ClusterId> cluster = Optional.empty();
        Map<String, String> tags = Map.of();
        if (awsFolder.isPresent()) {
            Path dir = awsFolder.get();
            if (!Files.isDirectory(dir)) {
                throw new BadInputException(dir + ": --aws needs a folder of AWS CLI JSON outputs");
            }
            AwsFiles files = aws.read(dir);
            awsState = files.state();
            available.addAll(files.available());
            cluster = files.cluster();
            tags = files.clusterTags();
        }
        ClusterId id = cluster.orElseGet(() -> ClusterId.offline(defaultName(manifestPaths, awsFolder)));
        return new ClusterSnapshot(id, available, awsState, k8s, List.of(), tags);
    }

    /** Without describe-cluster output, the cluster is named after the first input path. */
    static String defaultName(List<Path> manifestPaths, Optional<Path> awsFolder) {
        Path first = manifestPaths.isEmpty() ? awsFolder.orElseThrow() : manifestPaths.get(0);
        Path abs = first.toAbsolutePath().normalize();
        Path name = abs.getFileName();
        if (name != null && name.toString().equals("manifests") && abs.getParent() != null
                && abs.getParent().getFileName() != null) {
            name = abs.getParent().getFileName(); // examples/<cluster>/manifests
        }
        String s = name == null ? "cluster" : name.toString().replaceFirst("\\.(ya?ml|json)$", "");
        return s.isBlank() ? "cluster" : s;
    }
}
