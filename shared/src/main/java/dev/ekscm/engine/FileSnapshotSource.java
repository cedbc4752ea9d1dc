package dev.ekscm.engine;

import dev.ekscm.collect.SnapshotLoader;
import dev.ekscm.model.ClusterSnapshot;
import dev.ekscm.model.Input;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A snapshot read from manifests and an optional folder of AWS CLI JSON outputs. */
public final class FileSnapshotSource implements SnapshotSource {
    private final List<Path> manifests;
    private final Optional<Path> awsFolder;

    public FileSnapshotSource(List<Path> manifests, Optional<Path> awsFolder) {
        this.manifests = List.copyOf(manifests);
        this.awsFolder = awsFolder;
    }

    @Override
    public ClusterSnapshot collect(Set<Input> needed) {
        return new SnapshotLoader().load(manifests, awsFolder);
    }
}
