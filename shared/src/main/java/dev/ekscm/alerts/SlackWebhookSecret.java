package dev.ekscm.alerts;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.util.Objects;

/**
 * The Slack incoming-webhook URL, read from a Secrets Manager secret on first use and cached for the
 * life of the process (a Lambda's execution environment). The secret string is either the URL itself
 * or JSON {@code {"webhookUrl": "https://hooks.slack.com/services/…"}}. Read lazily, so a SnapStart
 * snapshot never holds it.
 */
public final class SlackWebhookSecret implements WebhookUrl {
    public static final String SECRET_ENV = "SLACK_WEBHOOK_SECRET_ARN";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SecretsManagerClient secrets;
    private final String secretId;
    private volatile URI cached;

    public SlackWebhookSecret(SecretsManagerClient secrets, String secretId) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.secretId = Objects.requireNonNull(secretId, "secretId");
    }

    @Override
    public URI get() {
        URI uri = cached;
        if (uri == null) {
            synchronized (this) {
                if (cached == null) {
                    cached = read();
                }
                uri = cached;
            }
        }
        return uri;
    }

    @Override
    public void invalidate() {
        cached = null;
    }

    private URI read() {
        String value;
        try {
            value = secrets.getSecretValue(b -> b.secretId(secretId)).secretString();
        } catch (SecretsManagerException e) {
            var details = e.awsErrorDetails();
            throw new IllegalStateException("cannot read the Slack webhook secret " + secretId + ": "
                    + (details == null ? e.getClass().getSimpleName() : details.errorCode() + ": " + details.errorMessage())
                    + " (does it exist, and may this role call secretsmanager:GetSecretValue on it?)");
        } catch (SdkException e) {
            throw new IllegalStateException("cannot read the Slack webhook secret " + secretId + ": " + e.getClass().getSimpleName());
        }
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("Slack webhook secret " + secretId + " has no secret string");
        }
        String url = value.trim();
        if (url.startsWith("{")) {
            try {
                JsonNode node = JSON.readTree(url).path("webhookUrl");
                url = node.isString() ? node.stringValue().trim() : "";
            } catch (JacksonException e) {
                url = "";
            }
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null
                || !("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))) {
            // Never echo the value: it may be the webhook URL, slightly malformed.
            throw new IllegalStateException("Slack webhook secret " + secretId
                    + " holds neither a webhook URL nor JSON {\"webhookUrl\": \"https://hooks.slack.com/services/...\"}");
        }
        return uri;
    }

    @Override
    public String toString() {
        return "SlackWebhookSecret[" + secretId + "]";
    }
}
