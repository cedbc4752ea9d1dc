package dev.ekscm.checks;

import dev.ekscm.model.ResourceRef;

import java.util.List;

/**
 * A configured exemption: checks (or {@code *}) that do not apply to resources matching kind,
 * namespace and name (each a glob with {@code *}), with the reason shown on the EXEMPT result.
 * The default list of well-known cluster components is data: {@code default-exemptions.yaml}.
 */
public record ExemptionRule(List<String> checks, String kind, String namespace, String name, String reason) {
    public ExemptionRule {
        checks = List.copyOf(checks);
        kind = kind == null ? "*" : kind;
        namespace = namespace == null ? "*" : namespace;
        name = name == null ? "*" : name;
        reason = reason == null ? "" : reason;
    }

    public boolean matches(String checkId, ResourceRef resource) {
        return (checks.contains("*") || checks.contains(checkId))
                && glob(kind, resource.kind()) && glob(namespace, resource.namespace()) && glob(name, resource.name());
    }

    /** Glob match where {@code *} stands for any run of characters (no regex: this runs per result). */
    static boolean glob(String pattern, String value) {
        if ("*".equals(pattern)) {
            return true;
        }
        int star = pattern.indexOf('*');
        if (star < 0) {
            return pattern.equals(value);
        }
        String[] parts = pattern.split("\\*", -1);
        if (!value.startsWith(parts[0])) {
            return false;
        }
        int at = parts[0].length();
        for (int i = 1; i < parts.length - 1; i++) {
            int found = value.indexOf(parts[i], at);
            if (found < 0) {
                return false;
            }
            at = found + parts[i].length();
        }
        String last = parts[parts.length - 1];
        return value.length() - at >= last.length() && value.endsWith(last);
    }
}
