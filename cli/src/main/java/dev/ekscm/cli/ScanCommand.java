package dev.ekscm.cli;

import dev.ekscm.checks.CheckCatalog;
import dev.ekscm.checks.CheckConfig;
import dev.ekscm.cli.render.JsonReport;
import dev.ekscm.cli.render.SarifReport;
import dev.ekscm.cli.render.TableReport;
import dev.ekscm.alerts.AlertDispatcher;
import dev.ekscm.alerts.Notifier;
import dev.ekscm.alerts.SlackNotifier;
import dev.ekscm.alerts.SlackWebhookSecret;
import dev.ekscm.alerts.SnsNotifier;
import dev.ekscm.engine.AwsClients;
import dev.ekscm.engine.ClusterCheckRun;
import dev.ekscm.findings.DynamoDbFindingStore;
import dev.ekscm.findings.FindingsLedger;
import dev.ekscm.findings.FindingsTableSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;
import dev.ekscm.engine.FileSnapshotSource;
import dev.ekscm.engine.LiveClusterSource;
import dev.ekscm.engine.SnapshotSource;
import dev.ekscm.collect.LiveSnapshotSource;
import dev.ekscm.engine.RunReport;
import dev.ekscm.model.BadInputException;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Severity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code ekscm scan}: judge a cluster given as files. */
@Command(name = "scan", sortOptions = false,
        description = "Check a cluster (files, or a live EKS cluster) against the catalog and print the findings.",
        footer = {"", "Exit codes: 0 no open finding at or above --fail-on; 3 there is one; 2 bad input."})
final class ScanCommand implements Callable<Integer> {
    enum Format { table, json, sarif }

    @Spec
    CommandSpec spec;

    @Option(names = "--manifests", arity = "1..*", paramLabel = "PATH",
            description = "Kubernetes YAML/JSON files or folders (read recursively); multi-document and kind: List are fine.")
    List<Path> manifests = new ArrayList<>();

    @Option(names = "--aws", paramLabel = "DIR", description = "A folder of AWS CLI JSON outputs (describe-cluster, describe-nodegroup, …).")
    Path aws;

    @Option(names = "--cluster", paramLabel = "NAME",
            description = "Scan a live EKS cluster: AWS through the SDK (default credentials), the Kubernetes API through an EKS token.")
    String cluster;

    @Option(names = "--kube-context", paramLabel = "CTX",
            description = "Reach the Kubernetes API through this kubeconfig context (with --cluster: e.g. a tunnel to a private endpoint; alone: any cluster, Kubernetes checks only).")
    String kubeContext;

    @Option(names = "--format", defaultValue = "table", description = "table, json or sarif (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--fail-on", paramLabel = "SEVERITY",
            description = "Exit 3 when a finding at or above this severity is open: LOW, MEDIUM, HIGH, CRITICAL or none (default: ${DEFAULT-VALUE}).",
            defaultValue = "none")
    String failOn;

    @Option(names = "--checks", split = ",", paramLabel = "ID", description = "Run only these checks (see `ekscm checks`).")
    List<String> checkIds = new ArrayList<>();

    @Mixin
    PolicyOptions policy = new PolicyOptions();

    @Option(names = "--allowed-registries", split = ",", paramLabel = "REGISTRY",
            description = "Image registries workloads may use (default: any).")
    List<String> allowedRegistries = new ArrayList<>();

    @Option(names = "--admin-principals", split = ",", paramLabel = "ARN",
            description = "Principal ARNs (globs with *) allowed cluster-admin access entries.")
    List<String> adminPrincipals = new ArrayList<>();

    @Option(names = "--no-color", description = "No colours in the table, even on a terminal.")
    boolean noColor;

    @Option(names = "--state-table", paramLabel = "TABLE",
            description = "Record findings in this DynamoDB table (the one the SAM template creates) and show what changed: NEW, REGRESSED, RESOLVED, EXEMPTED.")
    String stateTable;

    @Option(names = "--create-table", description = "Create the --state-table when it does not exist (for a local emulator or a trial account).")
    boolean createTable;

    @Option(names = "--notify", description = "Send this run's alerts (and any left pending) to --sns-topic and/or --slack-secret; needs --state-table.")
    boolean notify;

    @Option(names = "--sns-topic", paramLabel = "ARN", description = "SNS topic for --notify.")
    String snsTopic;

