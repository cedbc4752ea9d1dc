package dev.ekscm.checks.catalog;

import dev.ekscm.checks.CheckContext;
import dev.ekscm.checks.CheckMetadata;
import dev.ekscm.checks.ClusterConfigCheck;
import dev.ekscm.checks.Verdicts;
import dev.ekscm.model.Input;
import dev.ekscm.model.ResourceRef;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Severity;
import dev.ekscm.model.aws.EksCluster;

import java.util.Optional;

/** Kubernetes Secrets are envelope-encrypted with a customer KMS key. */
public final class SecretsEnvelopeEncryption extends ClusterConfigCheck {
    private static final CheckMetadata METADATA = CheckMetadata.builder("secrets-envelope-encryption")
            .withSeverity(Severity.MEDIUM)
            .withTitle("Kubernetes Secrets are envelope-encrypted with a KMS key you control")
            .withRationale("With a customer KMS key encrypting the data keys of Secrets in etcd, reading a Secret "
                    + "needs that key: its key policy decides who may decrypt, CloudTrail records every use, and "
                    + "disabling the key cuts off access. The default AWS-owned key gives you none of that.")
            .withRemediation("`aws eks associate-encryption-config --cluster-name CLUSTER --encryption-config "
                    + "'[{\"resources\":[\"secrets\"],\"provider\":{\"keyArn\":\"arn:aws:kms:REGION:ACCOUNT:key/ID\"}}]'` "
                    + "(cannot be undone; the cluster role needs kms:Encrypt/Decrypt/DescribeKey/CreateGrant on the key).")
            .withSources("EKS Best Practices: encryption at rest", "AWS Security Hub EKS.3")
            .withScope(Scope.CLUSTER_CONFIG)
            .withRequires(Input.EKS_CLUSTER)
            .build();

    public SecretsEnvelopeEncryption() {
        super(METADATA);
    }

    @Override
    protected void judge(EksCluster c, CheckContext context, Verdicts verdicts) {
        ResourceRef ref = ResourceRef.cluster(c.name());
        Optional<String> key = c.encryptionConfig().stream()
                .filter(e -> e.resources().contains("secrets"))
                .flatMap(e -> e.keyArn().stream())
                .findFirst();
        if (key.isPresent()) {
            verdicts.pass(ref, "Secrets of " + c.name() + " are envelope-encrypted with KMS key " + key.get());
        } else if (c.encryptionConfig().stream().anyMatch(e -> e.resources().contains("secrets"))) {
            verdicts.fail(ref, "the encryptionConfig of " + c.name() + " covers secrets but names no KMS key ARN");
        } else {
            verdicts.fail(ref, "Secrets of " + c.name() + " are not envelope-encrypted with a KMS key "
                    + "(no encryptionConfig covers \"secrets\")");
        }
    }
}
