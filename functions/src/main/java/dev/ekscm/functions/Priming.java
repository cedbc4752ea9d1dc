package dev.ekscm.functions;

import dev.ekscm.engine.RecheckOutcome;
import dev.ekscm.routing.EventRouter;
import dev.ekscm.routing.InMemoryResourceLookup;
import dev.ekscm.routing.MonitorRoles;
import dev.ekscm.routing.RecheckRequest;
import dev.ekscm.routing.RoutingTable;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * SnapStart priming: before Lambda snapshots an initialised function, run the handlers' code
 * paths on the bundled sample events (routing through the table with an in-memory lookup, message
 * serialisation, the SQS batch merge, JSON logging) so the restored JVM starts warm. No network
 * call, and nothing that must differ per environment is created: the clock is fixed at the epoch,
 * no credentials are resolved, no random ids are drawn.
 */
public final class Priming implements Resource {
    public static final String SAMPLES = "/dev/ekscm/functions/samples/";
    private static final Priming INSTANCE = new Priming();

    static {
        Core.getGlobalContext().register(INSTANCE);
    }

    private Priming() {
    }

    /** The registered resource; handlers keep it in a static field (CRaC holds weak references). */
    public static Resource resource() {
        return INSTANCE;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to refresh: clients resolve credentials on first use, after restore
    }

    /** Runs every handler once on bundled samples; returns how many recheck requests were produced. */
    public static int prime() {
        var discard = new PrintStream(OutputStream.nullOutputStream());
        Clock epoch = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);
        var messages = new RecheckMessages(Json.MAPPER);
        int[] produced = {0};
        RecheckQueue queue = requests -> {
            for (RecheckRequest r : requests) {
                messages.parse(messages.toJson(r));
                SendMessageRequest.builder().queueUrl("https://sqs.us-east-1.amazonaws.com/000000000000/primed.fifo")
                        .messageBody(messages.toJson(r)).messageGroupId(r.messageGroupId())
                        .messageDeduplicationId(r.deduplicationId(Duration.ofSeconds(60))).build();
            }
            produced[0] += requests.size();
            return requests.size();
        };
        var context = new LocalContext("priming", "priming", "arn:aws:lambda:us-east-1:000000000000:function:priming", discard);
        try {
            var lookup = new InMemoryResourceLookup();
            var change = new ChangeEventsHandler(new EventRouter(RoutingTable.builtIn(), lookup, MonitorRoles.none()),
                    queue, discard, epoch);
            for (String sample : List.of("eks-UpdateClusterConfig.json", "ec2-RunInstances.json")) {
                change.handleRequest(sample(sample), OutputStream.nullOutputStream(), context);
            }
            var sweep = new ScheduledSweepHandler((account, region) -> List.of("primed"), queue,
                    FunctionEnvironment.from(Map.of("AWS_REGION", "us-east-1")), discard, epoch);
            sweep.handleRequest(sample("schedule.json"), OutputStream.nullOutputStream(), context);
            var check = new ClusterCheckHandler((cluster, scopes, trigger) -> {
                SortedMap<String, Integer> calls = new TreeMap<>();
                return new RecheckOutcome(cluster, "priming", scopes, Map.of(), 0, Duration.ZERO, calls);
            }, discard, epoch);
            var batch = SqsEvents.parse(Json.MAPPER.readTree(sample("sqs-recheck-batch.json")), "sqs-recheck-batch.json");
            SqsEvents.toJson(check.handleRequest(batch, context));
        } catch (IOException e) {
            throw new UncheckedIOException("priming failed on a bundled sample", e);
        }
        return produced[0];
    }

    private static InputStream sample(String name) throws IOException {
        try (InputStream in = Priming.class.getResourceAsStream(SAMPLES + name)) {
            if (in == null) {
                throw new IOException("bundled sample " + SAMPLES + name + " is missing");
            }
            return new ByteArrayInputStream(in.readAllBytes());
        }
    }
}