    @Option(names = "--slack-secret", paramLabel = "ARN", description = "Secrets Manager secret holding the Slack incoming-webhook URL, for --notify.")
    String slackSecret;

    @Option(names = "--region", paramLabel = "REGION", description = "AWS region of the cluster and of the state table, topic and secret (default: the SDK's region chain).")
    String region;

    @Option(names = "--alert-min-severity", paramLabel = "SEVERITY", defaultValue = "LOW",
            description = "Only transitions at or above this severity alert (default: ${DEFAULT-VALUE}).")
    String alertMinSeverity;

    private final Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        Optional<Severity> threshold = "none".equalsIgnoreCase(failOn) ? Optional.empty() : Optional.of(Severity.parse(failOn));
        boolean live = cluster != null || kubeContext != null;
        if (live && (!manifests.isEmpty() || aws != null)) {
            throw new BadInputException("scan either files (--manifests/--aws) or a live cluster (--cluster/--kube-context), not both");
        }
        if (!live && manifests.isEmpty() && aws == null) {
            throw new BadInputException("nothing to scan: give --manifests PATH… and/or --aws DIR, or --cluster NAME");
        }
        var catalog = CheckCatalog.builtIn();
        var checks = checkIds.isEmpty() ? catalog.all() : catalog.select(checkIds);
        var run = withState(new ClusterCheckRun(checks, config(), clock));
        RunReport report;
        if (live) {
            try (var source = new LiveSnapshotSource()) {
                SnapshotSource target = cluster != null
                        ? LiveClusterSource.eks(source, cluster, region != null ? region : LiveSnapshotSource.defaultRegion(),
                        Optional.ofNullable(kubeContext))
                        : LiveClusterSource.kubeContext(source, kubeContext);
                report = run.run(target, Scope.all(), "cli");
            }
        } else {
            report = run.run(new FileSnapshotSource(manifests, Optional.ofNullable(aws)), Scope.all(), "cli");
        }
        report.snapshot().problems().forEach(p -> spec.commandLine().getErr().println("ekscm: warning: " + p.where() + ": " + p.reason()));

        var out = spec.commandLine().getOut();
        switch (format) {
            case json -> out.println(JsonReport.render(report));
            case sarif -> out.println(SarifReport.render(report));
            case table -> out.print(TableReport.render(report, useColour()));
        }
        out.flush();
        return threshold.filter(report.evaluation()::hasOpenAtLeast).isPresent() ? Main.EXIT_FINDINGS : 0;
    }

    /** Adds recording and alerting when --state-table / --notify ask for it. */
    private ClusterCheckRun withState(ClusterCheckRun run) {
        if (notify && stateTable == null) {
            throw new BadInputException("--notify needs --state-table: alerts are sent for recorded transitions only");
        }
        if (notify && snsTopic == null && slackSecret == null) {
            throw new BadInputException("--notify needs --sns-topic ARN and/or --slack-secret ARN");
        }
        if (stateTable == null) {
            return run;
        }
        var clients = new AwsClients(Optional.ofNullable(region));
        DynamoDbClient dynamo = clients.build(DynamoDbClient.builder());
        if (createTable) {
            FindingsTableSchema.createIfAbsent(dynamo, stateTable);
        }
        var store = new DynamoDbFindingStore(dynamo, stateTable);
        run = run.withFindings(FindingsLedger.builder(store).withClock(clock)
                .withMinAlertSeverity(Severity.parse(alertMinSeverity)).build());
        if (notify) {
            var notifiers = new ArrayList<Notifier>();
            if (snsTopic != null) {
                notifiers.add(new SnsNotifier(clients.build(SnsClient.builder()), snsTopic));
            }
            if (slackSecret != null) {
                notifiers.add(new SlackNotifier(new SlackWebhookSecret(clients.build(SecretsManagerClient.builder()), slackSecret)));
            }
            run = run.withAlerts(AlertDispatcher.builder(store).withClock(clock).build(), notifiers);
        }
        return run;
    }

    private CheckConfig config() {
        return policy.applyTo(CheckConfig.defaults(LocalDate.now(clock))
                .withAllowedRegistries(allowedRegistries)
                .withAllowedAdminPrincipals(adminPrincipals));
    }

    private boolean useColour() {
        return !noColor && System.console() != null && System.getenv("NO_COLOR") == null
                && !"dumb".equals(System.getenv("TERM"));
    }
}
