package dev.ekscm.cli.render;

import dev.ekscm.checks.CheckMetadata;
import dev.ekscm.checks.CheckOutcome;
import dev.ekscm.engine.RunReport;
import dev.ekscm.model.CheckResult;
import dev.ekscm.model.Severity;
import dev.ekscm.model.Status;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.HashMap;

/**
 * SARIF 2.1.0: one rule per check (with its rationale, remediation and a security-severity for
 * code-scanning UIs), one result per FAIL, EXEMPT results as suppressed results. Resources are
 * logical locations ({@code Kind/namespace/name}).
 */
public final class SarifReport {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    public static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

    private SarifReport() {
    }

    public static String render(RunReport report) {
        var root = MAPPER.createObjectNode();
        root.put("$schema", SCHEMA);
        root.put("version", "2.1.0");
        var run = root.putArray("runs").addObject();
        var driver = run.putObject("tool").putObject("driver");
        driver.put("name", "ekscm");
        driver.put("fullName", "EKS Compliance Monitor");
        driver.put("informationUri", "https://aws.github.io/aws-eks-best-practices/security/docs/");
        var rules = driver.putArray("rules");
        var ruleIndex = new HashMap<String, Integer>();
        for (CheckOutcome o : report.evaluation().outcomes()) {
            CheckMetadata m = o.metadata();
            ruleIndex.put(m.id(), rules.size());
            var rule = rules.addObject();
            rule.put("id", m.id());
            rule.put("name", pascal(m.id()));
            rule.putObject("shortDescription").put("text", m.title());
            rule.putObject("fullDescription").put("text", m.rationale());
            rule.putObject("help").put("text", m.remediation());
            rule.putObject("defaultConfiguration").put("level", level(m.defaultSeverity()));
            var props = rule.putObject("properties");
            props.put("security-severity", securitySeverity(m.defaultSeverity()));
            var tags = props.putArray("tags");
            tags.add("security");
            tags.add("eks");
            m.sources().forEach(tags::add);
        }
        var results = run.putArray("results");
        for (CheckOutcome o : report.evaluation().outcomes()) {
            for (CheckResult r : o.results()) {
                if (r.status() != Status.FAIL && r.status() != Status.EXEMPT) {
                    continue;
                }
                ObjectNode res = results.addObject();
                res.put("ruleId", r.checkId());
                res.put("ruleIndex", ruleIndex.get(r.checkId()));
                res.put("level", level(r.severity()));
                res.putObject("message").put("text", r.message());
                var loc = res.putArray("locations").addObject().putArray("logicalLocations").addObject();
                loc.put("name", r.resource().name());
                loc.put("fullyQualifiedName", report.snapshot().cluster().name() + "/" + r.resource().key());
                loc.put("kind", "resource");
                res.putObject("partialFingerprints").put("ekscmFinding/v1", report.snapshot().cluster().key() + "#" + r.findingKey());
                res.putObject("properties").put("severity", r.severity().name());
                if (r.status() == Status.EXEMPT) {
                    var s = res.putArray("suppressions").addObject();
                    s.put("kind", "inSource");
                    s.put("justification", r.evidence());
                }
            }
        }
        var invocation = run.putArray("invocations").addObject();
        invocation.put("executionSuccessful", true);
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    static String level(Severity s) {
        return switch (s) {
            case CRITICAL, HIGH -> "error";
            case MEDIUM -> "warning";
            case LOW -> "note";
        };
    }

    static String securitySeverity(Severity s) {
        return switch (s) {
            case CRITICAL -> "9.5";
            case HIGH -> "8.0";
            case MEDIUM -> "5.5";
            case LOW -> "3.0";
        };
    }

    private static String pascal(String id) {
        var sb = new StringBuilder();
        for (String part : id.split("-")) {
            sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return sb.toString();
    }
}
