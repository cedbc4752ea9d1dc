package dev.ekscm.alerts;

import dev.ekscm.findings.Finding;
import dev.ekscm.findings.Timestamps;
import dev.ekscm.findings.TransitionType;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders an alert for SNS (subject, {@code ekscm.alert/v1} JSON body, message attributes) and for
 * Slack (Block Kit), splitting it into several messages only where a channel's limits demand: the SNS
 * message size, Slack's 50 blocks per message and 3000 characters per section text. Each transition
 * lands in exactly one message. Evidence is never rendered: alerts carry what is wrong and where,
 * not collected data.
 */
public final class AlertRenderer {
    public static final String SCHEMA = "ekscm.alert/v1";
    /** SNS wants a subject under 100 ASCII characters without line breaks. */
    public static final int SNS_SUBJECT_MAX = 99;
    /** SNS caps a message (body and attributes) at 256 KiB; this leaves room for attributes and envelope. */
    static final int SNS_BODY_BUDGET = 240_000;
    static final int SLACK_MAX_BLOCKS = 50;
    static final int SLACK_MAX_SECTION_CHARS = 3_000;
    static final int SLACK_MAX_HEADER_CHARS = 150;
    private static final int SLACK_MESSAGE_CHARS = 600;
    private static final int SLACK_ENTRY_CHARS = 1_500;
    private static final DateTimeFormatter SLACK_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final JsonMapper json = JsonMapper.builder().build();
    private final int snsBodyBudget;
    private final int slackMaxBlocks;
    private final int slackMaxSectionChars;

    public AlertRenderer() {
        this(SNS_BODY_BUDGET, SLACK_MAX_BLOCKS, SLACK_MAX_SECTION_CHARS);
    }

    /** Smaller limits let tests exercise splitting without thousands of transitions. */
    AlertRenderer(int snsBodyBudget, int slackMaxBlocks, int slackMaxSectionChars) {
        if (slackMaxBlocks < 3 || slackMaxSectionChars < SLACK_ENTRY_CHARS + 100) {
            throw new IllegalArgumentException("Slack limits too small to hold one transition");
        }
        this.snsBodyBudget = snsBodyBudget;
        this.slackMaxBlocks = slackMaxBlocks;
        this.slackMaxSectionChars = slackMaxSectionChars;
    }

    // ---------------------------------------------------------------- SNS

