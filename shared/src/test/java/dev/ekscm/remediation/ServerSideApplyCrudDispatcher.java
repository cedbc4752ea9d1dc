package dev.ekscm.remediation;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * fabric8's CRUD mock API server answers server-side apply ({@code PATCH} with
 * {@code application/apply-patch+yaml}) with 415, and 404 for an object that does not exist
 * yet. This dispatcher keeps the CRUD server and adds the minimum of apply: create when absent,
 * else merge the applied fields (enough for objects with one field manager, as ours are). Every
 * apply request is kept, so tests can count and inspect them; the exact request is also asserted
 * against an expectation-mode server in {@link ServerSideApplyRequestTest}.
 */
final class ServerSideApplyCrudDispatcher extends KubernetesCrudDispatcher {
    record ApplyCall(String path, String contentType, String body) {
    }

    private static final ObjectMapper YAML = YAMLMapper.builder().build();
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final List<ApplyCall> applyCalls = new CopyOnWriteArrayList<>();

    /** A CRUD mock server that understands server-side apply; call {@code createClient()} on it. */
    static KubernetesMockServer start(ServerSideApplyCrudDispatcher dispatcher) {
        var server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(),
                new HashMap<>(), dispatcher, false);
        server.init();
        return server;
    }

    List<ApplyCall> applyCalls() {
        return List.copyOf(applyCalls);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String contentType = request.getHeader("Content-Type");
        if (!"PATCH".equals(request.getMethod()) || contentType == null
                || !contentType.startsWith("application/apply-patch")) {
            return super.dispatch(request);
        }
        String body = request.getUtf8Body();
        applyCalls.add(new ApplyCall(request.getPath(), contentType, body));
        String path = request.getPath();
        String resource = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        String json = JSON.writeValueAsString(YAML.readTree(body));
        if (handleGet(resource).code() == 404) {
            String collection = resource.substring(0, resource.lastIndexOf('/'));
            return handleCreate(request(HttpMethod.POST, collection, "application/json", json));
        }
        return handlePatch(request(HttpMethod.PATCH, resource, "application/merge-patch+json", json));
    }

    private static RecordedRequest request(HttpMethod method, String path, String contentType, String body) {
        var headers = Headers.builder().add("Content-Type", contentType).build();
        return new RecordedRequest("HTTP/1.1", method, path, headers,
                new Buffer(body.getBytes(StandardCharsets.UTF_8)));
    }
}
