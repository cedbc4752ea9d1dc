package dev.ekscm.checks;

import dev.ekscm.model.CheckResult;
import dev.ekscm.model.aws.EksCluster;

import java.util.List;

/**
 * A check that judges the EKS cluster's own configuration: one verdict on the cluster, none
 * when the snapshot holds no cluster (the {@link Evaluator} then reports NOT_APPLICABLE).
 */
public abstract class ClusterConfigCheck implements Check {
    private final CheckMetadata metadata;

    protected ClusterConfigCheck(CheckMetadata metadata) {
        this.metadata = metadata;
    }

    @Override
    public final CheckMetadata metadata() {
        return metadata;
    }

    @Override
    public final List<CheckResult> evaluate(CheckContext context) {
        var verdicts = new Verdicts(metadata);
        context.aws().cluster().ifPresent(cluster -> judge(cluster, context, verdicts));
        return verdicts.list();
    }

    /** Reports the cluster's verdict; {@code context} gives the policy (version table, day of the run). */
    protected abstract void judge(EksCluster cluster, CheckContext context, Verdicts verdicts);
}