    public List<SnsMessage> sns(Alert alert) {
        var parts = new ArrayList<List<Finding>>();
        var current = new ArrayList<Finding>();
        int size = 0;
        int budget = snsBodyBudget - 2_048; // the envelope around the transitions
        for (Finding f : alert.transitions()) {
            int bytes = json.writeValueAsString(transitionNode(f)).getBytes(StandardCharsets.UTF_8).length + 1;
            if (!current.isEmpty() && size + bytes > budget) {
                parts.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(f);
            size += bytes;
        }
        parts.add(current);
        var messages = new ArrayList<SnsMessage>();
        for (int i = 0; i < parts.size(); i++) {
            Alert part = alert.withTransitions(parts.get(i));
            messages.add(new SnsMessage(subject(part, i + 1, parts.size()),
                    json.writeValueAsString(body(part, i + 1, parts.size())), attributes(part),
                    part.transitions().stream().map(Finding::transitionId).toList()));
        }
        return messages;
    }

    /** The {@code ekscm.alert/v1} document. */
    public ObjectNode body(Alert alert, int part, int parts) {
        ObjectNode root = json.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("cluster", alert.cluster().name());
        root.put("account", alert.cluster().account());
        root.put("region", alert.cluster().region());
        root.put("team", alert.team());
        root.put("run", alert.runId());
        root.put("generatedAt", Timestamps.format(alert.generatedAt()));
        root.put("highestSeverity", alert.highestSeverity().name());
        root.put("part", part);
        root.put("parts", parts);
        ObjectNode counts = root.putObject("counts");
        ObjectNode bySeverity = counts.putObject("bySeverity");
        alert.bySeverity().forEach((s, list) -> bySeverity.put(s.name(), list.size()));
        ObjectNode byTransition = counts.putObject("byTransition");
        alert.countsByType().forEach((t, n) -> byTransition.put(t.name(), n));
        ArrayNode transitions = root.putArray("transitions");
        alert.transitions().forEach(f -> transitions.add(transitionNode(f)));
        return root;
    }

    private ObjectNode transitionNode(Finding f) {
        ObjectNode n = json.createObjectNode();
        n.put("id", f.transitionId());
        n.put("checkId", f.checkId());
        n.put("title", f.title());
        n.put("severity", f.severity().name());
        n.put("transition", f.transition().type().name());
        n.put("status", f.status().name());
        n.put("scope", f.scope().name());
        ObjectNode resource = n.putObject("resource");
        resource.put("kind", f.resource().kind());
        resource.put("namespace", f.resource().namespace());
        resource.put("name", f.resource().name());
        n.put("message", f.message());
        f.resolution().ifPresent(r -> n.put("resolution", r));
        n.put("firstSeen", Timestamps.format(f.firstSeen()));
        f.resolvedAt().ifPresent(t -> n.put("resolvedAt", Timestamps.format(t)));
        f.timeToResolve().ifPresent(d -> n.put("timeToResolveSeconds", d.toSeconds()));
        n.put("reopenCount", f.reopenCount());
        n.put("run", f.transition().runId());
        n.put("at", Timestamps.format(f.transition().at()));
        ArrayNode supersedes = n.putArray("supersedes");
        f.transition().supersedes().forEach(t -> supersedes.add(t.name()));
        return n;
    }

    /**
     * {@code ekscm [CRITICAL] shop-dev eu-west-1: 1 REGRESSED, 2 NEW, 1 RESOLVED}, shortened (region
     * dropped, then the cluster name cut) to stay under SNS's limit; ASCII only, no line breaks.
     */
    public String subject(Alert alert, int part, int parts) {
        String counts = alert.countsByType().entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey().name()).collect(Collectors.joining(", "));
        String suffix = parts > 1 ? " [" + part + "/" + parts + "]" : "";
        String head = "ekscm [" + alert.highestSeverity().name() + "] ";
        String name = ascii(alert.cluster().name());
        String region = ascii(alert.cluster().region());
        String subject = head + name + " " + region + ": " + counts + suffix;
        if (subject.length() > SNS_SUBJECT_MAX) {
            subject = head + name + ": " + counts + suffix;
        }
        if (subject.length() > SNS_SUBJECT_MAX) {
            int keep = Math.max(1, SNS_SUBJECT_MAX - (subject.length() - name.length()) - 3);
            subject = head + name.substring(0, Math.min(keep, name.length())) + "...: " + counts + suffix;
        }
        return subject.length() > SNS_SUBJECT_MAX ? subject.substring(0, SNS_SUBJECT_MAX) : subject;
    }

    /** Attributes subscribers filter on; {@code transition} is a String.Array so a policy matches any of them. */
    public Map<String, SnsMessage.Attribute> attributes(Alert alert) {
        var attrs = new LinkedHashMap<String, SnsMessage.Attribute>();
        attrs.put("schema", new SnsMessage.Attribute("String", SCHEMA));
        attrs.put("severity", new SnsMessage.Attribute("String", alert.highestSeverity().name()));
        attrs.put("cluster", new SnsMessage.Attribute("String", alert.cluster().name()));
        attrs.put("account", new SnsMessage.Attribute("String", alert.cluster().account()));
        attrs.put("region", new SnsMessage.Attribute("String", alert.cluster().region()));
        attrs.put("team", new SnsMessage.Attribute("String", alert.team()));
        ArrayNode types = json.createArrayNode();
        alert.countsByType().keySet().forEach(t -> types.add(t.name()));
        attrs.put("transition", new SnsMessage.Attribute("String.Array", json.writeValueAsString(types)));
        return attrs;
    }

    // ---------------------------------------------------------------- Slack

    private record Section(String text, List<String> transitionIds) {
    }

    public List<SlackMessage> slack(Alert alert) {
        var sections = new ArrayList<Section>();
        alert.bySeverity().forEach((severity, list) -> {
            String heading = "*" + severity.name() + "* (" + list.size() + ")";
            var text = new StringBuilder(heading);
            var ids = new ArrayList<String>();
            for (Finding f : list) {
                String entry = entry(f);
                if (!ids.isEmpty() && text.length() + 2 + entry.length() > slackMaxSectionChars) {
                    sections.add(new Section(text.toString(), ids));
                    text = new StringBuilder(heading).append(" continued");
                    ids = new ArrayList<>();
                }
                text.append("\n\n").append(entry);
                ids.add(f.transitionId());
            }
            sections.add(new Section(text.toString(), ids));
        });
        int perMessage = slackMaxBlocks - 2; // header and context open every message
        int parts = Math.max(1, (sections.size() + perMessage - 1) / perMessage);
        var messages = new ArrayList<SlackMessage>();
        for (int i = 0; i < parts; i++) {
            var chunk = sections.subList(i * perMessage, Math.min(sections.size(), (i + 1) * perMessage));
            messages.add(slackMessage(alert, chunk, i + 1, parts));
        }
        return messages;
    }

