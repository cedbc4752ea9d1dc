package dev.ekscm.cli.render;

import dev.ekscm.checks.CheckOutcome;
import dev.ekscm.engine.RunReport;
import dev.ekscm.findings.TransitionType;
import dev.ekscm.model.CheckResult;
import dev.ekscm.model.Status;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON contract of {@code ekscm scan --format json} (scripts parse it): {@code cluster},
 * {@code checks[{id,status,failed}]} with PASS/FAIL/NOT_APPLICABLE, {@code findings[…]} with
 * FAIL or EXEMPT, and {@code apiCalls} for live scans.
 */
public final class JsonReport {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private JsonReport() {
    }

    public static ObjectNode tree(RunReport report) {
        var root = MAPPER.createObjectNode();
        var cluster = report.snapshot().cluster();
        root.put("cluster", cluster.name());
        root.put("account", cluster.account());
        root.put("region", cluster.region());
        var checks = root.putArray("checks");
        for (CheckOutcome o : report.evaluation().outcomes()) {
            var c = checks.addObject();
            c.put("id", o.metadata().id());
            c.put("status", o.status().name());
            c.put("failed", o.failed());
            o.note().ifPresent(n -> c.put("note", n));
        }
        var findings = root.putArray("findings");
        for (CheckOutcome o : report.evaluation().outcomes()) {
            for (CheckResult r : o.results()) {
                if (r.status() != Status.FAIL && r.status() != Status.EXEMPT) {
                    continue;
                }
                var f = findings.addObject();
                f.put("checkId", r.checkId());
                f.put("severity", r.severity().name());
                f.put("status", r.status().name());
                var res = f.putObject("resource");
                res.put("kind", r.resource().kind());
                res.put("namespace", r.resource().namespace());
                res.put("name", r.resource().name());
                f.put("message", r.message());
                if (!r.evidence().isEmpty()) {
                    f.put("evidence", r.evidence());
                }
                f.put("remediation", o.metadata().remediation());
                report.recorded().flatMap(rec -> rec.transitionOf(r.findingKey()))
                        .ifPresent(t -> f.put("transition", t.name()));
            }
        }
        report.recorded().ifPresent(rec -> {
            var resolved = root.putArray("resolved");
            rec.transitions().stream().filter(t -> t.transition().type() == TransitionType.RESOLVED).forEach(t -> {
                var n = resolved.addObject();
                n.put("checkId", t.checkId());
                n.put("severity", t.severity().name());
                var res = n.putObject("resource");
                res.put("kind", t.resource().kind());
                res.put("namespace", t.resource().namespace());
                res.put("name", t.resource().name());
            });
            var counts = root.putObject("transitions");
            rec.transitions().forEach(t -> {
                String type = t.transition().type().name();
                counts.put(type, counts.path(type).asInt(0) + 1);
            });
        });
        report.alerts().ifPresent(a -> {
            var alerts = root.putObject("alerts");
            alerts.put("pending", a.pending());
            alerts.put("stillPending", a.stillPending());
            alerts.put("messages", a.messages());
        });
        if (!report.apiCalls().isEmpty()) {
            var calls = root.putObject("apiCalls");
            report.apiCalls().forEach(calls::put);
        }
        return root;
    }

    public static String render(RunReport report) {
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(tree(report));
    }
}
