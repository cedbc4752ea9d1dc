package dev.ekscm.alerts;

import java.util.List;

/** One incoming-webhook POST: the Block Kit JSON payload and the transitions it carries. */
public record SlackMessage(String payload, int blocks, List<String> transitionIds) {
    public SlackMessage {
        transitionIds = List.copyOf(transitionIds);
    }
}
