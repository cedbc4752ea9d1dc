package dev.ekscm.functions;


import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs in a fresh JVM on the deployment jar (plus this class): builds one handler as Lambda would
 * (its public no-arg constructor, clients from the environment; cluster-check with the real engine
 * until the real one is wired) and invokes it once on a sample event. Prints one JSON line of
 * timings. Used by {@link FunctionsBenchmark}.
 */
public final class ColdStartProbe {
    private ColdStartProbe() {
    }

    public static void main(String[] args) throws Exception {
        long mainAt = System.currentTimeMillis();
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        String function = args[0];
        byte[] event = Files.readAllBytes(Path.of(args[1]));
        PrintStream realOut = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream())); // the handler's log lines
        long t0 = System.nanoTime();
        Object handler = switch (function) {
            case "change-events" -> new ChangeEventsHandler();
            case "scheduled-sweep" -> new ScheduledSweepHandler();
            case "cluster-check" -> new ClusterCheckHandler(); // the real engine, from FINDINGS_TABLE etc.
            default -> throw new IllegalArgumentException(function);
        };
        long t1 = System.nanoTime();
        var response = new ByteArrayOutputStream();
        int code = LocalInvoker.invoke(handler, event, args[1], new PrintWriter(response, true));
        long t2 = System.nanoTime();
        System.setOut(realOut);
        System.out.printf("{\"function\":\"%s\",\"exit\":%d,\"jvmToMainMs\":%d,\"initMs\":%d,\"firstInvokeMs\":%d,"
                        + "\"jvmStartToDoneMs\":%d,\"response\":%s}%n", function, code, mainAt - jvmStart, (t1 - t0) / 1_000_000,
                (t2 - t1) / 1_000_000, System.currentTimeMillis() - jvmStart, response.toString().trim());
    }
}
