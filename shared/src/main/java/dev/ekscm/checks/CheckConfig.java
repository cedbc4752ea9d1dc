package dev.ekscm.checks;

import dev.ekscm.model.Severity;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Policy for a run: what counts as a system namespace, extra excluded namespaces, exemption
 * rules, allowed registries and admin principals, severity overrides, the version table and the
 * day to judge support on (checks have no clock: the caller passes the day).
 */
public record CheckConfig(
        Set<String> systemNamespaces,
        Set<String> excludedNamespaces,
        List<ExemptionRule> exemptionRules,
        List<String> allowedRegistries,
        List<String> allowedAdminPrincipals,
        Map<String, Severity> severityOverrides,
        KubernetesVersionSupport versionSupport,
        LocalDate asOf) {

    public static final Set<String> DEFAULT_SYSTEM_NAMESPACES = Set.of("kube-system", "kube-public", "kube-node-lease");

    public CheckConfig {
        systemNamespaces = Set.copyOf(systemNamespaces);
        excludedNamespaces = Set.copyOf(excludedNamespaces);
        exemptionRules = List.copyOf(exemptionRules);
        allowedRegistries = List.copyOf(allowedRegistries);
        allowedAdminPrincipals = List.copyOf(allowedAdminPrincipals);
        severityOverrides = Map.copyOf(severityOverrides);
    }

    /** The shipped defaults: system namespaces, the default exemption list and version table. */
    public static CheckConfig defaults(LocalDate asOf) {
        return new CheckConfig(DEFAULT_SYSTEM_NAMESPACES, Set.of(), DefaultData.EXEMPTIONS, List.of(), List.of(),
                Map.of(), DefaultData.VERSIONS, asOf);
    }

    /** True for namespaces whose workloads and namespace settings are not judged. */
    public boolean isExcludedNamespace(String namespace) {
        return systemNamespaces.contains(namespace) || excludedNamespaces.contains(namespace);
    }

    public CheckConfig withExcludedNamespaces(Set<String> namespaces) {
        return new CheckConfig(systemNamespaces, namespaces, exemptionRules, allowedRegistries, allowedAdminPrincipals,
                severityOverrides, versionSupport, asOf);
    }

    public CheckConfig withExemptionRules(List<ExemptionRule> rules) {
        return new CheckConfig(systemNamespaces, excludedNamespaces, rules, allowedRegistries, allowedAdminPrincipals,
                severityOverrides, versionSupport, asOf);
    }

    public CheckConfig withAllowedRegistries(List<String> registries) {
        return new CheckConfig(systemNamespaces, excludedNamespaces, exemptionRules, registries, allowedAdminPrincipals,
                severityOverrides, versionSupport, asOf);
    }

    public CheckConfig withAllowedAdminPrincipals(List<String> principals) {
        return new CheckConfig(systemNamespaces, excludedNamespaces, exemptionRules, allowedRegistries, principals,
                severityOverrides, versionSupport, asOf);
    }

    public CheckConfig withSeverityOverrides(Map<String, Severity> overrides) {
        return new CheckConfig(systemNamespaces, excludedNamespaces, exemptionRules, allowedRegistries,
                allowedAdminPrincipals, overrides, versionSupport, asOf);
    }

    /** Reads an exemption list in the format of {@code default-exemptions.yaml}. */
    public static List<ExemptionRule> readExemptions(InputStream in, String where) {
        try {
            return YAML.readValue(in, new TypeReference<List<ExemptionRule>>() { });
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + ": not a valid exemption list: " + e.getMessage(), e);
        }
    }

    private static final ObjectMapper YAML = YAMLMapper.builder().build();

    /** Data shipped with the checks, read once. */
    static final class DefaultData {
        static final List<ExemptionRule> EXEMPTIONS = load("default-exemptions.yaml",
                in -> readExemptions(in, "default-exemptions.yaml"));
        static final KubernetesVersionSupport VERSIONS = load("kubernetes-versions.yaml",
                in -> YAML.readValue(in, KubernetesVersionSupport.class));

        private interface Reader<T> {
            T read(InputStream in) throws IOException;
        }

        private static <T> T load(String name, Reader<T> reader) {
            try (InputStream in = CheckConfig.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("missing bundled data dev/ekscm/checks/" + name);
                }
                return reader.read(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
