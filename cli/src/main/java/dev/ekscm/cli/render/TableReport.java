package dev.ekscm.cli.render;

import dev.ekscm.checks.CheckOutcome;
import dev.ekscm.engine.RunReport;
import dev.ekscm.findings.Finding;
import dev.ekscm.findings.TransitionType;
import dev.ekscm.model.CheckResult;
import dev.ekscm.model.Severity;
import dev.ekscm.model.Status;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The human table: findings grouped by severity (most severe first), then a summary line. */
public final class TableReport {
    private static final String RESET = "\u001b[0m";
    private static final Map<Severity, String> COLOURS = Map.of(
            Severity.CRITICAL, "\u001b[1;35m", Severity.HIGH, "\u001b[1;31m",
            Severity.MEDIUM, "\u001b[33m", Severity.LOW, "\u001b[36m");
    private static final String DIM = "\u001b[2m";

    private TableReport() {
    }

    public static String render(RunReport report, boolean colour) {
        var sb = new StringBuilder();
        var cluster = report.snapshot().cluster();
        var outcomes = report.evaluation().outcomes();
        List<CheckResult> failed = outcomes.stream().flatMap(o -> o.results().stream())
                .filter(r -> r.status() == Status.FAIL).toList();
        List<CheckResult> exempt = outcomes.stream().flatMap(o -> o.results().stream())
                .filter(r -> r.status() == Status.EXEMPT).toList();
        sb.append("Cluster ").append(cluster.name());
        if (!cluster.account().equals("-")) {
            sb.append(" (account ").append(cluster.account()).append(", ").append(cluster.region()).append(')');
        }
        sb.append("\n");
        int checkW = Math.max(5, failed.stream().mapToInt(r -> r.checkId().length()).max().orElse(5));
        int resW = Math.min(60, Math.max(8, failed.stream().mapToInt(r -> r.resource().key().length()).max().orElse(8)));
        for (Severity sev : List.of(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW)) {
            var rows = failed.stream().filter(r -> r.severity() == sev)
                    .sorted(Comparator.comparing(CheckResult::checkId).thenComparing(CheckResult::resource)).toList();
            if (rows.isEmpty()) {
                continue;
            }
            sb.append("\n").append(paint(colour, COLOURS.get(sev), sev + " (" + rows.size() + ")")).append("\n");
            for (CheckResult r : rows) {
                sb.append("  ");
                if (report.recorded().isPresent()) {
                    String t = report.recorded().get().transitionOf(r.findingKey()).map(Enum::name).orElse("open");
                    sb.append(pad(t, 9)).append("  ");
                }
                sb.append(pad(r.checkId(), checkW)).append("  ").append(pad(r.resource().key(), resW))
                        .append("  ").append(r.message()).append("\n");
            }
        }
        if (!exempt.isEmpty()) {
            sb.append("\n").append(paint(colour, DIM, "EXEMPT (" + exempt.size() + ")")).append("\n");
            for (CheckResult r : exempt) {
                sb.append("  ").append(pad(r.checkId(), checkW)).append("  ").append(pad(r.resource().key(), resW))
                        .append("  ").append(r.evidence()).append("\n");
            }
        }
        report.recorded().ifPresent(rec -> {
            var resolved = rec.transitions().stream()
                    .filter(t -> t.transition().type() == TransitionType.RESOLVED).toList();
            if (!resolved.isEmpty()) {
                sb.append("\n").append(paint(colour, "\u001b[32m", "RESOLVED (" + resolved.size() + ")")).append("\n");
                for (Finding f : resolved) {
                    sb.append("  ").append(pad(f.checkId(), checkW)).append("  ").append(f.resource().key()).append("\n");
                }
            }
        });
        var notApplicable = outcomes.stream().filter(o -> o.status() == Status.NOT_APPLICABLE).toList();
        if (!notApplicable.isEmpty()) {
            sb.append("\n").append(paint(colour, DIM, "NOT APPLICABLE (" + notApplicable.size() + ")")).append("\n");
            for (CheckOutcome o : notApplicable) {
                sb.append("  ").append(pad(o.metadata().id(), checkW)).append("  ").append(o.note().orElse("")).append("\n");
            }
        }
        long passed = outcomes.stream().filter(o -> o.status() == Status.PASS).count();
        long failing = outcomes.stream().filter(o -> o.status() == Status.FAIL).count();
        Map<Severity, Long> bySeverity = failed.stream().collect(Collectors.groupingBy(CheckResult::severity, Collectors.counting()));
        String counts = List.of(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW).stream()
                .filter(bySeverity::containsKey)
                .map(s -> bySeverity.get(s) + " " + s.name().toLowerCase())
                .collect(Collectors.joining(", "));
        sb.append("\n").append(outcomes.size()).append(" checks: ").append(passed).append(" passed, ")
                .append(failing).append(" failed, ").append(notApplicable.size()).append(" not applicable; ")
                .append(failed.size()).append(failed.size() == 1 ? " finding" : " findings")
                .append(counts.isEmpty() ? "" : " (" + counts + ")")
                .append(exempt.isEmpty() ? "" : ", " + exempt.size() + " exempt").append("\n");
        report.recorded().ifPresent(rec -> {
            var byType = rec.transitions().stream().collect(Collectors.groupingBy(t -> t.transition().type(),
                    java.util.TreeMap::new, Collectors.counting()));
            sb.append("Recorded run ").append(rec.runId()).append(": ").append(byType.isEmpty() ? "no changes"
                    : byType.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().name().toLowerCase())
                    .collect(Collectors.joining(", ")));
            report.alerts().ifPresent(a -> sb.append("; alerts: ").append(a.messages()).append(" message(s) sent")
                    .append(a.stillPending() > 0 ? ", " + a.stillPending() + " still pending (retried next run)" : ""));
            sb.append("\n");
        });
        return sb.toString();
    }

    private static String paint(boolean colour, String code, String text) {
        return colour ? code + text + RESET : text;
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }
}
