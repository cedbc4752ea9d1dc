package dev.ekscm.findings;

import dev.ekscm.model.Severity;

import java.util.EnumMap;
import java.util.Map;

/**
 * The numbers of one run, stored on its run item.
 *
 * @param checksRun           checks that ran (PASS or FAIL)
 * @param checksNotApplicable checks whose inputs were absent: their findings were left alone
 * @param checksStale         checks skipped because a run that started later had already recorded them
 * @param refreshed           still-open findings rewritten because their severity or message changed (no alert)
 * @param openBySeverity      OPEN findings of the cluster after this run
 */
public record RunCounts(int checksRun, int checksNotApplicable, int checksStale, int results, int passed, int failed,
                        int exempt, Map<TransitionType, Integer> transitions, int refreshed,
                        Map<Severity, Integer> openBySeverity, int exemptFindings) {
    public RunCounts {
        transitions = complete(transitions, TransitionType.class, TransitionType.values());
        openBySeverity = complete(openBySeverity, Severity.class, Severity.values());
    }

    public int transitionCount() {
        return transitions.values().stream().mapToInt(Integer::intValue).sum();
    }

    public int open() {
        return openBySeverity.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static <E extends Enum<E>> Map<E, Integer> complete(Map<E, Integer> in, Class<E> type, E[] values) {
        var out = new EnumMap<E, Integer>(type);
        for (E e : values) {
            out.put(e, in.getOrDefault(e, 0));
        }
        return Map.copyOf(out);
    }
}
