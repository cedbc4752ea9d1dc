package dev.ekscm.collect;

import dev.ekscm.model.BadInputException;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A JSON object of an AWS CLI output with the file and JSON path it came from, so that a field
 * of the wrong type is reported as {@code file: cluster.resourcesVpcConfig.publicAccessCidrs must
 * be …}. An absent field and an explicit {@code null} both mean "not set" (AWS defaults apply).
 */
final class JsonFields {
    private final JsonNode node;
    private final String path;
    private final Path file;

    private JsonFields(JsonNode node, String path, Path file) {
        this.node = node;
        this.path = path;
        this.file = file;
    }

    /** The object at {@code path} (its JSON path, for messages); fails when it is not an object. */
    static JsonFields of(JsonNode node, String path, Path file) {
        if (!node.isObject()) {
            throw new BadInputException(file + ": " + (path.isEmpty()
                    ? "the top level must be a JSON object (the output of one AWS CLI call), found "
                    : path + " must be an object, found ") + typeOf(node));
        }
        return new JsonFields(node, path, file);
    }

    String path() {
        return path;
    }

    Path file() {
        return file;
    }

    List<String> keys() {
        return List.copyOf(node.propertyNames());
    }

    boolean has(String name) {
        return value(name).isPresent();
    }

    Optional<String> optString(String name) {
        return value(name).map(v -> {
            if (!v.isString()) {
                throw wrongType(name, "a string", v);
            }
            return v.stringValue();
        });
    }

    String string(String name, String defaultValue) {
        return optString(name).orElse(defaultValue);
    }

    String requiredString(String name) {
        String s = optString(name).orElseThrow(() -> missing(name));
        if (s.isBlank()) {
            throw new BadInputException(file + ": " + at(name) + " must not be empty");
        }
        return s;
    }

    boolean bool(String name, boolean defaultValue) {
        return value(name).map(v -> {
            if (!v.isBoolean()) {
                throw wrongType(name, "true or false", v);
            }
            return v.booleanValue();
        }).orElse(defaultValue);
    }

    Optional<Integer> optInt(String name) {
        return value(name).map(v -> {
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw wrongType(name, "a whole number", v);
            }
            return v.intValue();
        });
    }

    long requiredLong(String name) {
        JsonNode v = value(name).orElseThrow(() -> missing(name));
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw wrongType(name, "a whole number", v);
        }
        return v.longValue();
    }

    /** A list of strings; absent means empty. */
    List<String> strings(String name) {
        return strings(name, List.of());
    }

    List<String> strings(String name, List<String> defaultValue) {
        Optional<JsonNode> v = value(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        JsonNode array = v.get();
        if (!array.isArray()) {
            throw wrongType(name, "a list of strings", array);
        }
        var out = new ArrayList<String>();
        int i = 0;
        for (JsonNode item : array) {
            if (!item.isString()) {
                throw new BadInputException(file + ": " + at(name) + "[" + i + "] must be a string, found "
                        + typeOf(item));
            }
            out.add(item.stringValue());
            i++;
        }
        return out;
    }

    Optional<JsonFields> object(String name) {
        return value(name).map(v -> {
            if (!v.isObject()) {
                throw wrongType(name, "an object", v);
            }
            return new JsonFields(v, at(name), file);
        });
    }

    /** A list of objects; absent means empty. */
    List<JsonFields> objects(String name) {
        Optional<JsonNode> v = value(name);
        if (v.isEmpty()) {
            return List.of();
        }
        return objectsOf(v.get(), at(name), file);
    }

    /** The node at the top of a file as a list of objects (path names it in messages). */
    static List<JsonFields> objectsOf(JsonNode array, String path, Path file) {
        if (!array.isArray()) {
            throw new BadInputException(file + ": " + path + " must be a list of objects, found " + typeOf(array));
        }
        var out = new ArrayList<JsonFields>();
        int i = 0;
        for (JsonNode item : array) {
            String itemPath = path + "[" + i++ + "]";
            if (!item.isObject()) {
                throw new BadInputException(file + ": " + itemPath + " must be an object, found " + typeOf(item));
            }
            out.add(new JsonFields(item, itemPath, file));
        }
        return out;
    }

    /** EC2 tags: {@code [{"Key": …, "Value": …}]}. */
    Map<String, String> ec2Tags(String name) {
        var tags = new LinkedHashMap<String, String>();
        for (JsonFields tag : objects(name)) {
            tags.put(tag.requiredString("Key"), tag.string("Value", ""));
        }
        return tags;
    }

    /** EKS and ECR tags: a JSON object of string values. */
    Map<String, String> tagMap(String name) {
        var tags = new LinkedHashMap<String, String>();
        object(name).ifPresent(o -> o.node.properties().forEach(e -> {
            if (!e.getValue().isString()) {
                throw new BadInputException(file + ": " + o.at(e.getKey()) + " must be a string, found "
                        + typeOf(e.getValue()));
            }
            tags.put(e.getKey(), e.getValue().stringValue());
        }));
        return tags;
    }

    BadInputException missing(String name) {
        return new BadInputException(file + ": " + at(name) + " is missing; it is required to judge the cluster "
                + "(is this the unmodified JSON output of the AWS CLI?)");
    }

    private BadInputException wrongType(String name, String expected, JsonNode found) {
        return new BadInputException(file + ": " + at(name) + " must be " + expected + ", found " + typeOf(found));
    }

    private Optional<JsonNode> value(String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() || v.isMissingNode() ? Optional.empty() : Optional.of(v);
    }

    private String at(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    static String typeOf(JsonNode node) {
        if (node.isString()) {
            return "a string (\"" + abbreviate(node.stringValue()) + "\")";
        }
        if (node.isNumber()) {
            return "a number (" + node.asString() + ")";
        }
        if (node.isBoolean()) {
            return "a boolean (" + node.asString() + ")";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isObject()) {
            return "an object";
        }
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }
}
