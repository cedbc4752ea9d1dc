package dev.ekscm.checks.netpol;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Kubernetes label selector semantics (matchLabels and matchExpressions, ANDed). */
public final class LabelSelectors {
    private LabelSelectors() {
    }

    /**
     * True when the selector selects an object with these labels. A null or empty selector
     * selects everything (a NetworkPolicy's {@code podSelector: {}} selects every pod of its
     * namespace); an unknown operator selects nothing, as the API server would reject it.
     */
    public static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        var matchLabels = selector.getMatchLabels();
        if (matchLabels != null) {
            for (var e : matchLabels.entrySet()) {
                String value = labels.get(e.getKey());
                if (value == null || !value.equals(e.getValue())) {
                    return false;
                }
            }
        }
        var expressions = selector.getMatchExpressions();
        if (expressions != null) {
            for (LabelSelectorRequirement r : expressions) {
                if (!matches(r, labels)) {
                    return false;
                }
            }
        }
        return true;
    }

    static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
        String value = labels.get(r.getKey());
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        String op = r.getOperator() == null ? "" : r.getOperator();
        return switch (op) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> false;
        };
    }

    /** True for {@code {}} or a selector with neither matchLabels nor matchExpressions. */
    public static boolean isEmpty(LabelSelector selector) {
        return selector == null
                || (isNullOrEmpty(selector.getMatchLabels()) && isNullOrEmpty(selector.getMatchExpressions()));
    }

    /** A short text form for messages: {@code {}} or {@code app=web, tier in (a,b)}. */
    public static String describe(LabelSelector selector) {
        if (isEmpty(selector)) {
            return "{} (all pods)";
        }
        var parts = new java.util.ArrayList<String>();
        if (selector.getMatchLabels() != null) {
            selector.getMatchLabels().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> parts.add(e.getKey() + "=" + e.getValue()));
        }
        if (selector.getMatchExpressions() != null) {
            for (var r : selector.getMatchExpressions()) {
                String vals = r.getValues() == null || r.getValues().isEmpty() ? ""
                        : " (" + String.join(",", r.getValues()) + ")";
                parts.add(r.getKey() + " " + r.getOperator() + vals);
            }
        }
        return parts.stream().collect(Collectors.joining(", "));
    }

    private static boolean isNullOrEmpty(Map<?, ?> m) {
        return m == null || m.isEmpty();
    }

    private static boolean isNullOrEmpty(List<?> l) {
        return l == null || l.isEmpty();
    }
}
