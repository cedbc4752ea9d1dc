package dev.ekscm.remediation;

import dev.ekscm.model.ClusterId;
import dev.ekscm.model.Input;
import dev.ekscm.remediation.PlannedAction.ApplyObject;
import dev.ekscm.remediation.PlannedAction.Manual;
import dev.ekscm.remediation.PlannedAction.ModifyInstanceMetadata;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What the remediations would do to one cluster, computed for every remediation whether or not
 * the cluster opted in (a preview says which); {@link Remediator#apply} acts only on what the
 * cluster's tags enable at that moment.
 *
 * @param collected the inputs of the snapshot it was planned from
 * @param notes     what was left alone and why (inputs not collected, instances of other clusters…)
 */
public record RemediationPlan(ClusterId cluster, RemediationPolicy policy, PolicyBackend backend,
                              List<PlannedAction> actions, List<String> notes, Set<Input> collected) {
    public RemediationPlan {
        actions = List.copyOf(actions);
        notes = List.copyOf(notes);
        collected = collected.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(collected));
    }

    public List<ApplyObject> objects() {
        return actions.stream().filter(ApplyObject.class::isInstance).map(ApplyObject.class::cast).toList();
    }

    public List<ModifyInstanceMetadata> instanceChanges() {
        return actions.stream().filter(ModifyInstanceMetadata.class::isInstance)
                .map(ModifyInstanceMetadata.class::cast).toList();
    }

    public List<Manual> manual() {
        return actions.stream().filter(Manual.class::isInstance).map(Manual.class::cast).toList();
    }

    /** The same plan with only the actions of remediations the policy enables. */
    public RemediationPlan onlyEnabled() {
        return new RemediationPlan(cluster, policy, backend,
                actions.stream().filter(a -> policy.enables(a.remediation())).toList(), notes, collected);
    }

    /**
     * The plan as YAML: exactly the Kubernetes objects that would be applied (one document each,
     * so {@code kubectl apply -f} takes the file as it is), with everything else — opt-in state,
     * EC2 calls, manual steps, notes — as comments.
     */
    public String toYaml() {
        return PlanYaml.render(this);
    }
}
