package dev.ekscm.collect;

import dev.ekscm.model.BadInputException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads Kubernetes manifests: YAML (multi-document) or JSON files, {@code kind: List} as
 * {@code kubectl get -o yaml} prints it, folders recursively. Unknown kinds and CRDs (Calico's
 * GlobalNetworkPolicy and Tier among them) are read as generic objects. A broken file is a
 * {@link BadInputException} naming the file, the document and the problem.
 */
public final class ManifestReader {
    private static final ObjectMapper YAML = YAMLMapper.builder().build();
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final KubernetesSerialization serialization;

    public ManifestReader() {
        this(new KubernetesSerialization());
    }

    public ManifestReader(KubernetesSerialization serialization) {
        this.serialization = serialization;
    }

    /** Reads every manifest under the given files and folders, in a stable order. */
    public List<HasMetadata> read(List<Path> paths) {
        var objects = new ArrayList<HasMetadata>();
        for (Path path : paths) {
            if (!Files.exists(path)) {
                throw new BadInputException(path + ": no such file or folder");
            }
            var files = manifestFiles(path);
            if (files.isEmpty()) {
                throw new BadInputException(path + ": no manifest files (*.yaml, *.yml, *.json) in this folder");
            }
            // Files parse independently: in parallel, results kept in file order.
            files.parallelStream().map(this::readFile).forEachOrdered(objects::addAll);
        }
        return objects;
    }

    static List<Path> manifestFiles(Path path) {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        try (Stream<Path> walk = Files.walk(path)) {
            return walk.filter(Files::isRegularFile).filter(ManifestReader::isManifestName).sorted().toList();
        } catch (IOException e) {
            throw new BadInputException(path + ": cannot read folder: " + e.getMessage(), e);
        }
    }

    static boolean isManifestName(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    public List<HasMetadata> readFile(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new BadInputException(file + ": cannot read: " + e.getMessage(), e);
        }
        return readText(text, file.toString());
    }

    /** Parses manifest text; {@code where} names the source in errors. */
    public List<HasMetadata> readText(String text, String where) {
        var objects = new ArrayList<HasMetadata>();
        boolean json = text.stripLeading().startsWith("{") || text.stripLeading().startsWith("[");
        int doc = 0;
        try (MappingIterator<JsonNode> docs = (json ? JSON : YAML).readerFor(JsonNode.class).readValues(text)) {
            while (docs.hasNextValue()) {
                doc++;
                JsonNode node = docs.nextValue();
                if (node == null || node.isNull() || node.isMissingNode() || (node.isObject() && node.isEmpty())) {
                    continue;
                }
                if (node.isArray()) {
                    int i = 0;
                    for (JsonNode item : node) {
                        objects.add(toObject(item, where, doc, "[" + i++ + "]"));
                    }
                } else {
                    addDocument(node, where, doc, objects);
                }
            }
        } catch (JacksonException e) {
            throw new BadInputException(where + ": document " + Math.max(doc, 1) + " is not valid "
                    + (json ? "JSON" : "YAML") + at(e.getLocation()) + ": " + e.getOriginalMessage(), e);
        }
        return objects;
    }

    private void addDocument(JsonNode node, String where, int doc, List<HasMetadata> out) {
        if (!node.isObject()) {
            throw new BadInputException(where + ": document " + doc + " is not a Kubernetes object (found "
                    + node.getNodeType().name().toLowerCase(Locale.ROOT) + ")");
        }
        JsonNode kind = node.get("kind");
        JsonNode items = node.get("items");
        if (kind != null && kind.isString() && kind.stringValue().endsWith("List") && items != null) {
            if (!items.isArray()) {
                throw new BadInputException(where + ": document " + doc + ": 'items' of " + kind.stringValue()
                        + " must be a list");
            }
            int i = 0;
            for (JsonNode item : items) {
                out.add(toObject(item, where, doc, "items[" + i++ + "]"));
            }
            return;
        }
        out.add(toObject(node, where, doc, ""));
    }

    private HasMetadata toObject(JsonNode node, String where, int doc, String path) {
        String at = where + ": document " + doc + (path.isEmpty() ? "" : " " + path);
        if (!node.isObject()) {
            throw new BadInputException(at + " is not a Kubernetes object");
        }
        for (String field : List.of("apiVersion", "kind")) {
            JsonNode v = node.get(field);
            if (v == null || !v.isString() || v.stringValue().isBlank()) {
                throw new BadInputException(at + ": missing '" + field + "' (every Kubernetes object needs apiVersion and kind)");
            }
        }
        JsonNode meta = node.get("metadata");
        if (meta == null || !meta.isObject() || meta.get("name") == null || !meta.get("name").isString()) {
            throw new BadInputException(at + " (" + node.get("kind").stringValue() + "): missing 'metadata.name'");
        }
        String label = at + " (" + node.get("kind").stringValue() + " " + meta.get("name").stringValue() + ")";
        String kind = node.get("kind").stringValue();
        String current = CURRENT_API.get(kind);
        if (current != null && !current.equals(node.get("apiVersion").stringValue())) {
            // A workload under a removed or wrong apiVersion (batch/v1beta1 CronJob, extensions/v1beta1
            // Deployment): judge it as the current version rather than skipping it silently.
            node = node.deepCopy();
            ((tools.jackson.databind.node.ObjectNode) node).put("apiVersion", current);
        }
        KubernetesResource resource;
        try {
            resource = serialization.convertValue(node, KubernetesResource.class);
        } catch (RuntimeException e) {
            throw new BadInputException(label + ": " + rootMessage(e), e);
        }
        if (!(resource instanceof HasMetadata hm)) {
            throw new BadInputException(label + ": not an object with metadata");
        }
        return hm;
    }

    /** The served apiVersion of each workload kind. */
    private static final java.util.Map<String, String> CURRENT_API = java.util.Map.of(
            "Pod", "v1", "ReplicationController", "v1", "Deployment", "apps/v1", "StatefulSet", "apps/v1",
            "DaemonSet", "apps/v1", "ReplicaSet", "apps/v1", "Job", "batch/v1", "CronJob", "batch/v1");

    private static String at(TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t instanceof JacksonException je ? je.getOriginalMessage() : t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
