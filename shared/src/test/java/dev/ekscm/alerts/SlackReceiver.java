package dev.ekscm.alerts;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A real local HTTP receiver standing in for Slack's incoming webhooks: records every POST and
 * answers from a script (status, headers, body), then 200 "ok".
 */
final class SlackReceiver implements AutoCloseable {
    record Reply(int status, Map<String, String> headers, String body) {
        static Reply ok() {
            return new Reply(200, Map.of(), "ok");
        }
    }

    record Request(String path, String contentType, String body) {
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    private final List<Request> requests = new ArrayList<>();

    SlackReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A webhook URL on this receiver; the token part stands for the secret. */
    URI url(String token) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/services/T0001/B0001/" + token);
    }

    SlackReceiver then(int status, Map<String, String> headers, String body) {
        script.add(new Reply(status, headers, body));
        return this;
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        synchronized (this) {
            requests.add(new Request(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body));
        }
        Reply reply = script.poll();
        if (reply == null) {
            reply = Reply.ok();
        }
        if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getPath().startsWith("/services/")) {
            reply = new Reply(404, Map.of(), "no_service");
        }
        reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
