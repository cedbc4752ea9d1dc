package dev.ekscm.cli;

import dev.ekscm.collect.LiveSnapshotSource;
import dev.ekscm.engine.AwsClients;
import dev.ekscm.model.BadInputException;
import dev.ekscm.model.ClusterId;
import dev.ekscm.model.aws.EksCluster;
import dev.ekscm.remediation.ClusterObjects;
import dev.ekscm.remediation.DynamoDbRemediationLog;
import dev.ekscm.remediation.Ec2InstanceMetadataSettings;
import dev.ekscm.remediation.EksClusterTagsReader;
import dev.ekscm.remediation.Fabric8ClusterObjects;
import dev.ekscm.remediation.RemediationMode;
import dev.ekscm.remediation.RemediationRecord;
import dev.ekscm.remediation.RemediationRecord.Outcome;
import dev.ekscm.remediation.Remediator;
import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eks.EksClient;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code ekscm remediation …}: what the monitor's remediations did to a cluster. */
@Command(name = "remediation", description = "Act on what the monitor's remediations applied.",
        subcommands = {RemediationCommand.Undo.class, CommandLine.HelpCommand.class})
final class RemediationCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new BadInputException("name a subcommand: ekscm remediation undo --cluster NAME --state-table TABLE");
    }

    /** {@code ekscm remediation undo}: revert what the monitor applied. */
    @Command(name = "undo", sortOptions = false,
            description = {"Revert what the monitor's remediations applied to a cluster.",
                    "Deletes the NetworkPolicies and "
                    + "Calico objects it created (only those labelled app.kubernetes.io/managed-by=ekscm with the monitor's "
                    + "names), and restores the instance metadata options recorded in the state table before each change "
                    + "(not where they were changed again since).",
                    "Every action is recorded in the state table, as the monitor's are."},
            footer = {"", "Exit codes: 0 done (or nothing to undo); 1 an action failed (see FAILED lines); 2 bad input."})
    static final class Undo implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--cluster", required = true, paramLabel = "NAME", description = "The EKS cluster.")
        String cluster;

        @Option(names = "--region", paramLabel = "REGION", description = "Its region, and the state table's (default: the SDK's region chain).")
        String region;

        @Option(names = "--kube-context", paramLabel = "CTX", description = "Reach its Kubernetes API through this kubeconfig context.")
        String kubeContext;

        @Option(names = "--state-table", required = true, paramLabel = "TABLE",
                description = "The findings table the monitor records remediations in (the SAM template's FindingsTable).")
        String stateTable;

        @Option(names = "--dry-run", description = "Only list what would be reverted; change nothing.")
        boolean dryRun;

        private final Clock clock = Clock.systemUTC();

        @Override
        public Integer call() {
            String r = region != null ? region : LiveSnapshotSource.defaultRegion();
            var clients = new AwsClients(Optional.of(r));
            List<RemediationRecord> records;
            ClusterId id;
            try (var source = new LiveSnapshotSource();
                 EksClient eks = clients.build(EksClient.builder());
                 Ec2Client ec2 = clients.build(Ec2Client.builder());
                 DynamoDbClient dynamo = clients.build(DynamoDbClient.builder())) {
                EksCluster described = source.describeCluster(cluster, r);
                id = ClusterId.fromArn(described.arn());
                KubernetesClient kubernetes = null;
                try {
                    ClusterObjects objects;
                    try {
                        kubernetes = source.kubernetesClient(described, r, Optional.ofNullable(kubeContext));
                        objects = new Fabric8ClusterObjects(kubernetes);
                    } catch (BadInputException e) {
                        if (kubeContext != null) {
                            throw e;
                        }
                        // e.g. no endpoint: the EC2 part can still be undone
                        objects = ClusterObjects.unavailable(e.getMessage());
                    }
                    var log = new DynamoDbRemediationLog(dynamo, stateTable);
                    var remediator = new Remediator(new EksClusterTagsReader(eks), objects,
                            new Ec2InstanceMetadataSettings(ec2), log, clock, true);
                    records = remediator.undo(id, dryRun ? RemediationMode.DRY_RUN : RemediationMode.ENFORCE);
                    if (!dryRun) {
                        log.summarizeOnFindings(records);
                    }
                } finally {
                    if (kubernetes != null) {
                        kubernetes.close();
                    }
                }
            }
            render(id, records, spec.commandLine().getOut());
            return records.stream().anyMatch(x -> x.outcome() == Outcome.FAILED) ? Main.EXIT_FAILED : 0;
        }

        private void render(ClusterId id, List<RemediationRecord> records, PrintWriter out) {
            out.println((dryRun ? "dry-run: would undo" : "undo") + " for cluster " + id.name() + " (account " + id.account()
                    + ", region " + id.region() + ")");
            if (records.isEmpty()) {
                out.println("nothing to undo: no object labelled app.kubernetes.io/managed-by=ekscm, no instance change "
                        + "recorded in " + stateTable);
            }
            for (RemediationRecord r : records) {
                out.println(r.summary());
                if (isOneLine(r.before()) && isOneLine(r.after()) && !r.before().equals(r.after())) {
                    out.println("    " + r.before() + " -> " + r.after());
                }
            }
            var counts = new EnumMap<Outcome, Integer>(Outcome.class);
            records.forEach(r -> counts.merge(r.outcome(), 1, Integer::sum));
            if (!counts.isEmpty()) {
                out.println(counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().name().toLowerCase())
                        .collect(Collectors.joining(", ")));
            }
            out.flush();
        }

        private static boolean isOneLine(String text) {
            return !text.isEmpty() && !text.contains("\n");
        }
    }
}
