package dev.ekscm.functions;

import dev.ekscm.model.ClusterId;
import dev.ekscm.model.Scope;
import dev.ekscm.routing.Identifiers;
import dev.ekscm.routing.MalformedEventException;
import dev.ekscm.routing.RecheckRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.regex.Pattern;

/**
 * The recheck queue's message body, {@code ekscm.recheck/v1}:
 * {@code {"schema":"ekscm.recheck/v1","cluster":{"account","region","name"},"scopes":[…],
 * "trigger","eventId","time"}}. Parsing validates every field, so a message somebody else put on
 * the queue cannot inject a cluster name or an unknown scope.
 */
public final class RecheckMessages {
    public static final String SCHEMA = "ekscm.recheck/v1";
    /** Bodies are small; anything over this is not ours. */
    public static final int MAX_BODY_CHARS = 16 * 1024;
    private static final Pattern TRIGGER = Pattern.compile("[A-Za-z0-9:_.,+\\-]{1,200}");

    private final ObjectMapper mapper;

    public RecheckMessages(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public String toJson(RecheckRequest request) {
        ObjectNode root = mapper.createObjectNode();
        root.put("schema", SCHEMA);
        ObjectNode cluster = root.putObject("cluster");
        cluster.put("account", request.cluster().account());
        cluster.put("region", request.cluster().region());
        cluster.put("name", request.cluster().name());
        var scopes = root.putArray("scopes");
        EnumSet.copyOf(request.scopes()).forEach(s -> scopes.add(s.name()));
        root.put("trigger", request.trigger());
        root.put("eventId", request.eventId());
        root.put("time", request.time().toString());
        return mapper.writeValueAsString(root);
    }

    public RecheckRequest parse(String body) {
        if (body == null || body.isBlank()) {
            throw new MalformedEventException("body", "is empty");
        }
        if (body.length() > MAX_BODY_CHARS) {
            throw new MalformedEventException("body", body.length() + " characters is too long for a recheck request");
        }
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JacksonException e) {
            throw new MalformedEventException("body", "is not JSON: " + Identifiers.preview(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new MalformedEventException("body", "expected a JSON object (" + SCHEMA + ")");
        }
        String schema = text(root, "schema", null);
        if (!SCHEMA.equals(schema)) {
            throw new MalformedEventException("schema", "expected '" + SCHEMA + "', got '" + Identifiers.preview(schema) + "'");
        }
        JsonNode cluster = root.get("cluster");
        if (cluster == null || !cluster.isObject()) {
            throw new MalformedEventException("cluster", "expected an object with account, region and name");
        }
        var id = new ClusterId(text(cluster, "account", Identifiers.ACCOUNT), text(cluster, "region", Identifiers.REGION),
                text(cluster, "name", Identifiers.CLUSTER_NAME));
        JsonNode scopesNode = root.get("scopes");
        if (scopesNode == null || !scopesNode.isArray() || scopesNode.isEmpty()) {
            throw new MalformedEventException("scopes", "expected a non-empty list of scopes");
        }
        var scopes = EnumSet.noneOf(Scope.class);
        for (JsonNode s : scopesNode) {
            try {
                scopes.add(Scope.valueOf(s.isString() ? s.asString() : "?"));
            } catch (IllegalArgumentException e) {
                throw new MalformedEventException("scopes", "unknown scope " + Identifiers.preview(s.toString())
                        + " (known: " + EnumSet.allOf(Scope.class) + ")");
            }
        }
        String trigger = text(root, "trigger", TRIGGER);
        String eventId = text(root, "eventId", Identifiers.EVENT_ID);
        String timeText = text(root, "time", null);
        Instant time;
        try {
            time = Instant.parse(timeText);
        } catch (DateTimeParseException e) {
            throw new MalformedEventException("time", "'" + Identifiers.preview(timeText) + "' is not an ISO-8601 UTC time");
        }
        return new RecheckRequest(id, scopes, trigger, eventId, time);
    }

    private static String text(JsonNode node, String field, Pattern pattern) {
        JsonNode v = node.get(field);
        if (v == null || !v.isString()) {
            throw new MalformedEventException(field, v == null ? "is missing" : "expected a string, got "
                    + Identifiers.preview(v.toString()));
        }
        String s = v.asString();
        if (pattern != null && !pattern.matcher(s).matches()) {
            throw new MalformedEventException(field, "'" + Identifiers.preview(s) + "' does not match " + pattern.pattern());
        }
        return s;
    }
}
