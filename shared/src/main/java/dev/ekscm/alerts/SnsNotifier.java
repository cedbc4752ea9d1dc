package dev.ekscm.alerts;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.SnsException;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Objects;

/**
 * Publishes alerts to an SNS topic: JSON body {@code ekscm.alert/v1}, a readable subject, and the
 * message attributes {@code severity} (highest in the message), {@code cluster}, {@code account},
 * {@code region}, {@code team}, {@code transition} (String.Array) and {@code schema}, so
 * subscriptions can filter by team and severity. Throttling is retried by the SDK.
 */
public final class SnsNotifier implements Notifier {
    public static final String NAME = "sns";
    public static final String TOPIC_ENV = "ALERTS_TOPIC_ARN";

    private final SnsClient sns;
    private final String topicArn;
    private final AlertRenderer renderer;

    public SnsNotifier(SnsClient sns, String topicArn) {
        this(sns, topicArn, new AlertRenderer());
    }

    public SnsNotifier(SnsClient sns, String topicArn, AlertRenderer renderer) {
        this.sns = Objects.requireNonNull(sns, "sns");
        this.topicArn = Objects.requireNonNull(topicArn, "topicArn");
        this.renderer = Objects.requireNonNull(renderer, "renderer");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Delivery send(Alert alert) {
        var delivered = new HashSet<String>();
        var messages = renderer.sns(alert);
        int sent = 0;
        for (SnsMessage m : messages) {
            var attributes = new LinkedHashMap<String, MessageAttributeValue>();
            m.attributes().forEach((k, v) -> attributes.put(k,
                    MessageAttributeValue.builder().dataType(v.dataType()).stringValue(v.value()).build()));
            try {
                sns.publish(b -> b.topicArn(topicArn).subject(m.subject()).message(m.body()).messageAttributes(attributes));
            } catch (SnsException e) {
                var details = e.awsErrorDetails();
                return Delivery.failed(delivered, sent, "SNS Publish to " + topicArn + " failed ("
                        + (details == null ? e.getMessage() : details.errorCode() + ": " + details.errorMessage())
                        + "); " + (messages.size() - sent) + " of " + messages.size() + " message(s) left pending");
            } catch (SdkException e) {
                return Delivery.failed(delivered, sent, "SNS Publish to " + topicArn + " failed (" + e.getMessage()
                        + "); " + (messages.size() - sent) + " of " + messages.size() + " message(s) left pending");
            }
            delivered.addAll(m.transitionIds());
            sent++;
        }
        return Delivery.complete(delivered, sent);
    }

    @Override
    public String toString() {
        return "SnsNotifier[" + topicArn + "]";
    }
}
