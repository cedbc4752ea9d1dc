package dev.ekscm.cli;

import dev.ekscm.checks.Check;
import dev.ekscm.checks.CheckCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

import java.util.concurrent.Callable;

/** {@code ekscm checks}: the catalog. */
@Command(name = "checks", description = "List the checks: id, severity, title, sources.")
final class ChecksCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--format", description = "table or json (default: ${DEFAULT-VALUE})", defaultValue = "table")
    String format;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var checks = CheckCatalog.builtIn().all();
        switch (format) {
            case "json" -> {
                var mapper = JsonMapper.builder().build();
                ArrayNode arr = mapper.createArrayNode();
                for (Check c : checks) {
                    var m = c.metadata();
                    var n = arr.addObject();
                    n.put("id", m.id());
                    n.put("severity", m.defaultSeverity().name());
                    n.put("title", m.title());
                    n.put("scope", m.scope().name());
                    n.put("rationale", m.rationale());
                    n.put("remediation", m.remediation());
                    var sources = n.putArray("sources");
                    m.sources().forEach(sources::add);
                }
                out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(arr));
            }
            case "table" -> {
                int w = checks.stream().mapToInt(c -> c.id().length()).max().orElse(10);
                out.printf("%-" + w + "s  %-8s  %s%n", "ID", "SEVERITY", "TITLE (SOURCES)");
                for (Check c : checks) {
                    var m = c.metadata();
                    out.printf("%-" + w + "s  %-8s  %s (%s)%n", m.id(), m.defaultSeverity(), m.title(),
                            String.join("; ", m.sources()));
                }
            }
            default -> throw new IllegalArgumentException("unknown --format '" + format + "': expected table or json");
        }
        out.flush();
        return 0;
    }
}
