package dev.ekscm.functions;

import dev.ekscm.routing.RecheckRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Shared test helpers: the project root, the events/ folder, captured stdout, a recording queue. */
public final class TestSupport {
    public static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private TestSupport() {
    }

    public static Path root() {
        String configured = System.getProperty("ekscm.root");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path d = start.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
            if (Files.exists(d.resolve("mvnw")) && Files.isDirectory(d.resolve("events"))) {
                return d;
            }
        }
        throw new IllegalStateException("cannot find the project root (with mvnw and events/) from " + start);
    }

    public static Path events() {
        return root().resolve("events");
    }

    public static List<Path> jsonFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode json(Path p) {
        return MAPPER.readTree(bytes(p));
    }

    /** Captures what a handler prints (log lines and EMF metrics). */
    public static final class Captured {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        public final PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

        public List<JsonNode> lines() {
            var lines = new ArrayList<JsonNode>();
            for (String line : buffer.toString(StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    lines.add(MAPPER.readTree(line));
                }
            }
            return lines;
        }

        public List<JsonNode> logs() {
            return lines().stream().filter(l -> l.has("level")).toList();
        }

        public List<JsonNode> metrics() {
            return lines().stream().filter(l -> l.has("_aws")).toList();
        }

        public String text() {
            return buffer.toString(StandardCharsets.UTF_8);
        }
    }

    /** A queue that keeps what it is sent. */
    public static final class RecordingQueue implements RecheckQueue {
        public final List<RecheckRequest> sent = new ArrayList<>();

        @Override
        public int send(List<RecheckRequest> requests) {
            sent.addAll(requests);
            return requests.size();
        }
    }

    public static LocalContext context() {
        return new LocalContext("test-request", "test", "arn:aws:lambda:eu-west-1:111122223333:function:test",
                new PrintStream(java.io.OutputStream.nullOutputStream()));
    }
}
