package dev.ekscm.remediation;

import dev.ekscm.model.ClusterId;

import java.util.List;

/**
 * Where remediation records are kept, so that {@code ekscm remediation undo} knows what was
 * applied and what the previous settings were.
 *
 * <p>The DynamoDB adapter (in the findings table) stores each record as its own item under the
 * cluster's partition: {@code pk = CLUSTER#<account>#<region>#<name>},
 * {@code sk = REMEDIATION#<at ISO-8601>#<remediation-id>#<target>}, with every field of the record
 * (finding keys as a string list, before/after as strings, verification), and {@link #records}
 * is one Query on {@code begins_with(sk, "REMEDIATION#")} (ascending = oldest first). No TTL on
 * APPLIED records while their target still carries the change (undo needs the previous values).
 * The engine also writes the latest record of each finding key into that finding item's
 * {@code remediation} attribute ({@code FindingsTableSchema.Attr.REMEDIATION}, which reconciliation
 * leaves alone): outcome, mode, target, at, verification, record sort key.
 */
public interface RemediationLog {
    void append(List<RemediationRecord> records);

    /** Every record of the cluster, oldest first. */
    List<RemediationRecord> records(ClusterId cluster);
}
