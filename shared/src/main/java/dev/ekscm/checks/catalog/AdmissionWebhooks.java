package dev.ekscm.checks.catalog;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a validating webhook is, for admission-policy-enforced: whether its rules intercept the
 * creation of pods or workload controllers, and whether it is a known non-policy controller or a
 * known policy engine (the lists are data: {@code admission-webhooks.yaml}).
 */
final class AdmissionWebhooks {
    static final String DATA = "admission-webhooks.yaml";

    /** Resources whose CREATE starts pods, by API group. */
    static final Map<String, String> WORKLOAD_RESOURCES = Map.of(
            "pods", "",
            "replicationcontrollers", "",
            "deployments", "apps",
            "statefulsets", "apps",
            "daemonsets", "apps",
            "replicasets", "apps",
            "jobs", "batch",
            "cronjobs", "batch");

    /** A known webhook: glob names and what it is (the engine name or why it is no policy). */
    record Known(List<Pattern> names, String what) {
        boolean matches(String configurationName, String webhookName) {
            return names.stream().anyMatch(p -> p.matcher(configurationName).matches()
                    || p.matcher(webhookName).matches());
        }
    }

    private static final AdmissionWebhooks BUNDLED = load();

    private final List<Known> nonPolicy;
    private final List<Known> engines;

    AdmissionWebhooks(List<Known> nonPolicy, List<Known> engines) {
        this.nonPolicy = List.copyOf(nonPolicy);
        this.engines = List.copyOf(engines);
    }

    static AdmissionWebhooks bundled() {
        return BUNDLED;
    }

    /** Why this webhook is not a policy engine, when it is a known non-policy controller. */
    Optional<String> nonPolicyReason(String configurationName, String webhookName) {
        return nonPolicy.stream().filter(k -> k.matches(configurationName, webhookName)).map(Known::what).findFirst();
    }

    /** The policy engine this webhook belongs to, when it is a known one. */
    Optional<String> engine(String configurationName, String webhookName) {
        return engines.stream().filter(k -> k.matches(configurationName, webhookName)).map(Known::what).findFirst();
    }

    /** True when one of the webhook's rules intercepts CREATE of pods or a workload controller. */
    static boolean interceptsWorkloadCreation(ValidatingWebhook webhook) {
        return webhook.getRules() != null && webhook.getRules().stream().anyMatch(AdmissionWebhooks::intercepts);
    }

    /**
     * A rule intercepts workload creation when its operations include CREATE (or *), its scope
     * is not Cluster-only, and one of its resources is a workload resource (or {@code *},
     * {@code *}/{@code *}) in an API group it lists (or {@code *}). Subresources such as
     * {@code pods/exec} or {@code pods/*} are not the creation of a pod.
     */
    static boolean intercepts(RuleWithOperations rule) {
        List<String> operations = orEmpty(rule.getOperations());
        if (!operations.contains("CREATE") && !operations.contains("*")) {
            return false;
        }
        if ("Cluster".equals(rule.getScope())) {
            return false;
        }
        List<String> groups = orEmpty(rule.getApiGroups());
        for (String resource : orEmpty(rule.getResources())) {
            if (resource.equals("*") || resource.equals("*/*")) {
                if (groups.contains("*") || WORKLOAD_RESOURCES.values().stream().anyMatch(groups::contains)) {
                    return true;
                }
            } else {
                String group = WORKLOAD_RESOURCES.get(resource);
                if (group != null && (groups.contains("*") || groups.contains(group))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<String> orEmpty(List<String> values) {
        return values == null ? List.of() : values;
    }

    static AdmissionWebhooks read(InputStream in, String where) {
        JsonNode root;
        try {
            root = YAMLMapper.builder().build().readTree(in);
        } catch (RuntimeException e) {
            throw new IllegalStateException(where + ": not valid YAML: " + e.getMessage(), e);
        }
        var nonPolicy = new ArrayList<Known>();
        for (JsonNode entry : root.path("nonPolicy")) {
            nonPolicy.add(new Known(globs(entry, where), text(entry, "reason", where)));
        }
        var engines = new ArrayList<Known>();
        for (JsonNode entry : root.path("policyEngines")) {
            engines.add(new Known(globs(entry, where), text(entry, "engine", where)));
        }
        if (nonPolicy.isEmpty() || engines.isEmpty()) {
            throw new IllegalStateException(where + ": needs non-empty 'nonPolicy' and 'policyEngines' lists");
        }
        return new AdmissionWebhooks(nonPolicy, engines);
    }

    private static List<Pattern> globs(JsonNode entry, String where) {
        var names = new ArrayList<Pattern>();
        for (JsonNode n : entry.path("names")) {
            if (!n.isString() || n.stringValue().isBlank()) {
                throw new IllegalStateException(where + ": every entry of 'names' must be a non-empty string: " + entry);
            }
            names.add(Pattern.compile(("\\Q" + n.stringValue() + "\\E").replace("*", "\\E.*\\Q")));
        }
        if (names.isEmpty()) {
            throw new IllegalStateException(where + ": entry without 'names': " + entry);
        }
        return names;
    }

    private static String text(JsonNode entry, String field, String where) {
        JsonNode v = entry.path(field);
        if (!v.isString() || v.stringValue().isBlank()) {
            throw new IllegalStateException(where + ": entry without '" + field + "': " + entry);
        }
        return v.stringValue();
    }

    private static AdmissionWebhooks load() {
        try (InputStream in = AdmissionWebhooks.class.getResourceAsStream("/dev/ekscm/checks/" + DATA)) {
            if (in == null) {
                throw new IllegalStateException("missing bundled data dev/ekscm/checks/" + DATA);
            }
            return read(in, DATA);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
