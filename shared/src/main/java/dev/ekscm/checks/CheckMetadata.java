package dev.ekscm.checks;

import dev.ekscm.model.Input;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Severity;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a check is: a stable id (part of DynamoDB keys, never renamed), a default severity, a
 * title, why it matters, how to fix it, where it comes from, the recheck scope it belongs to and
 * the inputs it cannot judge without.
 */
public record CheckMetadata(String id, Severity defaultSeverity, String title, String rationale,
                            String remediation, List<String> sources, Scope scope, Set<Input> requires) {
    private static final Pattern KEBAB = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    public CheckMetadata {
        Objects.requireNonNull(id, "id");
        if (!KEBAB.matcher(id).matches()) {
            throw new IllegalArgumentException("check id must be kebab-case: " + id);
        }
        Objects.requireNonNull(defaultSeverity, "defaultSeverity of " + id);
        Objects.requireNonNull(scope, "scope of " + id);
        requireText(title, "title", id);
        requireText(rationale, "rationale", id);
        requireText(remediation, "remediation", id);
        sources = List.copyOf(sources);
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("check " + id + " names no source");
        }
        if (requires.isEmpty()) {
            throw new IllegalArgumentException("check " + id + " requires no input");
        }
        requires = java.util.Collections.unmodifiableSet(EnumSet.copyOf(requires)); // declaration order, stable across runs
    }

    private static void requireText(String value, String field, String id) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("check " + id + " has no " + field);
        }
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** Fluent construction, so each check's metadata reads like a table row. */
    public static final class Builder {
        private final String id;
        private Severity severity;
        private String title;
        private String rationale;
        private String remediation;
        private List<String> sources = List.of();
        private Scope scope;
        private Set<Input> requires = Set.of();

        private Builder(String id) {
            this.id = id;
        }

        public Builder withSeverity(Severity severity) {
            this.severity = severity;
            return this;
        }

        public Builder withTitle(String title) {
            this.title = title;
            return this;
        }

        public Builder withRationale(String rationale) {
            this.rationale = rationale;
            return this;
        }

        public Builder withRemediation(String remediation) {
            this.remediation = remediation;
            return this;
        }

        public Builder withSources(String... sources) {
            this.sources = List.of(sources);
            return this;
        }

        public Builder withScope(Scope scope) {
            this.scope = scope;
            return this;
        }

        public Builder withRequires(Input first, Input... rest) {
            this.requires = EnumSet.of(first, rest);
            return this;
        }

        public CheckMetadata build() {
            return new CheckMetadata(id, severity, title, rationale, remediation, sources, scope, requires);
        }
    }
}
