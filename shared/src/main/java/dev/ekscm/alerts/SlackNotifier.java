package dev.ekscm.alerts;

import dev.ekscm.findings.Backoff;
import dev.ekscm.findings.Sleeper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;

/**
 * Posts alerts to a Slack incoming webhook as Block Kit messages. HTTP 429 waits as long as
 * Retry-After says (up to a bound), 5xx and I/O errors back off; a bounded number of attempts per
 * message. A 403/404/410 re-reads the webhook secret once (it may have been rotated). The webhook URL
 * never appears in a failure message, a log line or {@code toString()}.
 */
public final class SlackNotifier implements Notifier {
    public static final String NAME = "slack";

    private final WebhookUrl webhook;
    private final HttpClient http;
    private final AlertRenderer renderer;
    private final Backoff backoff;
    private final int maxAttempts;
    private final Duration maxRetryAfter;
    private final Duration timeout;

    public SlackNotifier(WebhookUrl webhook) {
        this(webhook, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), new AlertRenderer(),
                Backoff.standard(Sleeper.REAL), 4, Duration.ofSeconds(30), Duration.ofSeconds(10));
    }

    /**
     * @param maxAttempts   attempts per message (first try included)
     * @param maxRetryAfter the longest Retry-After it waits; beyond that the message stays pending for the next run
     */
    public SlackNotifier(WebhookUrl webhook, HttpClient http, AlertRenderer renderer, Backoff backoff, int maxAttempts,
                         Duration maxRetryAfter, Duration timeout) {
        this.webhook = Objects.requireNonNull(webhook, "webhook");
        this.http = Objects.requireNonNull(http, "http");
        this.renderer = Objects.requireNonNull(renderer, "renderer");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.maxAttempts = maxAttempts;
        this.maxRetryAfter = Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Delivery send(Alert alert) {
        var messages = renderer.slack(alert);
        var delivered = new HashSet<String>();
        int sent = 0;
        for (SlackMessage m : messages) {
            Optional<String> failure = post(m.payload());
            if (failure.isPresent()) {
                return Delivery.failed(delivered, sent, "Slack webhook for cluster " + alert.cluster().name()
                        + ": message " + (sent + 1) + " of " + messages.size() + " not delivered: " + failure.get());
            }
            delivered.addAll(m.transitionIds());
            sent++;
        }
        return Delivery.complete(delivered, sent);
    }

    /** Empty when Slack accepted the message, else why not (without the URL). */
    private Optional<String> post(String payload) {
        boolean reread = false;
        String last = "not attempted";
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            URI uri;
            try {
                uri = webhook.get();
            } catch (RuntimeException e) {
                return Optional.of(e.getMessage());
            }
            HttpResponse<String> response;
            try {
                response = http.send(HttpRequest.newBuilder(uri)
                                .timeout(timeout)
                                .header("Content-Type", "application/json; charset=utf-8")
                                .POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8))
                                .build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                last = "I/O error " + e.getClass().getSimpleName() + redacted(e.getMessage(), uri);
                if (attempt < maxAttempts) {
                    backoff.pause(attempt);
                }
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted");
            }
            int status = response.statusCode();
            if (status / 100 == 2) {
                return Optional.empty();
            }
            String body = redacted(response.body(), uri);
            if (status == 429) {
                Duration wait = retryAfter(response);
                last = "HTTP 429 (rate limited, Retry-After " + wait.toSeconds() + " s)";
                if (wait.compareTo(maxRetryAfter) > 0) {
                    return Optional.of(last + ": longer than the " + maxRetryAfter.toSeconds() + " s this run waits");
                }
                if (attempt < maxAttempts) {
                    backoff.sleeper().sleep(wait);
                }
            } else if (status >= 500) {
                last = "HTTP " + status + body;
                if (attempt < maxAttempts) {
                    backoff.pause(attempt);
                }
            } else if ((status == 403 || status == 404 || status == 410) && !reread) {
                // A revoked or rotated webhook: read the secret again once.
                reread = true;
                last = "HTTP " + status + body;
                webhook.invalidate();
            } else {
                return Optional.of("HTTP " + status + body + " (Slack rejected the message; check the webhook secret and the app)");
            }
        }
        return Optional.of(last + " after " + maxAttempts + " attempt(s)");
    }

    private static Duration retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After")
                .flatMap(v -> {
                    try {
                        return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v.trim()))));
                    } catch (NumberFormatException e) {
                        return Optional.empty();
                    }
                })
                .orElse(Duration.ofSeconds(1));
    }

    /**
     * A short rendering of a response body or exception message without the URL or any of its path
     * segments (the last ones are the webhook's credentials, and receivers may echo them).
     */
    private static String redacted(String text, URI uri) {
        if (text == null || text.isBlank()) {
            return "";
        }
        String s = text.replace(uri.toString(), "<webhook>");
        if (uri.getRawPath() != null) {
            for (String segment : uri.getRawPath().split("/")) {
                if (segment.length() >= 4 && !segment.equals("services")) {
                    s = s.replace(segment, "<redacted>");
                }
            }
        }
        s = s.replaceAll("https?://\\S+", "<url>").replaceAll("\\s+", " ").trim();
        return ": " + AlertRenderer.clip(s, 200);
    }

    @Override
    public String toString() {
        return "SlackNotifier[" + webhook + "]";
    }
}
