package dev.ekscm.remediation;

import dev.ekscm.model.ClusterId;

import java.util.ArrayList;
import java.util.List;

/** A remediation log in memory: for tests and single-process CLI runs. Thread-safe. */
public final class InMemoryRemediationLog implements RemediationLog {
    private final List<RemediationRecord> records = new ArrayList<>();

    @Override
    public synchronized void append(List<RemediationRecord> newRecords) {
        records.addAll(newRecords);
    }

    @Override
    public synchronized List<RemediationRecord> records(ClusterId cluster) {
        return records.stream().filter(r -> r.cluster().equals(cluster)).toList();
    }
}
