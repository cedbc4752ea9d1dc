package dev.ekscm.engine;

import dev.ekscm.alerts.AlertDispatcher;
import dev.ekscm.alerts.AlertingConfig;
import dev.ekscm.alerts.Notifier;
import dev.ekscm.checks.CheckCatalog;
import dev.ekscm.checks.CheckConfig;
import dev.ekscm.findings.DynamoDbFindingStore;
import dev.ekscm.findings.FindingsLedger;
import dev.ekscm.findings.FindingsTableSchema;
import dev.ekscm.remediation.DynamoDbRemediationLog;
import dev.ekscm.remediation.RemediationPolicy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the {@link RecheckService} the cluster-check function runs, from the environment
 * (FINDINGS_TABLE, ALERTS_TOPIC_ARN, SLACK_WEBHOOK_SECRET_ARN, ALERT_MIN_SEVERITY,
 * MEMBER_ROLE_NAME, REMEDIATION_ENABLED). Called once per Lambda instance, at init.
 */
public final class RecheckServices {
    /**
     * The IAM actions the wired service calls (collection, findings, alerts, remediation), held
     * against the cluster-check role in template.yaml by a test. Keep in step with the adapters
     * the service wires.
     */
    public static final List<String> IAM_ACTIONS = List.of(
            // live collection (AWS side); the Kubernetes side is authorised by the access entry
            "eks:DescribeCluster", "eks:ListNodegroups", "eks:DescribeNodegroup", "eks:ListAccessEntries",
            "eks:DescribeAccessEntry", "eks:ListAssociatedAccessPolicies", "eks:ListTagsForResource",
            "ec2:DescribeInstances", "ec2:DescribeSubnets", "ec2:DescribeRouteTables", "ec2:DescribeNatGateways",
            "ec2:DescribeSecurityGroups", "ec2:DescribeLaunchTemplateVersions",
            "ecr:DescribeRepositories", "ecr:GetRegistryScanningConfiguration",
            // member accounts
            "sts:AssumeRole",
            // findings
            "dynamodb:Query", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
            "dynamodb:BatchWriteItem",
            // alerts
            "sns:Publish", "secretsmanager:GetSecretValue",
            // publishing to the KMS-encrypted alerts topic
            "kms:GenerateDataKey", "kms:Decrypt",
            // remediation (granted only when RemediationEnabled)
            "ec2:ModifyInstanceMetadataOptions");

    private RecheckServices() {
    }

    /** The service for this Lambda instance, from its environment. */
    public static RecheckService fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * Wires live collection (default credentials, the cluster's region), the findings table
     * (FINDINGS_TABLE, required), alerts (ALERTS_TOPIC_ARN and/or SLACK_WEBHOOK_SECRET_ARN; below
     * ALERT_MIN_SEVERITY transitions are recorded but not sent) and the check policy. Clients are
     * built here, at init; credentials are resolved by the SDK at the first call, never captured.
     */
    public static RecheckService fromEnvironment(Map<String, String> env) {
        String table = env.get(FindingsTableSchema.TABLE_ENV);
        if (table == null || table.isBlank()) {
            throw new IllegalStateException("FINDINGS_TABLE is not set: the cluster-check function records findings in it");
        }
        var clients = new AwsClients(Optional.empty());
        DynamoDbClient dynamo = clients.build(DynamoDbClient.builder());
        var store = new DynamoDbFindingStore(dynamo, table);
        Clock clock = Clock.systemUTC();
        var ledger = FindingsLedger.builder(store).withEnvironment(env).withClock(clock).build();
        List<Notifier> notifiers = AlertingConfig.fromEnvironment(env)
                .notifiers(() -> clients.build(SnsClient.builder()), () -> clients.build(SecretsManagerClient.builder()));
        var catalog = CheckCatalog.builtIn().all();
        var run = ClusterCheckRun.daily(catalog, CheckConfig::defaults, clock)
                .withFindings(ledger)
                .withAlerts(AlertDispatcher.builder(store).withClock(clock).build(), notifiers);
        boolean remediationOn = RemediationPolicy.switchFromEnvironment(env.get("REMEDIATION_ENABLED"));
        Optional<MonitorRecheckService.RemediationStep> remediation = Optional.empty();
        if (remediationOn) {
            var log = new DynamoDbRemediationLog(dynamo, table);
            remediation = Optional.of(new MonitorRemediation(log, notifiers, run, clock, true, log::summarizeOnFindings));
        }
        return new MonitorRecheckService(LiveSources.fromEnvironment(env, clock), run, remediation);
    }
}
