package dev.ekscm.collect;

import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * fabric8's mock API server in CRUD mode over HTTPS, with what the real API server does and the
 * CRUD mode does not: list pagination ({@code limit} / {@code continue}), and faults the tests
 * switch on (403 on a path, 401 everywhere). Every request is recorded with its Authorization
 * header.
 */
final class MockKubernetesApi implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The mock server logs every request through java.util.logging; keep only warnings. */
    private static final java.util.logging.Logger QUIET = quiet();

    private static java.util.logging.Logger quiet() {
        var logger = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    /** What the seeding client (the mock server's own) sends: not recorded, never faulted. */
    static final String ADMIN_AUTHORIZATION = "Bearer secret";

    final KubernetesMockServer server;
    /** Requests as {@code METHOD path?query}, in order. */
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    final Set<String> forbiddenPaths = ConcurrentHashMap.newKeySet();
    volatile boolean unauthorized;
    /** Large lists served straight from memory by list path (seeding thousands of objects one POST at a time is slow). */
    final Map<String, List<JsonNode>> bulk = new ConcurrentHashMap<>();
    private final NamespacedKubernetesClient admin;

    MockKubernetesApi() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        var crud = new KubernetesMixedDispatcher(responses);
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, new Paging(crud), true);
        server.init();
        admin = server.createClient();
    }

    /** A client with full access and no authentication, for seeding. */
    NamespacedKubernetesClient admin() {
        return admin;
    }

    String url() {
        return server.url("/").replaceAll("/$", "");
    }

    /** The server's self-signed certificate, base64 of its PEM, as DescribeCluster gives a CA. */
    String caData() {
        try {
            String pem = Files.readString(Path.of(server.getSelfSignedCertificate().certificatePath()));
            return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** List requests (GET with a limit) by path, without query. */
    long listCalls(String path) {
        synchronized (requests) {
            return requests.stream().filter(r -> r.startsWith("GET " + path + "?") && r.contains("limit=")).count();
        }
    }

    /** Serves the objects at a list path (e.g. {@code /api/v1/pods}) instead of the CRUD store. */
    void bulk(String listPath, List<? extends io.fabric8.kubernetes.api.model.HasMetadata> objects) {
        var serialization = new io.fabric8.kubernetes.client.utils.KubernetesSerialization();
        var nodes = new ArrayList<JsonNode>();
        for (var o : objects) {
            nodes.add(JSON.readTree(serialization.asJson(o)));
        }
        bulk.put(listPath, nodes);
    }

    void clearRecords() {
        requests.clear();
        authorizations.clear();
    }

    @Override
    public void close() {
        admin.close();
        server.destroy();
    }

    /** Wraps the CRUD dispatcher: faults first, then paginates list responses. */
    private final class Paging extends Dispatcher {
        private final Dispatcher crud;

        Paging(Dispatcher crud) {
            this.crud = crud;
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String path = request.getPath();
            String auth = request.getHeader("Authorization");
            boolean seeding = auth == null || auth.equals(ADMIN_AUTHORIZATION);
            if (!seeding) {
                requests.add(request.getMethod() + " " + path);
                authorizations.add(auth);
            }
            String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
            if (!seeding && unauthorized) {
                return status(401, "Unauthorized", "Unauthorized");
            }
            if (!seeding && forbiddenPaths.stream().anyMatch(bare::equals)) {
                return status(403, "Forbidden", "forbidden: User \"arn:aws:sts::123456789012:assumed-role/ekscm\" cannot list resource at " + bare);
            }
            Map<String, String> query = query(path);
            if (!"GET".equals(request.getMethod()) || !query.containsKey("limit")) {
                return crud.dispatch(request);
            }
            String rest = query.entrySet().stream().filter(e -> !e.getKey().equals("limit") && !e.getKey().equals("continue"))
                    .map(e -> e.getKey() + "=" + e.getValue()).reduce((a, b) -> a + "&" + b).map(q -> "?" + q).orElse("");
            JsonNode list;
            MockResponse full = null;
            if (bulk.containsKey(bare)) {
                list = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "List");
                ((ObjectNode) list).putObject("metadata");
                ((ObjectNode) list).putArray("items").addAll(bulk.get(bare));
            } else {
                full = crud.dispatch(new RecordedRequest(request.getHttpVersion(), request.method(), bare + rest,
                        request.getHeaders(), request.getBody()));
                if (full.code() != 200) {
                    return full;
                }
                list = JSON.readTree(full.getBody().readUtf8());
            }
            if (!(list instanceof ObjectNode obj) || !(list.get("items") instanceof ArrayNode items)) {
                return full;
            }
            int limit = Integer.parseInt(query.get("limit"));
            int from = query.containsKey("continue") ? Integer.parseInt(query.get("continue")) : 0;
            ArrayNode page = JSON.createArrayNode();
            for (int i = from; i < Math.min(items.size(), from + limit); i++) {
                page.add(items.get(i));
            }
            obj.set("items", page);
            ObjectNode meta = obj.has("metadata") && obj.get("metadata").isObject() ? (ObjectNode) obj.get("metadata")
                    : obj.putObject("metadata");
            if (from + limit < items.size()) {
                meta.put("continue", String.valueOf(from + limit));
                meta.put("remainingItemCount", items.size() - from - limit);
            } else {
                meta.remove("continue");
            }
            return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                    .setBody(JSON.writeValueAsString(obj));
        }

        private MockResponse status(int code, String reason, String message) {
            String body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
                    + JSON.writeValueAsString(message) + ",\"reason\":\"" + reason + "\",\"code\":" + code + "}";
            return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
        }
    }

    static Map<String, String> query(String path) {
        var map = new LinkedHashMap<String, String>();
        int q = path.indexOf('?');
        if (q < 0) {
            return map;
        }
        for (String pair : path.substring(q + 1).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            map.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return map;
    }
}
