package dev.ekscm.functions;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Structured logs: one JSON object per line on stdout (CloudWatch Logs keeps each line as one
 * event; Logs Insights queries the fields). Every line carries the function name and the fields
 * bound with {@link #with} (requestId, cluster, trigger, runId). Values are shortened to
 * {@value #MAX_VALUE_CHARS} characters; callers never pass secrets or tokens.
 */
public final class JsonLog {
    static final int MAX_VALUE_CHARS = 1000;

    private final PrintStream out;
    private final ObjectMapper mapper;
    private final Map<String, Object> bound;

    public JsonLog(PrintStream out, ObjectMapper mapper, String function) {
        this(out, mapper, Map.of("function", function));
    }

    private JsonLog(PrintStream out, ObjectMapper mapper, Map<String, Object> bound) {
        this.out = out;
        this.mapper = mapper;
        this.bound = bound;
    }

    /** A logger that throws lines away (SnapStart priming, benchmarks). */
    public static JsonLog discarding(ObjectMapper mapper) {
        return new JsonLog(new PrintStream(OutputStream.nullOutputStream()), mapper, "none");
    }

    /** A logger whose lines also carry {@code key: value}. */
    public JsonLog with(String key, Object value) {
        var fields = new LinkedHashMap<>(bound);
        fields.put(key, value);
        return new JsonLog(out, mapper, fields);
    }

    public void info(String message, Object... keyValues) {
        write("INFO", message, keyValues);
    }

    public void warn(String message, Object... keyValues) {
        write("WARN", message, keyValues);
    }

    public void error(String message, Object... keyValues) {
        write("ERROR", message, keyValues);
    }

    private void write(String level, String message, Object... keyValues) {
        ObjectNode line = mapper.createObjectNode();
        line.put("level", level);
        line.put("message", message);
        bound.forEach((k, v) -> put(line, k, v));
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            put(line, String.valueOf(keyValues[i]), keyValues[i + 1]);
        }
        String text = mapper.writeValueAsString(line);
        synchronized (out) {
            out.println(text);
        }
    }

    private void put(ObjectNode line, String key, Object value) {
        if (value == null) {
            line.putNull(key);
        } else if (value instanceof Number n) {
            line.put(key, n.doubleValue() == Math.rint(n.doubleValue()) ? n.longValue() : n.doubleValue());
        } else if (value instanceof Boolean b) {
            line.put(key, b);
        } else if (value instanceof Iterable<?> items) {
            var array = line.putArray(key);
            items.forEach(item -> array.add(shorten(String.valueOf(item))));
        } else {
            line.put(key, shorten(String.valueOf(value)));
        }
    }

    private static String shorten(String s) {
        return s.length() <= MAX_VALUE_CHARS ? s : s.substring(0, MAX_VALUE_CHARS) + "…(" + s.length() + " chars)";
    }
}
