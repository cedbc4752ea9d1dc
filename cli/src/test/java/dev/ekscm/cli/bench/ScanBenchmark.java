package dev.ekscm.cli.bench;

import dev.ekscm.checks.CheckCatalog;
import dev.ekscm.checks.CheckConfig;
import dev.ekscm.checks.Evaluator;
import dev.ekscm.collect.SnapshotLoader;
import dev.ekscm.model.ClusterSnapshot;
import dev.ekscm.model.Scope;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Prints parse time, evaluation time (after warm-up) and peak heap for synthetic clusters of
 * 1,000, 10,000 and 50,000 workloads, then times the whole {@code ekscm scan} of the 10,000 one
 * in a fresh JVM. A benchmark that prints figures, not a timed test.
 *
 * <p>Run: {@code ./mvnw -q -B package -DskipTests && ./mvnw -q -B -pl cli exec:exec -Pbench}
 */
public final class ScanBenchmark {
    public static void main(String[] args) throws Exception {
        int[] sizes = args.length > 0 ? java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray()
                : new int[] {1_000, 10_000, 50_000};
        var checks = CheckCatalog.builtIn().all();
        var evaluator = new Evaluator(checks, CheckConfig.defaults(LocalDate.of(2026, 11, 27)));
        System.out.printf("%-9s %-10s %-12s %-12s %-14s %-12s%n", "workloads", "files", "parse ms", "evaluate ms", "results", "peak heap MB");
        Path tenThousand = null;
        for (int n : sizes) {
            Path dir = Files.createTempDirectory("ekscm-bench-" + n);
            SyntheticCluster.write(n, dir);
            long files;
            try (var s = Files.list(dir.resolve("manifests"))) {
                files = s.count();
            }
            System.gc();
            resetPeaks();
            long t0 = System.nanoTime();
            ClusterSnapshot snapshot = new SnapshotLoader().load(List.of(dir.resolve("manifests")), Optional.of(dir.resolve("aws")));
            long parseNs = System.nanoTime() - t0;
            // warm-up, then the best of five
            for (int i = 0; i < 3; i++) {
                evaluator.evaluate(snapshot, Scope.all());
            }
            long best = Long.MAX_VALUE;
            int results = 0;
            for (int i = 0; i < 5; i++) {
                long s = System.nanoTime();
                results = evaluator.evaluate(snapshot, Scope.all()).results().size();
                best = Math.min(best, System.nanoTime() - s);
            }
            System.out.printf("%-9d %-10d %-12.0f %-12.1f %-14d %-12.0f%n", n, files, parseNs / 1e6, best / 1e6, results,
                    peakHeap() / 1048576.0);
            if (n == 10_000) {
                tenThousand = dir;
                printSlowestChecks(checks, snapshot);
            }
        }
        Path jar = Path.of(System.getProperty("ekscm.jar", "target/ekscm.jar")).toAbsolutePath();
        if (tenThousand != null && Files.exists(jar)) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            var cmd = List.of(java, "-jar", jar.toString(), "scan", "--manifests", tenThousand.resolve("manifests").toString(),
                    "--aws", tenThousand.resolve("aws").toString(), "--format", "json");
            long s = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            int code = p.waitFor();
            System.out.printf("whole `ekscm scan` of 10,000 workloads in a fresh JVM: %.2f s (exit %d)%n",
                    (System.nanoTime() - s) / 1e9, code);
        } else {
            System.out.println("(no " + jar + ": build it with ./mvnw package to time the whole scan)");
        }
    }

    /** Per-check evaluation time (best of five) for the slowest checks, to show where time goes. */
    private static void printSlowestChecks(List<dev.ekscm.checks.Check> checks, ClusterSnapshot snapshot) {
        var times = new java.util.TreeMap<Long, String>(java.util.Comparator.reverseOrder());
        for (var check : checks) {
            var one = new Evaluator(List.of(check), CheckConfig.defaults(LocalDate.of(2026, 11, 27)));
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                long s = System.nanoTime();
                one.evaluate(snapshot, Scope.all());
                best = Math.min(best, System.nanoTime() - s);
            }
            times.put(best * 1000 + times.size(), check.id());
        }
        System.out.print("  slowest checks at 10,000 workloads:");
        times.entrySet().stream().limit(5).forEach(e -> System.out.printf(" %s %.1f ms;", e.getValue(), e.getKey() / 1000 / 1e6));
        System.out.println();
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
