package dev.ekscm.cli;

import dev.ekscm.checks.CheckCatalog;
import dev.ekscm.collect.CollectionPlan;
import dev.ekscm.collect.LiveSnapshotSource;
import dev.ekscm.collect.SnapshotWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code ekscm snapshot}: write a live cluster as the files {@code scan --manifests/--aws} reads. */
@Command(name = "snapshot", sortOptions = false,
        description = "Collect a live EKS cluster and write it as AWS CLI JSON files (DIR/aws) and a manifest list (DIR/manifests), "
                + "so the scan can be replayed and shared: ekscm scan --manifests DIR/manifests --aws DIR/aws.")
final class SnapshotCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--cluster", required = true, paramLabel = "NAME", description = "The EKS cluster.")
    String cluster;

    @Option(names = "--region", paramLabel = "REGION", description = "Its region (default: the SDK's region chain).")
    String region;

    @Option(names = "--kube-context", paramLabel = "CTX", description = "Reach the Kubernetes API through this kubeconfig context.")
    String kubeContext;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write.")
    Path out;

    @Override
    public Integer call() {
        try (var live = new LiveSnapshotSource()) {
            var collection = live.collect(cluster, region != null ? region : LiveSnapshotSource.defaultRegion(),
                    Optional.ofNullable(kubeContext), CollectionPlan.forChecks(CheckCatalog.builtIn().all()));
            var err = spec.commandLine().getErr();
            collection.snapshot().problems().forEach(p -> err.println("ekscm: warning: " + p.where() + ": " + p.reason()));
            var files = new SnapshotWriter().write(collection.snapshot(), out);
            spec.commandLine().getOut().println("wrote " + files.size() + " files to " + out + " (" + collection.apiCalls().values()
                    .stream().mapToInt(Integer::intValue).sum() + " API calls)");
        }
        return 0;
    }
}
