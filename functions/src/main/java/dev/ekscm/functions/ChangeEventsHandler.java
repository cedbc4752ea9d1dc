package dev.ekscm.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.ekscm.routing.CloudTrailRecord;
import dev.ekscm.routing.EventRouter;
import dev.ekscm.routing.Identifiers;
import dev.ekscm.routing.MalformedEventException;
import dev.ekscm.routing.RecheckRequest;
import dev.ekscm.routing.RoutingDecision;
import dev.ekscm.routing.RoutingTable;
import org.crac.Resource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * change-events: an EventBridge "AWS API Call via CloudTrail" event (aws.eks, aws.ec2) → the
 * routing table → one recheck request per affected cluster on the FIFO queue. Failed, read-only,
 * own-role, unknown-event and unknown-cluster records are acknowledged and counted
 * (EventsIgnored by Reason). A malformed event is logged once and rethrown as
 * {@link EventRejectedException}: Lambda's async retries then its on-failure destination (the
 * ChangeEventsDeadLetterQueue) keep it.
 */
public final class ChangeEventsHandler implements RequestStreamHandler {
    public static final String NAME = "change-events";
    /** Lambda reads the event from this queue and puts failures on the DLQ (on-failure destination). */
    public static final List<String> IAM_ACTIONS = List.of("sqs:SendMessage");
    /** CRaC keeps weak references only: this static field keeps the priming resource alive. */
    private static final Resource PRIMING = Priming.resource();

    private final EventRouter router;
    private final RecheckQueue queue;
    private final JsonLog log;
    private final Metrics metrics;

    /** Lambda's entry: clients, routing table and mapper from the environment, at init. */
    public ChangeEventsHandler() {
        this(FunctionEnvironment.fromSystem());
    }

    private ChangeEventsHandler(FunctionEnvironment env) {
        this(env, AwsClients.fromEnvironment(env));
    }

    private ChangeEventsHandler(FunctionEnvironment env, AwsClients clients) {
        this(new EventRouter(RoutingTable.builtIn(), new AwsResourceLookup(clients), env.monitorRoles()),
                new SqsRecheckQueue(clients.sqs(), env.requireQueueUrl(), new RecheckMessages(Json.MAPPER), env.coalesceWindow()),
                System.out, Clock.systemUTC());
    }

    ChangeEventsHandler(EventRouter router, RecheckQueue queue, PrintStream out, Clock clock) {
        this.router = router;
        this.queue = queue;
        this.log = new JsonLog(out, Json.MAPPER, NAME);
        this.metrics = new Metrics(out, Json.MAPPER, clock, NAME);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonLog log = this.log.with("requestId", context == null ? "-" : context.getAwsRequestId());
        byte[] bytes = input.readNBytes(CloudTrailRecord.MAX_EVENT_BYTES + 1);
        JsonNode event = null;
        ObjectNode response = Json.MAPPER.createObjectNode();
        try {
            if (bytes.length > CloudTrailRecord.MAX_EVENT_BYTES) {
                throw new MalformedEventException("$", "the event is larger than EventBridge's 256 KiB limit");
            }
            event = parse(bytes);
            RoutingDecision decision = router.route(event);
            if (decision instanceof RoutingDecision.Recheck recheck) {
                int sent = queue.send(recheck.requests());
                metrics.count("EventsRouted", 1, Map.of());
                metrics.count("RecheckRequests", sent, Map.of());
                var clusters = response.put("status", "routed").putArray("rechecks");
                for (RecheckRequest r : recheck.requests()) {
                    log.with("cluster", r.cluster().key()).with("trigger", r.trigger())
                            .info("recheck requested", "eventId", r.eventId(), "scopes", r.scopes().stream().sorted().toList());
                    clusters.add(r.cluster().key());
                }
            } else if (decision instanceof RoutingDecision.Ignored ignored) {
                metrics.count("EventsIgnored", 1, Map.of("Reason", ignored.reason().label()));
                log.info("event ignored", "reason", ignored.reason().label(), "detail", ignored.detail(),
                        "eventId", eventId(event));
                response.put("status", "ignored").put("reason", ignored.reason().label());
            }
        } catch (MalformedEventException e) {
            metrics.count("EventsRejected", 1, Map.of());
            log.error("event rejected: malformed", "reason", "malformed", "field", e.field(), "problem", e.getMessage(),
                    "eventId", eventId(event), "bytes", bytes.length);
            throw new EventRejectedException("malformed event " + eventId(event) + ": " + e.getMessage());
        }
        output.write(Json.MAPPER.writeValueAsBytes(response));
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw new MalformedEventException("$", "not JSON: " + Identifiers.preview(e.getOriginalMessage()));
        }
    }

    /** The envelope id when it is a sane value, for the log line of a rejected event. */
    private static String eventId(JsonNode event) {
        JsonNode id = event == null || !event.isObject() ? null : event.get("id");
        String text = id == null || !id.isString() ? null : id.asString();
        return text != null && Identifiers.EVENT_ID.matcher(text).matches() ? text : "-";
    }
}
