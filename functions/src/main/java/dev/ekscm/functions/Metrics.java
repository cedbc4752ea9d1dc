package dev.ekscm.functions;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;

/**
 * CloudWatch metrics in the embedded metric format: one JSON line per data point on stdout,
 * which CloudWatch Logs turns into metrics in namespace {@value #NAMESPACE} without an API call.
 * Dimensions: always {@code Function}, plus any given (e.g. {@code Reason} for EventsIgnored).
 */
public final class Metrics {
    public static final String NAMESPACE = "ekscm";

    private final PrintStream out;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final String function;

    public Metrics(PrintStream out, ObjectMapper mapper, Clock clock, String function) {
        this.out = out;
        this.mapper = mapper;
        this.clock = clock;
        this.function = function;
    }

    public void count(String name, long value, Map<String, String> dimensions) {
        emit(name, value, "Count", dimensions);
    }

    public void milliseconds(String name, long value, Map<String, String> dimensions) {
        emit(name, value, "Milliseconds", dimensions);
    }

    private void emit(String name, long value, String unit, Map<String, String> extra) {
        var dims = new TreeMap<String, String>(extra);
        dims.put("Function", function);
        ObjectNode line = mapper.createObjectNode();
        ObjectNode aws = line.putObject("_aws");
        aws.put("Timestamp", clock.millis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        var dimensionSet = directive.putArray("Dimensions").addArray();
        dims.keySet().forEach(dimensionSet::add);
        ObjectNode metric = directive.putArray("Metrics").addObject();
        metric.put("Name", name);
        metric.put("Unit", unit);
        dims.forEach(line::put);
        line.put(name, value);
        String text = mapper.writeValueAsString(line);
        synchronized (out) {
            out.println(text);
        }
    }
}
