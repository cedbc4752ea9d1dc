package dev.ekscm.checks;

import dev.ekscm.model.CheckResult;
import dev.ekscm.model.k8s.Workload;

import java.util.List;

/**
 * A check that judges each workload on its own, in the order of
 * {@link CheckContext#judgedWorkloads()} (system and excluded namespaces already left out).
 * Checks that need the whole set first (an index across workloads) implement {@link Check} directly.
 */
public abstract class WorkloadCheck implements Check {
    private final CheckMetadata metadata;

    protected WorkloadCheck(CheckMetadata metadata) {
        this.metadata = metadata;
    }

    @Override
    public final CheckMetadata metadata() {
        return metadata;
    }

    @Override
    public final List<CheckResult> evaluate(CheckContext context) {
        var verdicts = new Verdicts(metadata);
        for (Workload workload : context.judgedWorkloads()) {
            judge(workload, context, verdicts);
        }
        return verdicts.list();
    }

    /** Reports the workload's verdict: a PASS when it is fine, one or more FAILs (merged) when not. */
    protected abstract void judge(Workload workload, CheckContext context, Verdicts verdicts);
}
