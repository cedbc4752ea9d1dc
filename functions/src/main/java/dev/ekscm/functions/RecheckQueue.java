package dev.ekscm.functions;

import dev.ekscm.routing.RecheckRequest;

import java.util.List;

/** Where recheck requests go: the FIFO queue the cluster-check function consumes. */
public interface RecheckQueue {
    /**
     * Enqueues the requests; throws when any could not be sent (the caller is retried, and the
     * deduplication id keeps a retry from enqueuing twice).
     *
     * @return how many messages were handed to the queue (repeats within the deduplication window
     *         are accepted by SQS but not delivered)
     */
    int send(List<RecheckRequest> requests);
}
