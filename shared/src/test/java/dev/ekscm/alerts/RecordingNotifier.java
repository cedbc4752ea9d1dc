package dev.ekscm.alerts;

import dev.ekscm.findings.Finding;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/** A notifier that records what it was asked to send and fails the first {@code failures} calls. */
final class RecordingNotifier implements Notifier {
    private final String name;
    private final AtomicInteger failures;
    final List<Alert> sent = new ArrayList<>();
    final List<Alert> attempted = new ArrayList<>();

    RecordingNotifier(String name, int failures) {
        this.name = name;
        this.failures = new AtomicInteger(failures);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized Delivery send(Alert alert) {
        attempted.add(alert);
        if (failures.getAndDecrement() > 0) {
            return Delivery.failed(Set.of(), 0, name + " is down");
        }
        sent.add(alert);
        return Delivery.complete(alert.transitions().stream().map(Finding::transitionId).collect(Collectors.toSet()), 1);
    }

    synchronized List<String> sentTransitionIds() {
        return sent.stream().flatMap(a -> a.transitions().stream()).map(Finding::transitionId).toList();
    }
}
