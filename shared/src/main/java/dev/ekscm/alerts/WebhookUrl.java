package dev.ekscm.alerts;

import java.net.URI;

/**
 * Where a webhook URL comes from. The URL is a credential: implementations never log it, never put it
 * in an exception message or in {@code toString()}.
 */
public interface WebhookUrl {
    URI get();

    /** Forgets a cached URL (after the receiver rejected it), so the next {@link #get()} reads it again. */
    void invalidate();
}
