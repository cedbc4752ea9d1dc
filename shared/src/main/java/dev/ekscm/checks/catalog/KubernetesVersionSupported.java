package dev.ekscm.checks.catalog;

import dev.ekscm.checks.CheckContext;
import dev.ekscm.checks.CheckMetadata;
import dev.ekscm.checks.ClusterConfigCheck;
import dev.ekscm.checks.KubernetesVersionSupport;
import dev.ekscm.checks.Verdicts;
import dev.ekscm.model.Input;
import dev.ekscm.model.ResourceRef;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Severity;
import dev.ekscm.model.aws.EksCluster;

import java.time.LocalDate;

/**
 * The cluster runs a Kubernetes version in EKS standard support on the day of the run, judged
 * from the dated table in {@code kubernetes-versions.yaml}. A version newer than the table
 * passes (the table lags new releases, not the other way round).
 */
public final class KubernetesVersionSupported extends ClusterConfigCheck {
    private static final CheckMetadata METADATA = CheckMetadata.builder("kubernetes-version-supported")
            .withSeverity(Severity.MEDIUM)
            .withTitle("The cluster runs a Kubernetes version in EKS standard support")
            .withRationale("Versions past standard support get no more security patches from the standard "
                    + "channel, cost extra per cluster-hour in extended support, and are upgraded by EKS on its own "
                    + "schedule when extended support ends.")
            .withRemediation("Upgrade one minor version at a time: `aws eks update-cluster-version --name CLUSTER "
                    + "--kubernetes-version 1.NN`, then the nodegroups (`aws eks update-nodegroup-version`) and "
                    + "add-ons; check deprecated APIs first (EKS upgrade insights).")
            .withSources("AWS Security Hub EKS.2", "Amazon EKS Kubernetes release calendar")
            .withScope(Scope.CLUSTER_CONFIG)
            .withRequires(Input.EKS_CLUSTER)
            .build();

    public KubernetesVersionSupported() {
        super(METADATA);
    }

    @Override
    protected void judge(EksCluster c, CheckContext context, Verdicts verdicts) {
        judge(c, context.config().versionSupport(), context.config().asOf(), verdicts);
    }

    static void judge(EksCluster c, KubernetesVersionSupport table, LocalDate asOf, Verdicts verdicts) {
        ResourceRef ref = ResourceRef.cluster(c.name());
        String version = c.version();
        int minor = KubernetesVersionSupport.minorOf(version);
        String oldest = table.oldestSupported(asOf).map(e -> e.version()).orElse("(none in the table)");
        String evidence = "version " + version + " on " + asOf + "; version table of " + table.tableDate()
                + "; oldest in standard support: " + oldest;
        if (minor < 0) {
            verdicts.fail(ref, METADATA.defaultSeverity(), "cannot tell the Kubernetes version of " + c.name()
                    + " ('" + version + "' is not of the form 1.NN)", evidence);
            return;
        }
        var entry = table.entry(version);
        if (entry.isPresent()) {
            LocalDate end = entry.get().endOfStandardSupport();
            if (end.isBefore(asOf)) {
                verdicts.fail(ref, METADATA.defaultSeverity(), c.name() + " runs Kubernetes " + version
                        + ", whose EKS standard support ended on " + end + "; the oldest version in standard support is "
                        + oldest, evidence);
            } else {
                verdicts.pass(ref, c.name() + " runs Kubernetes " + version + ", in EKS standard support until " + end,
                        evidence);
            }
            return;
        }
        // Not in the table: judge it against the oldest supported version (versions leave support in order).
        var oldestSupported = table.oldestSupported(asOf);
        boolean newerThanTable = table.versions().stream()
                .allMatch(e -> KubernetesVersionSupport.minorOf(e.version()) < minor);
        if (newerThanTable) {
            verdicts.pass(ref, c.name() + " runs Kubernetes " + version + ", newer than the support table (last "
                    + "updated " + table.tableDate() + ")", evidence);
        } else if (oldestSupported.isEmpty()
                || minor < KubernetesVersionSupport.minorOf(oldestSupported.get().version())) {
            verdicts.fail(ref, METADATA.defaultSeverity(), c.name() + " runs Kubernetes " + version
                    + ", older than the oldest version in EKS standard support (" + oldest + ")", evidence);
        } else {
            verdicts.pass(ref, c.name() + " runs Kubernetes " + version + ", not older than the oldest version in "
                    + "EKS standard support (" + oldest + ")", evidence);
        }
    }
}
