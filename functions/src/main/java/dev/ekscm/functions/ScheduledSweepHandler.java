package dev.ekscm.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.ekscm.model.ClusterId;
import dev.ekscm.routing.Identifiers;
import dev.ekscm.routing.RecheckRequest;
import org.crac.Resource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * scheduled-sweep: an EventBridge Scheduler (or scheduled rule) event → for every region in
 * REGIONS and every account (its own, plus MEMBER_ACCOUNTS through MEMBER_ROLE_NAME) → EKS
 * ListClusters → one full recheck request per cluster, sent in batches. A region or account that
 * cannot be listed is logged and the others still swept; the invocation then fails so the
 * schedule's retry policy runs it again (the deduplication id absorbs the repeats).
 */
public final class ScheduledSweepHandler implements RequestStreamHandler {
    public static final String NAME = "scheduled-sweep";
    public static final String TRIGGER = "schedule";
    /** CRaC keeps weak references only: this static field keeps the priming resource alive. */
    private static final Resource PRIMING = Priming.resource();

    private final ClusterLister lister;
    private final RecheckQueue queue;
    private final FunctionEnvironment env;
    private final JsonLog log;
    private final Metrics metrics;
    private final Clock clock;

    public ScheduledSweepHandler() {
        this(FunctionEnvironment.fromSystem());
    }

    private ScheduledSweepHandler(FunctionEnvironment env) {
        this(env, AwsClients.fromEnvironment(env));
    }

    private ScheduledSweepHandler(FunctionEnvironment env, AwsClients clients) {
        this(new EksClusterLister(clients),
                new SqsRecheckQueue(clients.sqs(), env.requireQueueUrl(), new RecheckMessages(Json.MAPPER), env.coalesceWindow()),
                env, System.out, Clock.systemUTC());
    }

    ScheduledSweepHandler(ClusterLister lister, RecheckQueue queue, FunctionEnvironment env, PrintStream out, Clock clock) {
        this.lister = lister;
        this.queue = queue;
        this.env = env;
        this.log = new JsonLog(out, Json.MAPPER, NAME).with("trigger", TRIGGER);
        this.metrics = new Metrics(out, Json.MAPPER, clock, NAME);
        this.clock = clock;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        long started = System.nanoTime();
        JsonLog log = this.log.with("requestId", context == null ? "-" : context.getAwsRequestId());
        JsonNode event = parse(input.readNBytes(64 * 1024), log);
        String ownAccount = ownAccount(event, context, log);
        String eventId = text(event, "id").filter(s -> Identifiers.EVENT_ID.matcher(s).matches())
                .orElse(context == null ? "sweep" : context.getAwsRequestId());
        Instant time = text(event, "time").flatMap(ScheduledSweepHandler::instant).orElseGet(clock::instant);

        var accounts = new LinkedHashSet<String>();
        accounts.add(ownAccount);
        accounts.addAll(env.memberAccounts());
        var requests = new ArrayList<RecheckRequest>();
        var failures = new ArrayList<String>();
        for (String account : accounts) {
            for (String region : env.regions()) {
                try {
                    List<String> names = lister.clusters(account, region);
                    for (String name : names) {
                        if (Identifiers.isClusterName(name)) {
                            requests.add(RecheckRequest.full(new ClusterId(account, region, name), TRIGGER, eventId, time));
                        } else {
                            log.warn("skipped a cluster name that fails the EKS pattern", "account", account, "region", region,
                                    "name", Identifiers.preview(name));
                        }
                    }
                    log.info("listed clusters", "account", account, "region", region, "clusters", names.size());
                } catch (RuntimeException e) {
                    failures.add(account + "/" + region);
                    log.error("cannot list clusters", "account", account, "region", region,
                            "error", e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
        }
        int sent = requests.isEmpty() ? 0 : queue.send(requests);
        for (RecheckRequest r : requests) {
            log.with("cluster", r.cluster().key()).info("recheck requested", "scopes", "ALL", "eventId", eventId);
        }
        metrics.count("ClustersListed", requests.size(), Map.of());
        metrics.count("RecheckRequests", sent, Map.of());
        metrics.milliseconds("SweepDuration", (System.nanoTime() - started) / 1_000_000, Map.of());
        if (!failures.isEmpty()) {
            metrics.count("SweepFailures", failures.size(), Map.of());
            throw new IllegalStateException("sweep incomplete: could not list clusters in " + failures
                    + " (the others were requested; see the log)");
        }
        ObjectNode response = Json.MAPPER.createObjectNode().put("status", "swept").put("requests", requests.size());
        var keys = response.putArray("clusters");
        requests.forEach(r -> keys.add(r.cluster().key()));
        output.write(Json.MAPPER.writeValueAsBytes(response));
    }

    private static JsonNode parse(byte[] bytes, JsonLog log) {
        if (bytes.length == 0) {
            return Json.MAPPER.createObjectNode();
        }
        try {
            JsonNode node = Json.MAPPER.readTree(bytes);
            if (node == null || node.isNull()) {
                return Json.MAPPER.createObjectNode();
            }
            if (!node.isObject()) {
                throw new JsonShapeException("expected a JSON object");
            }
            return node;
        } catch (JacksonException | JsonShapeException e) {
            log.error("event rejected: malformed", "reason", "malformed", "problem", Identifiers.preview(e.getMessage()));
            throw new EventRejectedException("malformed schedule event: " + Identifiers.preview(e.getMessage()));
        }
    }

    /** The account the function runs in: the event's {@code account}, else the function ARN's. */
    private static String ownAccount(JsonNode event, Context context, JsonLog log) {
        var fromEvent = text(event, "account");
        if (fromEvent.isPresent()) {
            if (!Identifiers.ACCOUNT.matcher(fromEvent.get()).matches()) {
                log.error("event rejected: malformed", "reason", "malformed", "field", "account",
                        "problem", "'" + Identifiers.preview(fromEvent.get()) + "' is not a 12-digit account id");
                throw new EventRejectedException("malformed schedule event: account is not a 12-digit account id");
            }
            return fromEvent.get();
        }
        String arn = context == null ? null : context.getInvokedFunctionArn();
        String[] parts = arn == null ? new String[0] : arn.split(":");
        if (parts.length > 4 && Identifiers.ACCOUNT.matcher(parts[4]).matches()) {
            return parts[4];
        }
        throw new EventRejectedException("cannot tell the account to sweep: the event has no `account` and the context no function ARN");
    }

    private static java.util.Optional<String> text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isString() ? java.util.Optional.of(v.asString()) : java.util.Optional.empty();
    }

    private static java.util.Optional<Instant> instant(String s) {
        try {
            return java.util.Optional.of(Instant.parse(s));
        } catch (DateTimeParseException e) {
            return java.util.Optional.empty();
        }
    }

    private static final class JsonShapeException extends RuntimeException {
        JsonShapeException(String message) {
            super(message, null, false, false);
        }
    }
}
