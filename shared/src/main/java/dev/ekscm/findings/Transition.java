package dev.ekscm.findings;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The latest transition of a finding and its outbox state.
 *
 * @param runId        the run that observed the transition
 * @param at           when that run started (the observation time)
 * @param alertSentTo  names of the notifiers that delivered it so far
 * @param supersedes   earlier transitions of the same finding that were still PENDING when this one
 *                     replaced them: they are reported with this one instead of being lost
 */
public record Transition(TransitionType type, String runId, Instant at, AlertState alertState,
                         Set<String> alertSentTo, Optional<Instant> alertSentAt, List<TransitionType> supersedes) {
    public Transition {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(alertState, "alertState");
        alertSentTo = Set.copyOf(new TreeSet<>(alertSentTo));
        Objects.requireNonNull(alertSentAt, "alertSentAt");
        supersedes = List.copyOf(supersedes);
    }

    public static Transition of(TransitionType type, String runId, Instant at, AlertState state,
                                List<TransitionType> supersedes) {
        return new Transition(type, runId, at, state, Set.of(), Optional.empty(), supersedes);
    }

    public Transition withAlert(AlertState state, Set<String> sentTo, Optional<Instant> sentAt) {
        return new Transition(type, runId, at, state, sentTo, sentAt, supersedes);
    }
}
