package dev.ekscm.alerts;

import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Which notifiers a deployment uses, from the environment: {@code ALERTS_TOPIC_ARN} (SNS) and
 * {@code SLACK_WEBHOOK_SECRET_ARN} (the secret holding the Slack webhook URL; the URL itself is never
 * configured in the environment).
 */
public record AlertingConfig(Optional<String> topicArn, Optional<String> slackSecretId) {
    public static AlertingConfig fromEnvironment(Map<String, String> env) {
        return new AlertingConfig(nonBlank(env.get(SnsNotifier.TOPIC_ENV)), nonBlank(env.get(SlackWebhookSecret.SECRET_ENV)));
    }

    /** Builds the configured notifiers; a client is created only when its notifier is configured. */
    public List<Notifier> notifiers(Supplier<SnsClient> sns, Supplier<SecretsManagerClient> secrets) {
        var list = new ArrayList<Notifier>();
        topicArn.ifPresent(arn -> list.add(new SnsNotifier(sns.get(), arn)));
        slackSecretId.ifPresent(id -> list.add(new SlackNotifier(new SlackWebhookSecret(secrets.get(), id))));
        return List.copyOf(list);
    }

    private static Optional<String> nonBlank(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
    }
}
