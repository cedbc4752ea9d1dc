package dev.ekscm.remediation;

import dev.ekscm.model.ClusterId;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one remediation action did (or, in dry-run, would have done) to one target. Every action
 * is recorded, dry-run included; the engine stores it on the findings it names and as its own
 * item, and alerts on it.
 *
 * @param findingKeys  the findings it addresses ({@code CheckResult.findingKey()})
 * @param target       what it acted on: {@code NetworkPolicy/ns/name}, {@code GlobalNetworkPolicy/name},
 *                     {@code Tier/name}, {@code Instance/i-…}, {@code LaunchTemplate/lt-…:N}, or a workload
 * @param before       the target's state before (YAML of the object, metadata options, or {@code (absent)})
 * @param after        the state it was given, or would be given in dry-run
 * @param reason       why this outcome, in words an on-call engineer can act on
 * @param verification after APPLIED: whether the re-run check now passes for those findings
 */
public record RemediationRecord(ClusterId cluster, RemediationId remediation, List<String> findingKeys,
                                RemediationMode mode, String target, String before, String after, Outcome outcome,
                                String reason, Instant at, Optional<Verification> verification) {

    public enum Outcome {
        /** Enforced: the target was changed. */
        APPLIED,
        /** Dry-run: nothing changed; {@code after} is what enforce would set. */
        DRY_RUN,
        /** The target already was as the remediation would make it. */
        UNCHANGED,
        /** Not done automatically (it could widen access, or is not the monitor's to change): {@code reason} says what to do. */
        MANUAL,
        /** Planned while the cluster was opted in, but its tags no longer enable it at action time. */
        SKIPPED,
        /** The API call failed; {@code reason} has the error. */
        FAILED,
        /** Undone by {@code ekscm remediation undo}: the object removed or the previous settings restored. */
        REVERTED
    }

    public enum Verification {
        /** The re-run check passes (or exempts) every finding the action addressed. */
        VERIFIED,
        /** The re-run check still fails at least one of them. */
        STILL_FAILING,
        /** No recheck ran, or it did not judge these findings. */
        NOT_VERIFIED
    }

    public static final String ABSENT = "(absent)";

    public RemediationRecord {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(remediation, "remediation");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(at, "at");
        findingKeys = List.copyOf(findingKeys);
        before = before == null ? "" : before;
        after = after == null ? "" : after;
        reason = reason == null ? "" : reason;
        verification = verification == null ? Optional.empty() : verification;
    }

    /** Stable per target: {@code remediation-id#target}; later records of one target supersede earlier ones. */
    public String key() {
        return remediation.id() + "#" + target;
    }

    public RemediationRecord withVerification(Verification v, String note) {
        String r = note == null || note.isBlank() ? reason : (reason.isBlank() ? note : reason + "; " + note);
        return new RemediationRecord(cluster, remediation, findingKeys, mode, target, before, after, outcome, r, at,
                Optional.of(v));
    }

    /** One line for logs and the CLI. */
    public String summary() {
        return outcome + " " + remediation.id() + " " + target + " (" + mode.tagValue() + ")"
                + verification.map(v -> " " + v).orElse("") + (reason.isBlank() ? "" : ": " + reason);
    }
}
