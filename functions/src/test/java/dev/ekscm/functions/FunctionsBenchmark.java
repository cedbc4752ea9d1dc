package dev.ekscm.functions;

import dev.ekscm.routing.EventRouter;
import dev.ekscm.routing.InMemoryResourceLookup;
import dev.ekscm.routing.MonitorRoles;
import dev.ekscm.routing.RoutingTable;
import dev.ekscm.testing.AwsTestClients;
import dev.ekscm.testing.MotoServer;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Prints the functions' performance figures (a benchmark, not a timed test):
 * the deployment jar's size; cold start of each handler in a fresh JVM without SnapStart (JVM
 * start → handler built from the environment → first invocation on a sample; AWS calls go to a
 * local moto, nothing leaves the machine); change-events' event-to-recheck-request latency after
 * warm-up, in process (routing table, validation, message serialisation; recording queue), and
 * the same with the emulated SQS FIFO queue behind it.
 *
 * <pre>./mvnw -q -B -pl shared,functions package -DskipTests
 * ./mvnw -q -B -o -pl functions exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.ekscm.functions.FunctionsBenchmark</pre>
 */
public final class FunctionsBenchmark {
    private FunctionsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = TestSupport.root();
        Path jar = root.resolve("functions/target/ekscm-functions.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw -q -B -pl shared,functions package -DskipTests first");
        }
        System.out.printf("deployment jar: %s, %.1f MB%n", jar.getFileName(), Files.size(jar) / 1024.0 / 1024.0);

        MotoServer moto = MotoServer.get();
        String queueUrl;
        try (SqsClient sqs = AwsTestClients.of(SqsClient.builder(), moto, "eu-west-1");
             EksClient eks = AwsTestClients.of(EksClient.builder(), moto, "eu-west-1")) {
            queueUrl = StormTest.fifoQueue(sqs, "bench-recheck.fifo");
            eks.createCluster(b -> b.name("bench").roleArn("arn:aws:iam::123456789012:role/eks")
                    .resourcesVpcConfig(v -> v.subnetIds("subnet-0a1b2c3d")));
            // the cluster of events/sqs-recheck-batch.json, rechecked by the real engine (collection, findings, alerts)
            eks.createCluster(b -> b.name("shop-prod").roleArn("arn:aws:iam::123456789012:role/eks")
                    .resourcesVpcConfig(v -> v.subnetIds("subnet-0a1b2c3d")));
        }
        try (var dynamo = AwsTestClients.of(software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder(), moto, "eu-west-1")) {
            dev.ekscm.findings.FindingsTableSchema.createIfAbsent(dynamo, "bench-findings");
        }
        Path testClasses = root.resolve("functions/target/test-classes");
        var samples = Map.of("change-events", root.resolve("events/eks-UpdateClusterConfig.json"),
                "scheduled-sweep", root.resolve("events/schedule.json"),
                "cluster-check", root.resolve("events/sqs-recheck-batch.json"));
        System.out.println("cold start, fresh JVM, no SnapStart (3 runs each; JVM flags as template.yaml: TieredStopAtLevel=1):");
        for (String function : List.of("change-events", "scheduled-sweep", "cluster-check")) {
            for (int run = 0; run < 3; run++) {
                var command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                        "-cp", jar + File.pathSeparator + testClasses, "dev.ekscm.functions.ColdStartProbe", function,
                        samples.get(function).toString());
                var pb = new ProcessBuilder(command).redirectErrorStream(true);
                pb.environment().putAll(Map.of("AWS_ENDPOINT_URL", moto.endpoint().toString(), "AWS_ACCESS_KEY_ID", "testing",
                        "AWS_SECRET_ACCESS_KEY", "testing", "AWS_REGION", "eu-west-1", "RECHECK_QUEUE_URL", queueUrl,
                        "REGIONS", "eu-west-1", "FINDINGS_TABLE", "bench-findings", "REMEDIATION_ENABLED", "false"));
                long started = System.nanoTime();
                Process p = pb.start();
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                p.waitFor();
                long wallMs = (System.nanoTime() - started) / 1_000_000;
                String line = Arrays.stream(output.split("\n")).filter(l -> l.startsWith("{\"function\"")).findFirst().orElse(output);
                System.out.printf("  %-16s process wall %5d ms  %s%n", function, wallMs, line.length() > 220 ? line.substring(0, 220) + "…" : line);
            }
        }

        System.out.println("change-events latency per event after warm-up (in process):");
        List<byte[]> events = new ArrayList<>();
        for (Path p : EventsCorpusTest.cloudTrailSamples()) {
            events.add(Files.readAllBytes(p));
        }
        var silent = new PrintStream(OutputStream.nullOutputStream());
        var handler = new ChangeEventsHandler(new EventRouter(RoutingTable.builtIn(), EventsCorpusTest.sampleLookup(),
                MonitorRoles.none()), requests -> {
            var messages = new RecheckMessages(TestSupport.MAPPER);
            requests.forEach(r -> {
                messages.toJson(r);
                r.deduplicationId(Duration.ofSeconds(60));
            });
            return requests.size();
        }, silent, java.time.Clock.systemUTC());
        report("routing + message (no network)", handler, events, 20_000, 20_000);
        try (SqsClient sqs = AwsTestClients.of(SqsClient.builder(), moto, "eu-west-1")) {
            var withSqs = new ChangeEventsHandler(new EventRouter(RoutingTable.builtIn(), EventsCorpusTest.sampleLookup(),
                    MonitorRoles.none()), new SqsRecheckQueue(sqs, queueUrl, new RecheckMessages(TestSupport.MAPPER),
                    Duration.ofSeconds(60)), silent, java.time.Clock.systemUTC());
            report("with SendMessage to local moto", withSqs, events, 200, 500);
        }
        moto.stop();
    }

    private static void report(String label, ChangeEventsHandler handler, List<byte[]> events, int warmup, int measured)
            throws Exception {
        for (int i = 0; i < warmup; i++) {
            handler.handleRequest(new ByteArrayInputStream(events.get(i % events.size())), OutputStream.nullOutputStream(),
                    TestSupport.context());
        }
        long[] micros = new long[measured];
        for (int i = 0; i < measured; i++) {
            long t = System.nanoTime();
            handler.handleRequest(new ByteArrayInputStream(events.get(i % events.size())), OutputStream.nullOutputStream(),
                    TestSupport.context());
            micros[i] = (System.nanoTime() - t) / 1_000;
        }
        Arrays.sort(micros);
        double mean = Arrays.stream(micros).average().orElse(0);
        System.out.printf("  %-34s %d events: mean %.3f ms, p50 %.3f ms, p99 %.3f ms, max %.3f ms%n", label, measured,
                mean / 1000, micros[measured / 2] / 1000.0, micros[(int) (measured * 0.99)] / 1000.0, micros[measured - 1] / 1000.0);
    }
}
