package dev.ekscm.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.ekscm.model.BadInputException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * {@code ekscm invoke change-events|scheduled-sweep|cluster-check --event FILE}: runs a handler
 * in this JVM, configured from the environment exactly as in Lambda (RECHECK_QUEUE_URL, REGIONS,
 * AWS_ENDPOINT_URL…), and prints its response. The handler's log lines go to stdout as in Lambda.
 */
public final class LocalInvoker {
    public static final List<String> FUNCTIONS = List.of(ChangeEventsHandler.NAME, ScheduledSweepHandler.NAME,
            ClusterCheckHandler.NAME);

    private LocalInvoker() {
    }

    /**
     * Builds the named handler from the environment, invokes it once with the event file and
     * writes its response (or, when it fails, Lambda's {@code errorType}/{@code errorMessage}
     * object) to {@code out}.
     *
     * @return 0 when the handler returned, 1 when it threw
     * @throws BadInputException for an unknown function name or an unreadable event file
     */
    public static int invoke(String function, Path eventFile, PrintWriter out) {
        byte[] event = read(eventFile);
        Object handler = switch (function) {
            case ChangeEventsHandler.NAME -> new ChangeEventsHandler();
            case ScheduledSweepHandler.NAME -> new ScheduledSweepHandler();
            case ClusterCheckHandler.NAME -> new ClusterCheckHandler();
            default -> throw new BadInputException("unknown function '" + function + "': expected one of " + FUNCTIONS);
        };
        return invoke(handler, event, eventFile.toString(), out);
    }

    /** Invokes an already built handler (tests pass handlers wired to fakes or the emulator). */
    static int invoke(Object handler, byte[] event, String where, PrintWriter out) {
        Context context = new LocalContext(UUID.randomUUID().toString(), "ekscm-local",
                "arn:aws:lambda:" + System.getenv().getOrDefault("AWS_REGION", "us-east-1") + ":000000000000:function:ekscm-local",
                System.err);
        try {
            String response;
            if (handler instanceof RequestStreamHandler stream) {
                var buffer = new ByteArrayOutputStream();
                stream.handleRequest(new ByteArrayInputStream(event), buffer, context);
                response = buffer.toString(StandardCharsets.UTF_8);
            } else if (handler instanceof ClusterCheckHandler check) {
                JsonNode json;
                try {
                    json = Json.MAPPER.readTree(event);
                } catch (JacksonException e) {
                    throw new BadInputException(where + ": not JSON: " + e.getOriginalMessage());
                }
                response = Json.MAPPER.writeValueAsString(SqsEvents.toJson(check.handleRequest(SqsEvents.parse(json, where), context)));
            } else {
                throw new IllegalArgumentException("not a handler: " + handler.getClass().getName());
            }
            out.println(response);
            out.flush();
            return 0;
        } catch (BadInputException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            var error = Json.MAPPER.createObjectNode().put("errorType", e.getClass().getName())
                    .put("errorMessage", String.valueOf(e.getMessage()));
            out.println(Json.MAPPER.writeValueAsString(error));
            out.flush();
            return 1;
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BadInputException("cannot read event file " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code java -cp ekscm-functions.jar dev.ekscm.functions.LocalInvoker FUNCTION EVENT_FILE} */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: LocalInvoker " + String.join("|", FUNCTIONS) + " EVENT_FILE");
            System.exit(2);
        }
        try {
            System.exit(invoke(args[0], Path.of(args[1]), System.out));
        } catch (BadInputException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    /** Prints to a stream; convenience for callers holding a PrintStream. */
    public static int invoke(String function, Path eventFile, PrintStream out) {
        var writer = new PrintWriter(out, true, StandardCharsets.UTF_8);
        return invoke(function, eventFile, writer);
    }
}
