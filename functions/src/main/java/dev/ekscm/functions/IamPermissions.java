package dev.ekscm.functions;

import dev.ekscm.engine.RecheckServices;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The IAM actions each function's code calls, collected from the declarations of its handler and
 * adapters (each holds its own {@code IAM_ACTIONS}). A test holds this against the roles in
 * template.yaml: every declared action granted, nothing else granted. Keys are the template's
 * function logical ids.
 */
public final class IamPermissions {
    /** Writing its own log group (the template creates the groups, so no logs:CreateLogGroup). */
    public static final List<String> LOGS = List.of("logs:CreateLogStream", "logs:PutLogEvents");

    private IamPermissions() {
    }

    public static Map<String, Set<String>> byFunction() {
        return Map.of(
                "ChangeEventsFunction", union(LOGS, ChangeEventsHandler.IAM_ACTIONS, SqsRecheckQueue.IAM_ACTIONS,
                        AwsResourceLookup.IAM_ACTIONS, AwsClients.IAM_ACTIONS),
                "ScheduledSweepFunction", union(LOGS, SqsRecheckQueue.IAM_ACTIONS, EksClusterLister.IAM_ACTIONS,
                        AwsClients.IAM_ACTIONS),
                "ClusterCheckFunction", union(LOGS, ClusterCheckHandler.IAM_ACTIONS, RecheckServices.IAM_ACTIONS));
    }

    @SafeVarargs
    private static Set<String> union(List<String>... lists) {
        return Stream.of(lists).flatMap(List::stream).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }
}