    private SlackMessage slackMessage(Alert alert, List<Section> sections, int part, int parts) {
        ObjectNode root = json.createObjectNode();
        String summary = alert.countsByType().entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
        root.put("text", "ekscm " + alert.cluster().name() + ": " + summary + " (highest " + alert.highestSeverity() + ")");
        ArrayNode blocks = root.putArray("blocks");
        ObjectNode header = blocks.addObject();
        header.put("type", "header");
        ObjectNode headerText = header.putObject("text");
        headerText.put("type", "plain_text");
        headerText.put("text", clip("ekscm · " + alert.cluster().name() + ": " + summary
                + (parts > 1 ? " (" + part + "/" + parts + ")" : ""), SLACK_MAX_HEADER_CHARS));
        headerText.put("emoji", true);
        ObjectNode context = blocks.addObject();
        context.put("type", "context");
        ObjectNode contextText = context.putArray("elements").addObject();
        contextText.put("type", "mrkdwn");
        contextText.put("text", "*Account* " + code(alert.cluster().account()) + " · *Region* " + code(alert.cluster().region())
                + " · *Team* " + escape(alert.team()) + " · *Run* " + code(alert.runId())
                + " · highest *" + alert.highestSeverity() + "*");
        var ids = new ArrayList<String>();
        for (Section s : sections) {
            ObjectNode block = blocks.addObject();
            block.put("type", "section");
            ObjectNode text = block.putObject("text");
            text.put("type", "mrkdwn");
            text.put("text", s.text());
            ids.addAll(s.transitionIds());
        }
        return new SlackMessage(json.writeValueAsString(root), blocks.size(), ids);
    }

    private static String entry(Finding f) {
        TransitionType type = f.transition().type();
        var r = f.resource();
        String where = r.namespace().isEmpty() ? r.name() : r.namespace() + "/" + r.name();
        var details = new ArrayList<String>();
        details.add("first seen " + SLACK_TIME.format(f.firstSeen()));
        f.timeToResolve().ifPresent(d -> details.add("resolved after " + human(d)));
        if (f.reopenCount() > 0) {
            details.add("reopened " + f.reopenCount() + "×");
        }
        if (!f.transition().supersedes().isEmpty()) {
            details.add("earlier unsent: " + f.transition().supersedes().stream().map(Enum::name).collect(Collectors.joining(", ")));
        }
        var sb = new StringBuilder()
                .append(emoji(type)).append(" *").append(type.name()).append("* ")
                .append(code(f.checkId())).append(' ').append(escape(clip(f.title(), 200))).append('\n')
                .append(escape(r.kind())).append(' ').append(code(clip(where, 300))).append('\n')
                .append('>').append(escape(clip(f.message(), SLACK_MESSAGE_CHARS)).replace("\n", "\n>"));
        f.resolution().ifPresent(res -> sb.append('\n').append(":heavy_check_mark: ").append(escape(clip(res, 300)).replace("\n", " ")));
        sb.append("\n_").append(String.join(" · ", details)).append('_');
        return clip(sb.toString(), SLACK_ENTRY_CHARS);
    }

    private static String emoji(TransitionType type) {
        return switch (type) {
            case NEW -> ":new:";
            case REGRESSED -> ":rotating_light:";
            case RESOLVED -> ":white_check_mark:";
            case EXEMPTED -> ":no_bell:";
            case REMEDIATED -> ":wrench:";
        };
    }

    static String human(Duration d) {
        long days = d.toDays();
        long hours = d.toHoursPart();
        long minutes = d.toMinutesPart();
        if (days > 0) {
            return days + "d " + hours + "h";
        }
        if (hours > 0) {
            return hours + "h " + minutes + "m";
        }
        return minutes > 0 ? minutes + "m" : d.toSecondsPart() + "s";
    }

    /** Slack mrkdwn control characters. */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String code(String s) {
        return "`" + escape(s.replace('`', '\'')) + "`";
    }

    private static String ascii(String s) {
        var sb = new StringBuilder(s.length());
        s.codePoints().forEach(c -> sb.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return sb.toString();
    }

    static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
