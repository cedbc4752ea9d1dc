package dev.ekscm.alerts;

import dev.ekscm.findings.Finding;
import dev.ekscm.findings.TransitionType;
import dev.ekscm.model.ClusterId;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Snapshot tests of what subscribers receive. To accept a deliberate change, run with
 * {@code -Dekscm.updateGolden=true} and review the diff of src/test/resources/alerts.
 */
class AlertRendererTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path GOLDEN = Path.of("src/test/resources/alerts");
    private final AlertRenderer renderer = new AlertRenderer();

    private static void assertMatchesGolden(String actualJson, String file) throws IOException {
        JsonNode actual = JSON.readTree(actualJson);
        String pretty = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(actual) + "\n";
        Path path = GOLDEN.resolve(file);
        if (Boolean.getBoolean("ekscm.updateGolden")) {
            Files.writeString(path, pretty, StandardCharsets.UTF_8);
        }
        assertThat(path).as("golden file %s (create it with -Dekscm.updateGolden=true)", path).exists();
        String expected = Files.readString(path, StandardCharsets.UTF_8);
        assertThat(pretty).isEqualTo(expected);
    }

    @Test
    void sns_body_should_match_the_golden_file() throws IOException {
        var messages = renderer.sns(SampleAlerts.mixed());

        assertThat(messages).hasSize(1);
        assertMatchesGolden(messages.get(0).body(), "sns-body.json");
    }

    @Test
    void slack_payload_should_match_the_golden_file() throws IOException {
        var messages = renderer.slack(SampleAlerts.mixed());

        assertThat(messages).hasSize(1);
        assertMatchesGolden(messages.get(0).payload(), "slack-payload.json");
    }

    @Test
    void sns_subject_and_attributes_should_summarise_for_humans_and_filters() {
        var message = renderer.sns(SampleAlerts.mixed()).get(0);

        assertThat(message.subject()).isEqualTo("ekscm [CRITICAL] shop-dev eu-west-1: 1 REGRESSED, 1 NEW, 1 EXEMPTED, 1 RESOLVED");
        assertThat(message.attributes()).containsEntry("severity", new SnsMessage.Attribute("String", "CRITICAL"))
                .containsEntry("cluster", new SnsMessage.Attribute("String", "shop-dev"))
                .containsEntry("team", new SnsMessage.Attribute("String", "payments"))
                .containsEntry("transition", new SnsMessage.Attribute("String.Array", "[\"REGRESSED\",\"NEW\",\"EXEMPTED\",\"RESOLVED\"]"));
        assertThat(message.transitionIds()).hasSize(4);
    }

    @Test
    void subject_should_stay_under_100_ascii_characters_without_line_breaks() {
        String longName = "a-cluster-name-that-is-long-" + "x".repeat(72);
        var cluster = new ClusterId("111122223333", "ap-southeast-2", longName);
        var alert = SampleAlerts.mixed();
        var odd = new dev.ekscm.alerts.Alert(new ClusterId("1", "eu-west-1", "caf\u00e9\nprod"), "t", "r", alert.generatedAt(), alert.transitions());

        String subject = renderer.subject(new Alert(cluster, "t", "r", alert.generatedAt(), alert.transitions()), 2, 3);
        String oddSubject = renderer.subject(odd, 1, 1);

        assertThat(subject).hasSizeLessThan(100).startsWith("ekscm [CRITICAL] a-cluster-name").endsWith("[2/3]")
                .contains("1 REGRESSED, 1 NEW, 1 EXEMPTED, 1 RESOLVED").doesNotContain("ap-southeast-2");
        assertThat(oddSubject).matches("[\\x20-\\x7e]+").isEqualTo("ekscm [CRITICAL] caf??prod eu-west-1: 1 REGRESSED, 1 NEW, 1 EXEMPTED, 1 RESOLVED");
    }

    @Test
    void sns_should_split_an_alert_too_large_for_one_message_without_losing_or_repeating_a_transition() {
        var small = new AlertRenderer(20_000, 50, 3_000);
        var alert = SampleAlerts.many(120, 300);

        var messages = small.sns(alert);

        assertThat(messages.size()).isGreaterThan(1);
        var ids = new ArrayList<String>();
        for (int i = 0; i < messages.size(); i++) {
            var m = messages.get(i);
            assertThat(m.body().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(20_000);
            assertThat(m.subject()).endsWith("[" + (i + 1) + "/" + messages.size() + "]");
            JsonNode body = JSON.readTree(m.body());
            assertThat(body.path("part").asInt()).isEqualTo(i + 1);
            assertThat(body.path("parts").asInt()).isEqualTo(messages.size());
            ids.addAll(m.transitionIds());
        }
        assertThat(ids).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(
                alert.transitions().stream().map(Finding::transitionId).toList());
    }

    @Test
    void slack_should_split_before_50_blocks_and_3000_characters_per_section() {
        var alert = SampleAlerts.many(400, 900);

        var messages = renderer.slack(alert);

        assertThat(messages.size()).isGreaterThan(1);
        var ids = new ArrayList<String>();
        for (SlackMessage m : messages) {
            JsonNode payload = JSON.readTree(m.payload());
            JsonNode blocks = payload.path("blocks");
            assertThat(blocks.size()).isLessThanOrEqualTo(50).isEqualTo(m.blocks());
            for (JsonNode block : blocks) {
                assertThat(block.path("text").path("text").asString().length()).isLessThanOrEqualTo(3000);
            }
            assertThat(blocks.get(0).path("text").path("text").asString().length()).isLessThanOrEqualTo(150);
            ids.addAll(m.transitionIds());
        }
        assertThat(ids).doesNotHaveDuplicates().hasSize(400);
    }

    @Test
    void no_rendering_should_carry_evidence_and_slack_text_should_be_escaped() {
        var alert = SampleAlerts.mixed();
        String sns = renderer.sns(alert).get(0).body();
        String slack = renderer.slack(alert).get(0).payload();

        assertThat(sns).doesNotContain(SampleAlerts.SECRET_EVIDENCE);
        assertThat(slack).doesNotContain(SampleAlerts.SECRET_EVIDENCE);
        assertThat(slack).contains("verbs &lt;*&gt; on resources &lt;*&gt; &amp; more").doesNotContain("<*>");
        assertThat(List.of(TransitionType.values())).filteredOn(t -> t != TransitionType.REMEDIATED)
                .allSatisfy(t -> assertThat(slack).contains("*" + t.name() + "*"));
    }

    @Test
    void a_remediation_notice_should_render_as_remediated_in_both_formats() {
        var notice = new Alert(SampleAlerts.mixed().cluster(), "payments", "run-8", SampleAlerts.mixed().generatedAt(), List.of(
                SampleAlerts.finding("node-imds-v2-hop-limit", dev.ekscm.model.ResourceRef.of("Remediation", "", "i-0abc1"),
                        dev.ekscm.model.Scope.NODES, dev.ekscm.model.Severity.HIGH, TransitionType.REMEDIATED,
                        "imds-hop-limit ENFORCE i-0abc1: APPLIED optional/2 -> required/1", java.time.Instant.parse("2026-11-27T10:00:00Z"),
                        0, java.util.Optional.empty(), java.util.Optional.empty(), List.of())));
        assertThat(renderer.slack(notice).get(0).payload()).contains("*REMEDIATED*", ":wrench:", "i-0abc1");
        assertThat(renderer.sns(notice).get(0).body()).contains("\"REMEDIATED\"", "required/1");
    }
}
