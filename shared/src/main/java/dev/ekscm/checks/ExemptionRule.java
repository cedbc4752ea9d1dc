package dev.ekscm.checks;

import dev.ekscm.model.ResourceRef;

import java.util.List;
import java.util.regex.Pattern;

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

    static boolean glob(String pattern, String value) {
        if ("*".equals(pattern)) {
            return true;
        }
        String regex = ("\\Q" + pattern + "\\E").replace("*", "\\E.*\\Q");
        return Pattern.matches(regex, value);
    }
}
