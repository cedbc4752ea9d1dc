package dev.ekscm.engine;

import java.util.List;

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

    public static RecheckService fromEnvironment() {
        throw new IllegalStateException("the recheck engine is not wired yet: dev.ekscm.engine.RecheckServices"
                + ".fromEnvironment() must build the service from live collection, the finding store and the notifiers");
    }
}
