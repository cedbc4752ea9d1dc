package dev.ekscm.routing;

import dev.ekscm.model.Scope;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The event routing table ({@code dev/ekscm/routing/routes.yaml}): which CloudTrail calls a
 * change can come from, where their cluster sits and which scopes they touch. Immutable, built
 * once per Lambda instance (at init, so SnapStart keeps it).
 */
public final class RoutingTable {
    public static final String RESOURCE = "/dev/ekscm/routing/routes.yaml";
    private static final Set<String> ROW_KEYS = Set.of("source", "events", "scopes", "why", "locate", "required");

    private final Map<String, Route> byKey;

    private RoutingTable(List<Route> routes) {
        var map = new LinkedHashMap<String, Route>();
        for (Route r : routes) {
            if (map.put(r.key(), r) != null) {
                throw new IllegalStateException("routing table lists " + r.key() + " twice");
            }
        }
        this.byKey = Collections.unmodifiableMap(map);
    }

    /** The shipped table. */
    public static RoutingTable builtIn() {
        try (InputStream in = RoutingTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("routing table " + RESOURCE + " is missing from the class path");
            }
            return parse(in, RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    public static RoutingTable of(List<Route> routes) {
        return new RoutingTable(routes);
    }

    static RoutingTable parse(InputStream in, String where) {
        JsonNode root = YAMLMapper.builder().build().readTree(in);
        JsonNode rows = root.path("routes");
        if (!rows.isArray() || rows.isEmpty()) {
            throw new IllegalStateException(where + ": expected a non-empty list under `routes`");
        }
        var routes = new ArrayList<Route>();
        int i = 0;
        for (JsonNode row : rows) {
            String at = where + " routes[" + i++ + "]";
            for (String name : row.propertyNames()) {
                if (!ROW_KEYS.contains(name)) {
                    throw new IllegalStateException(at + ": unknown key `" + name + "` (known: " + new TreeSet<>(ROW_KEYS) + ")");
                }
            }
            String source = text(row, "source", at);
            Set<Scope> scopes = scopes(row.path("scopes"), at);
            boolean required = row.path("required").asBoolean(true);
            String why = row.path("why").asString("");
            var locators = new ArrayList<Locator>();
            for (JsonNode loc : row.path("locate")) {
                var pointers = new ArrayList<String>();
                loc.path("at").forEach(p -> pointers.add(p.asString()));
                locators.add(new Locator(pointers, Resolution.valueOf(text(loc, "resolve", at))));
            }
            JsonNode events = row.path("events");
            if (!events.isArray() || events.isEmpty()) {
                throw new IllegalStateException(at + ": `events` must list at least one eventName");
            }
            for (JsonNode ev : events) {
                routes.add(new Route(source, ev.asString(), locators, scopes, required, why));
            }
        }
        return new RoutingTable(routes);
    }

    private static Set<Scope> scopes(JsonNode node, String at) {
        var scopes = EnumSet.noneOf(Scope.class);
        for (JsonNode s : node) {
            if (s.asString().equals("ALL")) {
                scopes.addAll(Scope.all());
            } else {
                try {
                    scopes.add(Scope.valueOf(s.asString()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(at + ": unknown scope " + s.asString() + " (known: ALL, "
                            + EnumSet.allOf(Scope.class) + ")", e);
                }
            }
        }
        return scopes;
    }

    private static String text(JsonNode node, String field, String at) {
        JsonNode v = node.get(field);
        if (v == null || !v.isString() || v.asString().isBlank()) {
            throw new IllegalStateException(at + ": `" + field + "` is required");
        }
        return v.asString();
    }

    public Optional<Route> find(String eventSource, String eventName) {
        return Optional.ofNullable(byKey.get(eventSource + " " + eventName));
    }

    public List<Route> routes() {
        return List.copyOf(byKey.values());
    }

    /** The routed eventNames of one source, sorted (the EventBridge rules list exactly these). */
    public List<String> eventNames(String eventSource) {
        return byKey.values().stream().filter(r -> r.eventSource().equals(eventSource))
                .map(Route::eventName).sorted().toList();
    }
}
