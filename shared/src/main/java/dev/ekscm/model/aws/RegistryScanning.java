package dev.ekscm.model.aws;

import java.util.List;

/**
 * Registry-level scanning ({@code ecr get-registry-scanning-configuration}): rules with a scan
 * frequency and repository filters (wildcards allowed).
 */
public record RegistryScanning(String scanType, List<Rule> rules) {
    public RegistryScanning {
        rules = List.copyOf(rules);
    }

    public record Rule(String scanFrequency, List<String> repositoryFilters) {
        public Rule {
            repositoryFilters = List.copyOf(repositoryFilters);
        }
    }

    /** True when some rule scans this repository (on push or continuously). */
    public boolean covers(String repositoryName) {
        // MANUAL rules scan only when someone asks: they do not count as scanning.
        return rules.stream().filter(rule -> !"MANUAL".equalsIgnoreCase(rule.scanFrequency()))
                .anyMatch(rule -> rule.repositoryFilters().stream()
                .anyMatch(filter -> matches(filter, repositoryName)));
    }

    private static boolean matches(String filter, String name) {
        String regex = java.util.regex.Pattern.quote(filter).replace("*", "\\E.*\\Q");
        return name.matches(regex);
    }
}
