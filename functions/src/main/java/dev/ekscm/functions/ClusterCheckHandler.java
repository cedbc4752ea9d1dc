package dev.ekscm.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.ekscm.engine.RecheckOutcome;
import dev.ekscm.engine.RecheckService;
import dev.ekscm.engine.RecheckServices;
import dev.ekscm.model.ClusterId;
import dev.ekscm.model.Scope;
import dev.ekscm.routing.MalformedEventException;
import dev.ekscm.routing.RecheckRequest;
import org.crac.Resource;

import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * cluster-check: a batch from the recheck FIFO queue → requests merged per cluster (union of
 * scopes; a full request makes the run full) → one {@link RecheckService} run per cluster →
 * partial batch failures: a malformed message fails alone, a cluster whose run threw fails all of
 * its messages, the others are deleted. Failed messages come back after the visibility timeout
 * and go to the queue's DLQ after maxReceiveCount receives.
 */
public final class ClusterCheckHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    public static final String NAME = "cluster-check";
    /** Lambda's SQS event source mapping polls with the function's role. */
    public static final List<String> IAM_ACTIONS = List.of("sqs:ReceiveMessage", "sqs:DeleteMessage",
            "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes");
    /** CRaC keeps weak references only: this static field keeps the priming resource alive. */
    private static final Resource PRIMING = Priming.resource();

    private final RecheckService service;
    private final RecheckMessages messages;
    private final JsonLog log;
    private final Metrics metrics;

    /** Lambda's entry: the engine from the environment, at init. */
    public ClusterCheckHandler() {
        this(RecheckServices.fromEnvironment(), System.out, Clock.systemUTC());
    }

    ClusterCheckHandler(RecheckService service, PrintStream out, Clock clock) {
        this.service = service;
        this.messages = new RecheckMessages(Json.MAPPER);
        this.log = new JsonLog(out, Json.MAPPER, NAME);
        this.metrics = new Metrics(out, Json.MAPPER, clock, NAME);
    }

    /** The requests of one cluster in this batch, and the messages they came in. */
    private static final class Merged {
        final Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        final Set<String> triggers = new LinkedHashSet<>();
        final List<String> messageIds = new ArrayList<>();

        String trigger() {
            String joined = String.join("+", triggers);
            return joined.length() <= 200 ? joined : joined.substring(0, 200);
        }
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        JsonLog log = this.log.with("requestId", context == null ? "-" : context.getAwsRequestId());
        var failures = new ArrayList<SQSBatchResponse.BatchItemFailure>();
        var byCluster = new LinkedHashMap<ClusterId, Merged>();
        List<SQSEvent.SQSMessage> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        for (SQSEvent.SQSMessage message : records) {
            String id = message.getMessageId();
            try {
                RecheckRequest request = messages.parse(message.getBody());
                Merged merged = byCluster.computeIfAbsent(request.cluster(), c -> new Merged());
                merged.scopes.addAll(request.scopes());
                merged.triggers.add(request.trigger());
                merged.messageIds.add(id);
            } catch (MalformedEventException e) {
                metrics.count("MessagesRejected", 1, Map.of());
                log.error("message rejected: malformed", "reason", "malformed", "messageId", id, "field", e.field(),
                        "problem", e.getMessage());
                failures.add(new SQSBatchResponse.BatchItemFailure(id));
            }
        }
        for (var entry : byCluster.entrySet()) {
            ClusterId cluster = entry.getKey();
            Merged merged = entry.getValue();
            Set<Scope> scopes = merged.scopes.containsAll(Scope.all()) ? Scope.all() : merged.scopes;
            JsonLog clusterLog = log.with("cluster", cluster.key()).with("trigger", merged.trigger());
            long started = System.nanoTime();
            try {
                RecheckOutcome outcome = service.recheck(cluster, scopes, merged.trigger());
                record(outcome, clusterLog.with("runId", outcome.runId()), merged);
            } catch (dev.ekscm.model.BadInputException e) {
                // The cluster is gone (deleted since the event or the sweep): retrying cannot help.
                metrics.count("RechecksSkipped", 1, Map.of("Reason", "unknown-cluster"));
                clusterLog.warn("cluster not found; its messages are acknowledged, not retried", "error", e.getMessage(),
                        "messages", merged.messageIds.size());
            } catch (RuntimeException e) {
                metrics.count("RecheckFailures", 1, Map.of());
                clusterLog.error("recheck failed; its messages will be retried", "error",
                        e.getClass().getSimpleName() + ": " + e.getMessage(), "messages", merged.messageIds.size(),
                        "durationMs", (System.nanoTime() - started) / 1_000_000);
                merged.messageIds.forEach(id -> failures.add(new SQSBatchResponse.BatchItemFailure(id)));
            }
        }
        return new SQSBatchResponse(failures);
    }

    private void record(RecheckOutcome outcome, JsonLog log, Merged merged) {
        long ms = outcome.duration().toMillis();
        int apiCalls = outcome.apiCalls().values().stream().mapToInt(Integer::intValue).sum();
        metrics.count("RecheckRuns", 1, Map.of());
        metrics.milliseconds("RunDuration", ms, Map.of());
        metrics.count("Transitions", outcome.transitions(), Map.of());
        metrics.count("ApiCalls", apiCalls, Map.of());
        outcome.openBySeverity().forEach((severity, n) -> metrics.count("OpenFindings", n, Map.of("Severity", severity.name())));
        log.info("recheck done", "scopes", outcome.scopes().stream().sorted().toList(), "requests", merged.messageIds.size(),
                "transitions", outcome.transitions(), "durationMs", ms, "apiCalls", apiCalls);
    }
}
