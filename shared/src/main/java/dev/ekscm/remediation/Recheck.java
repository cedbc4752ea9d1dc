package dev.ekscm.remediation;

import dev.ekscm.checks.Check;
import dev.ekscm.checks.CheckConfig;
import dev.ekscm.checks.Evaluator;
import dev.ekscm.model.CheckResult;
import dev.ekscm.model.ClusterSnapshot;
import dev.ekscm.model.Input;
import dev.ekscm.model.Scope;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Re-runs checks after remediation applied something, over freshly collected data, so each
 * record says whether its findings are now fixed. The engine supplies the collection (it owns
 * the snapshot sources and their API-call accounting).
 */
@FunctionalInterface
public interface Recheck {
    /**
     * @param checkIds the checks to run again
     * @param inputs   what to collect for them (required and the optional inputs they consult)
     * @return their results over the new data
     */
    List<CheckResult> run(Set<String> checkIds, Set<Input> inputs);

    /** No recheck: applied records stay NOT_VERIFIED. */
    static Recheck none() {
        return (ids, inputs) -> List.of();
    }

    /**
     * Collects with {@code collect} (e.g. {@code snapshotSource::collect}) the inputs asked for
     * plus the ones the checks require, and evaluates those of {@code checks} that were asked for.
     */
    public static Recheck collecting(Function<Set<Input>, ClusterSnapshot> collect, Collection<Check> checks,
                              CheckConfig config) {
        return (ids, inputs) -> {
            List<Check> selected = checks.stream().filter(c -> ids.contains(c.id())).toList();
            if (selected.isEmpty()) {
                return List.of();
            }
            var needed = inputs.isEmpty() ? EnumSet.noneOf(Input.class) : EnumSet.copyOf(inputs);
            selected.forEach(c -> needed.addAll(c.metadata().requires()));
            ClusterSnapshot fresh = collect.apply(needed);
            return new Evaluator(selected, config).evaluate(fresh, Scope.all()).results();
        };
    }
}
