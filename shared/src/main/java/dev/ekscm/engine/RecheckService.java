package dev.ekscm.engine;

import dev.ekscm.model.ClusterId;
import dev.ekscm.model.Scope;

import java.util.Set;

/**
 * The engine as the cluster-check function sees it: one run for one cluster over the given
 * scopes (collect what they need, evaluate, reconcile findings, alert, remediate when opted in).
 * The Lambda handler depends on this port only; the concrete service wires live collection,
 * the finding store and the notifiers.
 */
public interface RecheckService {
    /**
     * Rechecks one cluster. Throws when the run could not be completed (the cluster's requests are
     * then retried by the queue); a cluster whose Kubernetes API cannot be reached is not an error
     * here: the run records it as a finding.
     *
     * @param trigger what caused the run, e.g. {@code event:eks:UpdateClusterConfig} or {@code schedule}
     */
    RecheckOutcome recheck(ClusterId cluster, Set<Scope> scopes, String trigger);
}
