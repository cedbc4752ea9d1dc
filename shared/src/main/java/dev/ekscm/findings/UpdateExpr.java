package dev.ekscm.findings;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds an UpdateExpression and its condition with placeholders for every name and value (many of
 * our attribute names, like {@code status} and {@code message}, are DynamoDB reserved words).
 */
final class UpdateExpr {
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, String> placeholderOf = new HashMap<>();
    private final Map<String, AttributeValue> values = new HashMap<>();
    private final List<String> set = new ArrayList<>();
    private final List<String> remove = new ArrayList<>();
    private final List<String> add = new ArrayList<>();

    /** Placeholder of an attribute name. */
    String name(String attribute) {
        return placeholderOf.computeIfAbsent(attribute, a -> {
            String p = "#a" + names.size();
            names.put(p, a);
            return p;
        });
    }

    /** Placeholder of a value. */
    String value(AttributeValue value) {
        String p = ":v" + values.size();
        values.put(p, value);
        return p;
    }

    UpdateExpr set(String attribute, AttributeValue value) {
        set.add(name(attribute) + " = " + value(value));
        return this;
    }

    UpdateExpr setOrRemove(String attribute, Optional<AttributeValue> value) {
        return value.isPresent() ? set(attribute, value.get()) : remove(attribute);
    }

    UpdateExpr remove(String attribute) {
        remove.add(name(attribute));
        return this;
    }

    UpdateExpr add(String attribute, AttributeValue value) {
        add.add(name(attribute) + " " + value(value));
        return this;
    }

    String expression() {
        var parts = new ArrayList<String>();
        if (!set.isEmpty()) {
            parts.add("SET " + String.join(", ", set));
        }
        if (!remove.isEmpty()) {
            parts.add("REMOVE " + String.join(", ", remove));
        }
        if (!add.isEmpty()) {
            parts.add("ADD " + String.join(", ", add));
        }
        return String.join(" ", parts);
    }

    Map<String, String> names() {
        return Map.copyOf(names);
    }

    Map<String, AttributeValue> values() {
        return Map.copyOf(values);
    }
}
