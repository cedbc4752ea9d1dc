package dev.ekscm.remediation;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What marks an object as the monitor's, and the conversions remediation needs: every object it
 * creates carries {@code app.kubernetes.io/managed-by: ekscm} (undo removes only those) and the
 * findings it fixes in {@code ekscm.dev/finding}.
 */
public final class ManagedObjects {
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "ekscm";
    public static final String FINDING_ANNOTATION = "ekscm.dev/finding";
    public static final String FIELD_MANAGER = "ekscm";
    /** Annotations are limited to 256 KiB per object; a cluster-wide policy may fix thousands of findings. */
    static final int MAX_ANNOTATED_KEYS = 25;

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .build();

    private ManagedObjects() {
    }

    public static boolean isManaged(HasMetadata object) {
        var labels = object.getMetadata() == null ? null : object.getMetadata().getLabels();
        return labels != null && MANAGED_BY.equals(labels.get(MANAGED_BY_LABEL));
    }

    /** The finding keys for the annotation: all of them, or the first few and how many more. */
    public static String findingAnnotation(List<String> findingKeys) {
        if (findingKeys.size() <= MAX_ANNOTATED_KEYS) {
            return String.join(",", findingKeys);
        }
        return String.join(",", findingKeys.subList(0, MAX_ANNOTATED_KEYS)) + ",… (+"
                + (findingKeys.size() - MAX_ANNOTATED_KEYS) + " more; the remediation record lists all)";
    }

    /** A typed fabric8 object as a generic one (the form plans and the cluster port use). */
    public static GenericKubernetesResource toGeneric(HasMetadata object) {
        if (object instanceof GenericKubernetesResource g) {
            return g;
        }
        return Serialization.unmarshal(Serialization.asJson(object), GenericKubernetesResource.class);
    }

    public static <T> T convert(HasMetadata object, Class<T> type) {
        return Serialization.unmarshal(Serialization.asJson(object), type);
    }

    public static JsonNode tree(Object object) {
        return JSON.readTree(Serialization.asJson(object));
    }

    /** The object as YAML without server-side bookkeeping (status, managedFields, uid, resourceVersion…). */
    public static String toYaml(HasMetadata object) {
        JsonNode node = tree(object);
        if (node.path("metadata").isObject()) {
            var meta = (tools.jackson.databind.node.ObjectNode) node.get("metadata");
            for (String f : List.of("managedFields", "uid", "resourceVersion", "generation", "creationTimestamp",
                    "selfLink")) {
                meta.remove(f);
            }
        }
        if (node.isObject()) {
            ((tools.jackson.databind.node.ObjectNode) node).remove("status");
        }
        return YAML.writeValueAsString(node);
    }

    public static String yamlOf(JsonNode node) {
        return YAML.writeValueAsString(node);
    }

    /**
     * True when the live object already says everything the desired one says: its spec contains
     * the desired spec (servers add defaults, so containment, not equality) and it carries our
     * label. Finding annotations are informational and do not count.
     */
    public static boolean alreadyApplied(HasMetadata live, HasMetadata desired) {
        if (!isManaged(live)) {
            return false;
        }
        return contains(tree(live).path("spec"), tree(desired).path("spec"));
    }

    /** Every field of {@code wanted} is in {@code actual} with an equal value; lists element-wise, same length. */
    static boolean contains(JsonNode actual, JsonNode wanted) {
        if (wanted == null || wanted.isMissingNode() || wanted.isNull()) {
            return true;
        }
        if (wanted.isObject()) {
            if (!actual.isObject()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> e : wanted.properties()) {
                if (!contains(actual.path(e.getKey()), e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (wanted.isArray()) {
            if (!actual.isArray() || actual.size() != wanted.size()) {
                return false;
            }
            Iterator<JsonNode> a = actual.values().iterator();
            for (JsonNode w : wanted.values()) {
                if (!contains(a.next(), w)) {
                    return false;
                }
            }
            return true;
        }
        if (wanted.isNumber() && actual.isNumber()) {
            return wanted.decimalValue().compareTo(actual.decimalValue()) == 0;
        }
        return Objects.equals(actual, wanted);
    }
}
