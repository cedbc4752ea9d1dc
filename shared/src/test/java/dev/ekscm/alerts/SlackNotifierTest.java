package dev.ekscm.alerts;

import dev.ekscm.findings.Backoff;
import dev.ekscm.findings.CallCounter;
import dev.ekscm.findings.Finding;
import dev.ekscm.testing.AwsTestClients;
import dev.ekscm.testing.MotoServer;
import dev.ekscm.testing.MotoServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(MotoServerExtension.class)
class SlackNotifierTest {
    private static final String TOKEN = "XyZsecretTokenValue123";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SlackReceiver slack;
    private SecretsManagerClient secrets;
    private CallCounter secretCalls;
    private final List<Duration> sleeps = new ArrayList<>();

    @BeforeEach
    void setUp(MotoServer moto) throws IOException {
        slack = new SlackReceiver();
        secretCalls = new CallCounter();
        secrets = AwsTestClients.of(SecretsManagerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.addExecutionInterceptor(secretCalls)), moto);
    }

    @AfterEach
    void tearDown() {
        slack.close();
    }

    private String secret(String value) {
        String name = "slack-webhook-" + UUID.randomUUID();
        return secrets.createSecret(b -> b.name(name).secretString(value)).arn();
    }

    private SlackNotifier notifier(WebhookUrl webhook, AlertRenderer renderer) {
        return new SlackNotifier(webhook, HttpClient.newHttpClient(), renderer,
                new Backoff(Duration.ZERO, Duration.ZERO, sleeps::add), 3, Duration.ofSeconds(30), Duration.ofSeconds(5));
    }

    private SlackNotifier notifier(String secretArn) {
        return notifier(new SlackWebhookSecret(secrets, secretArn), new AlertRenderer());
    }

    private static List<String> ids(Alert alert) {
        return alert.transitions().stream().map(Finding::transitionId).toList();
    }

    @Test
    void send_should_post_block_kit_to_the_webhook_from_the_secret_and_read_the_secret_once() {
        var notifier = notifier(secret("{\"webhookUrl\": \"" + slack.url(TOKEN) + "\"}"));

        var first = notifier.send(SampleAlerts.mixed());
        var second = notifier.send(SampleAlerts.mixed());

        assertThat(first.failure()).isEmpty();
        assertThat(first.delivered()).containsExactlyInAnyOrderElementsOf(ids(SampleAlerts.mixed()));
        assertThat(second.failure()).isEmpty();
        assertThat(secretCalls.count("GetSecretValue")).isEqualTo(1);
        assertThat(slack.requests()).hasSize(2).allSatisfy(r -> {
            assertThat(r.path()).isEqualTo("/services/T0001/B0001/" + TOKEN);
            assertThat(r.contentType()).startsWith("application/json");
            JsonNode payload = JSON.readTree(r.body());
            assertThat(payload.path("blocks").get(0).path("type").asString()).isEqualTo("header");
            assertThat(payload.path("text").asString()).contains("shop-dev");
            assertThat(r.body()).contains("nodes-imds-hop-limit").contains(":rotating_light: *REGRESSED*");
        });
    }

    @Test
    void secret_holding_the_plain_url_should_work_too() {
        var delivery = notifier(secret(slack.url(TOKEN) + "\n")).send(SampleAlerts.mixed());

        assertThat(delivery.failure()).isEmpty();
        assertThat(slack.requests()).hasSize(1);
    }

    @Test
    void rate_limit_should_wait_as_long_as_retry_after_says_then_deliver() {
        slack.then(429, Map.of("Retry-After", "2"), "rate_limited");

        var delivery = notifier(secret(slack.url(TOKEN).toString())).send(SampleAlerts.mixed());

        assertThat(delivery.failure()).isEmpty();
        assertThat(delivery.messages()).isEqualTo(1);
        assertThat(sleeps).contains(Duration.ofSeconds(2));
        assertThat(slack.requests()).hasSize(2);
        assertThat(slack.requests().get(0).body()).isEqualTo(slack.requests().get(1).body());
    }

    @Test
    void rate_limit_longer_than_the_bound_should_leave_the_alert_pending() {
        slack.then(429, Map.of("Retry-After", "600"), "rate_limited");

        var delivery = notifier(secret(slack.url(TOKEN).toString())).send(SampleAlerts.mixed());

        assertThat(delivery.delivered()).isEmpty();
        assertThat(delivery.failure()).get().asString().contains("HTTP 429").contains("600 s");
        assertThat(sleeps).isEmpty();
        assertThat(slack.requests()).hasSize(1);
    }

    @Test
    void server_errors_should_be_retried_a_bounded_number_of_times_and_never_reveal_the_url() {
        String url = slack.url(TOKEN).toString();
        for (int i = 0; i < 3; i++) {
            slack.then(500, Map.of(), "internal error while posting to " + url + " (token " + TOKEN + ")");
        }
        String arn = secret(url);
        var notifier = notifier(arn);

        var delivery = notifier.send(SampleAlerts.mixed());

        assertThat(slack.requests()).hasSize(3);
        assertThat(delivery.delivered()).isEmpty();
        assertThat(delivery.failure()).get().asString().contains("HTTP 500").contains("after 3 attempt(s)")
                .doesNotContain(url).doesNotContain(TOKEN).doesNotContain("/services/");
        assertThat(notifier.toString()).contains(arn).doesNotContain(TOKEN);
        assertThat(new SlackWebhookSecret(secrets, arn).toString()).doesNotContain(TOKEN);
    }

    @Test
    void unreachable_webhook_should_fail_without_revealing_the_url() throws IOException {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort + "/services/T0001/B0001/" + TOKEN;

        var delivery = notifier(secret(url)).send(SampleAlerts.mixed());

        assertThat(delivery.failure()).get().asString().contains("I/O error").doesNotContain(TOKEN).doesNotContain(url);
    }

    @Test
    void revoked_webhook_should_reread_the_rotated_secret_once() {
        String arn = secret(slack.url("old-" + TOKEN).toString());
        var notifier = notifier(arn);
        assertThat(notifier.send(SampleAlerts.mixed()).failure()).isEmpty();
        // GIVEN the webhook was rotated: the old one now answers 404
        secrets.putSecretValue(b -> b.secretId(arn).secretString(slack.url("new-" + TOKEN).toString()));
        slack.then(404, Map.of(), "no_service");

        var delivery = notifier.send(SampleAlerts.mixed());

        assertThat(delivery.failure()).isEmpty();
        assertThat(secretCalls.count("GetSecretValue")).isEqualTo(2);
        assertThat(slack.requests()).extracting(SlackReceiver.Request::path).containsExactly(
                "/services/T0001/B0001/old-" + TOKEN, "/services/T0001/B0001/old-" + TOKEN, "/services/T0001/B0001/new-" + TOKEN);
    }

    @Test
    void secret_without_a_url_should_fail_without_echoing_its_value() {
        String arn = secret("{\"token\": \"" + TOKEN + "\"}");

        var delivery = notifier(arn).send(SampleAlerts.mixed());

        assertThat(delivery.failure()).get().asString().contains(arn).contains("webhookUrl").doesNotContain(TOKEN);
        assertThat(slack.requests()).isEmpty();
    }

    @Test
    void split_alert_should_stop_at_the_first_failed_message_and_report_what_was_delivered() {
        var renderer = new AlertRenderer(240_000, 5, 3_000);
        var alert = SampleAlerts.many(40, 900);
        var parts = renderer.slack(alert);
        assertThat(parts.size()).isGreaterThanOrEqualTo(3);
        slack.then(200, Map.of(), "ok");
        for (int i = 0; i < 3; i++) {
            slack.then(500, Map.of(), "oops");
        }

        var delivery = notifier(new SlackWebhookSecret(secrets, secret(slack.url(TOKEN).toString())), renderer).send(alert);

        assertThat(delivery.messages()).isEqualTo(1);
        assertThat(delivery.delivered()).containsExactlyInAnyOrderElementsOf(parts.get(0).transitionIds());
        assertThat(delivery.failure()).get().asString().contains("message 2 of " + parts.size());
        assertThat(slack.requests()).hasSize(4);
    }

    @Test
    void fixed_url_for_tests_should_not_show_it() {
        URI url = slack.url(TOKEN);
        WebhookUrl fixed = new WebhookUrl() {
            @Override
            public URI get() {
                return url;
            }

            @Override
            public void invalidate() {
            }

            @Override
            public String toString() {
                return "fixed webhook";
            }
        };

        assertThat(notifier(fixed, new AlertRenderer()).toString()).doesNotContain(TOKEN);
    }
}
