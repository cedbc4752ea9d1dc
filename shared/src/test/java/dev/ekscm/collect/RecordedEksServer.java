package dev.ekscm.collect;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * EKS answers that moto cannot give, recorded in the shapes of the EKS API reference (REST JSON):
 * DescribeCluster with a real endpoint and CA (moto's CA is random text), and the access entry
 * calls moto lacks (ListAccessEntries, paginated; DescribeAccessEntry;
 * ListAssociatedAccessPolicies). Every other request is passed on to moto unchanged, so EC2, ECR
 * and the nodegroup calls still run against the emulator.
 */
final class RecordedEksServer implements AutoCloseable {
    private final HttpServer server;
    private final URI moto;
    private final HttpClient http = HttpClient.newHttpClient();
    /** Recorded bodies by {@code GET path} (path decoded; query "nextToken=..." appended when present). */
    final Map<String, String> recorded = new ConcurrentHashMap<>();
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");

    RecordedEksServer(URI moto) throws IOException {
        this.moto = moto;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Records DescribeCluster of a cluster. */
    void describeCluster(String name, String clusterJson) {
        recorded.put("GET /clusters/" + name, "{\"cluster\":" + clusterJson + "}");
    }

    /** Records access entries: ListAccessEntries in pages of one, DescribeAccessEntry, ListAssociatedAccessPolicies. */
    void accessEntries(String cluster, List<Entry> entries) {
        for (int i = 0; i < entries.size(); i++) {
            String key = "GET /clusters/" + cluster + "/access-entries" + (i == 0 ? "" : "?nextToken=page-" + i);
            String next = i + 1 < entries.size() ? ",\"nextToken\":\"page-" + (i + 1) + "\"" : "";
            recorded.put(key, "{\"accessEntries\":[\"" + entries.get(i).principalArn() + "\"]" + next + "}");
        }
        for (Entry e : entries) {
            String base = "GET /clusters/" + cluster + "/access-entries/" + e.principalArn();
            recorded.put(base, """
                    {"accessEntry":{"clusterName":"%s","principalArn":"%s","kubernetesGroups":%s,
                     "accessEntryArn":"arn:aws:eks:us-east-1:123456789012:access-entry/%s/role/123456789012/x/1a2b",
                     "createdAt":1.7E9,"modifiedAt":1.7E9,"tags":{},"username":"%s","type":"%s"}}"""
                    .formatted(cluster, e.principalArn(), e.groupsJson(), cluster, e.principalArn(), e.type()));
            recorded.put(base + "/access-policies", """
                    {"clusterName":"%s","principalArn":"%s","associatedAccessPolicies":%s}"""
                    .formatted(cluster, e.principalArn(), e.policiesJson()));
        }
    }

    /** One access entry: policies as JSON array of {policyArn, accessScope:{type, namespaces}}. */
    record Entry(String principalArn, String type, String groupsJson, String policiesJson) {
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String rawPath = exchange.getRequestURI().getRawPath();
            String path = String.join("/", java.util.Arrays.stream(rawPath.split("/", -1))
                    .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8)).toList());
            String query = exchange.getRequestURI().getRawQuery();
            String nextToken = query == null ? null : java.util.Arrays.stream(query.split("&"))
                    .filter(p -> p.startsWith("nextToken=")).findFirst().orElse(null);
            String key = exchange.getRequestMethod() + " " + path + (nextToken == null ? "" : "?" + nextToken);
            String body = recorded.get(key);
            if (body != null) {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
                return;
            }
            forward(exchange);
        }
    }

    private void forward(HttpExchange exchange) throws IOException {
        byte[] in = exchange.getRequestBody().readAllBytes();
        var request = HttpRequest.newBuilder(moto.resolve(exchange.getRequestURI().getRawPath()
                        + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery())))
                .method(exchange.getRequestMethod(), in.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(in));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        response.headers().map().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(java.util.Locale.ROOT)) && !name.equalsIgnoreCase("transfer-encoding")
                    && !name.startsWith(":")) {
                values.forEach(v -> exchange.getResponseHeaders().add(name, v));
            }
        });
        byte[] out = response.body();
        exchange.sendResponseHeaders(response.statusCode(), out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
            exchange.getResponseBody().write(out);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
