package dev.ekscm.cli;

import dev.ekscm.checks.CheckCatalog;
import dev.ekscm.checks.CheckConfig;
import dev.ekscm.collect.CollectionPlan;
import dev.ekscm.collect.LiveSnapshotSource;
import dev.ekscm.collect.SnapshotLoader;
import dev.ekscm.engine.AwsClients;
import dev.ekscm.model.BadInputException;
import dev.ekscm.model.ClusterSnapshot;
import dev.ekscm.model.Input;
import dev.ekscm.remediation.ClusterObjects;
import dev.ekscm.remediation.Ec2InstanceMetadataSettings;
import dev.ekscm.remediation.EksClusterTagsReader;
import dev.ekscm.remediation.Fabric8ClusterObjects;
import dev.ekscm.remediation.InMemoryRemediationLog;
import dev.ekscm.remediation.RemediationId;
import dev.ekscm.remediation.RemediationPlan;
import dev.ekscm.remediation.RemediationPlanner;
import dev.ekscm.remediation.RemediationPolicy;
import dev.ekscm.remediation.Remediator;
import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eks.EksClient;

import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code ekscm remediate … --plan}: what the remediations would apply, as YAML. A preview only:
 * applying is the deployed monitor's job (its cluster-check role is the one granted writes, its
 * records go to the state table that {@code ekscm remediation undo} reads), for clusters whose
 * tags opt in.
 */
@Command(name = "remediate", sortOptions = false,
        description = {"Preview what the remediations would apply to a cluster, as YAML.",
                "The remediations imds-network-policy and imds-hop-limit: the Kubernetes objects as YAML documents "
                        + "(kubectl apply -f takes the output as it is); the EC2 calls, the manual steps, and whether "
                        + "the cluster opted in, as comments.",
                "A preview: the deployed monitor applies remediations, to clusters tagged "
                        + RemediationPolicy.AUTO_REMEDIATE_TAG + "."},
        footer = {"", "Exit codes: 0 plan printed; 2 bad input (or no --plan)."})
final class RemediateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--manifests", arity = "1..*", paramLabel = "PATH",
            description = "Kubernetes YAML/JSON files or folders (read recursively).")
    List<Path> manifests = new ArrayList<>();

    @Option(names = "--aws", paramLabel = "DIR", description = "A folder of AWS CLI JSON outputs (describe-cluster gives the tags).")
    Path aws;

    @Option(names = "--cluster", paramLabel = "NAME",
            description = "A live EKS cluster: collected as scan --cluster does, tags read from EKS, Calico detected through the API.")
    String cluster;

    @Option(names = "--region", paramLabel = "REGION", description = "Its region (default: the SDK's region chain).")
    String region;

    @Option(names = "--kube-context", paramLabel = "CTX", description = "Reach its Kubernetes API through this kubeconfig context.")
    String kubeContext;

    @Option(names = "--plan", description = "Print the plan (required: this command does not apply anything).")
    boolean plan;

    @Mixin
    PolicyOptions policy = new PolicyOptions();

    private final Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        if (!plan) {
            throw new BadInputException("remediate only previews: add --plan. Remediations are applied by the deployed "
                    + "monitor, to clusters tagged " + RemediationPolicy.AUTO_REMEDIATE_TAG + " (a comma list of "
                    + RemediationId.knownIds() + ", or all) and " + RemediationPolicy.MODE_TAG + "=enforce; it records "
                    + "every change in the state table, so `ekscm remediation undo` can revert it");
        }
        boolean live = cluster != null;
        if (live && (!manifests.isEmpty() || aws != null)) {
            throw new BadInputException("plan either files (--manifests/--aws) or a live cluster (--cluster), not both");
        }
        if (!live && kubeContext != null) {
            throw new BadInputException("--kube-context needs --cluster: the EC2 and tag parts of a plan come from EKS");
        }
        if (!live && manifests.isEmpty() && aws == null) {
            throw new BadInputException("nothing to plan for: give --manifests PATH… and/or --aws DIR, or --cluster NAME");
        }
        CheckConfig config = policy.applyTo(CheckConfig.defaults(LocalDate.now(clock)));
        RemediationPlan result = live ? livePlan(config)
                // The deployment-wide switch is the deployed monitor's, unknown here: the preview assumes it is on.
                : RemediationPlanner.preview(new SnapshotLoader().load(manifests, Optional.ofNullable(aws)), config, true);
        var out = spec.commandLine().getOut();
        out.print(result.toYaml());
        out.flush();
        return 0;
    }

    private RemediationPlan livePlan(CheckConfig config) {
        String r = region != null ? region : LiveSnapshotSource.defaultRegion();
        var clients = new AwsClients(Optional.of(r));
        try (var source = new LiveSnapshotSource();
             EksClient eks = clients.build(EksClient.builder());
             Ec2Client ec2 = clients.build(Ec2Client.builder())) {
            ClusterSnapshot snapshot = source.collect(cluster, r, Optional.ofNullable(kubeContext), collectionPlan()).snapshot();
            var err = spec.commandLine().getErr();
            snapshot.problems().forEach(p -> err.println("ekscm: warning: " + p.where() + ": " + p.reason()));
            KubernetesClient kubernetes = null;
            try {
                ClusterObjects objects;
                if (snapshot.has(Input.K8S_WORKLOADS)) {
                    kubernetes = source.kubernetesClient(cluster, r, Optional.ofNullable(kubeContext));
                    objects = new Fabric8ClusterObjects(kubernetes);
                } else {
                    objects = ClusterObjects.unavailable("its workloads could not be read");
                }
                // Plans only: the log stays in memory and nothing is applied.
                var remediator = new Remediator(new EksClusterTagsReader(eks), objects, new Ec2InstanceMetadataSettings(ec2),
                        new InMemoryRemediationLog(), clock, true);
                return remediator.plan(snapshot, RemediationPlanner.targetResults(snapshot, config), config);
            } finally {
                if (kubernetes != null) {
                    kubernetes.close();
                }
            }
        }
    }

    /** What the remediations' checks need, what a recheck of them reads, and the cluster (tags, account). */
    private static CollectionPlan collectionPlan() {
        var catalog = CheckCatalog.builtIn();
        var inputs = EnumSet.of(Input.EKS_CLUSTER);
        for (RemediationId id : RemediationId.values()) {
            inputs.addAll(id.verifyInputs());
            catalog.byId(id.checkId()).ifPresent(c -> inputs.addAll(CollectionPlan.forChecks(List.of(c)).requested()));
        }
        return new CollectionPlan(inputs);
    }
}
