package dev.ekscm.alerts;

import java.util.List;
import java.util.Optional;

/**
 * What delivering a run's alerts did.
 *
 * @param pending      transitions waiting for at least one notifier when delivery started
 * @param notifiers    per notifier: transitions sent, messages, and the failure that left some pending
 * @param stillPending transitions some configured notifier has still not delivered (retried by the next run)
 * @param skipped      why nothing was attempted (no notifier configured; another run was delivering)
 */
public record AlertOutcome(int pending, List<NotifierOutcome> notifiers, int stillPending, Optional<String> skipped) {
    public AlertOutcome {
        notifiers = List.copyOf(notifiers);
    }

    public record NotifierOutcome(String notifier, int sent, int messages, Optional<String> failure) {
    }

    public static AlertOutcome skipped(int pending, String why) {
        return new AlertOutcome(pending, List.of(), pending, Optional.of(why));
    }

    public boolean allDelivered() {
        return stillPending == 0;
    }

    public int messages() {
        return notifiers.stream().mapToInt(NotifierOutcome::messages).sum();
    }
}
