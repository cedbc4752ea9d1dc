package dev.ekscm.checks.catalog;

import dev.ekscm.checks.Check;
import dev.ekscm.checks.CheckContext;
import dev.ekscm.checks.CheckMetadata;
import dev.ekscm.checks.Verdicts;
import dev.ekscm.model.CheckResult;
import dev.ekscm.model.Input;
import dev.ekscm.model.ResourceRef;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Severity;
import dev.ekscm.model.aws.Ec2Instance;
import dev.ekscm.model.aws.LaunchTemplateRef;
import dev.ekscm.model.aws.LaunchTemplateVersion;
import dev.ekscm.model.aws.MetadataOptions;
import dev.ekscm.model.aws.Nodegroup;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * Node instances, and the launch template versions managed nodegroups launch them from, require
 * IMDSv2 with a hop limit of 1 (or turn the metadata endpoint off), so pods cannot borrow the node
 * role. Unset options take the EC2 defaults (tokens optional, hop limit 1, endpoint enabled).
 */
public final class NodeImdsV2HopLimit implements Check {
    private static final CheckMetadata METADATA = CheckMetadata.builder("node-imds-v2-hop-limit")
            .withSeverity(Severity.HIGH)
            .withTitle("Nodes require IMDSv2 with a hop limit of 1")
            .withRationale("Any pod that reaches the instance metadata service gets the node IAM role's "
                    + "credentials (ECR, EC2 and CNI permissions, often more). IMDSv1 answers any request, including "
                    + "SSRF; IMDSv2 with HttpPutResponseHopLimit=1 stops the token response at the node, so pods "
                    + "outside the host network cannot use it.")
            .withRemediation("For running nodes: `aws ec2 modify-instance-metadata-options --instance-id ID "
                    + "--http-tokens required --http-put-response-hop-limit 1 --http-endpoint enabled`; for "
                    + "nodegroups: a new launch template version with MetadataOptions {HttpTokens: required, "
                    + "HttpPutResponseHopLimit: 1}, then `aws eks update-nodegroup-version --launch-template "
                    + "id=lt-…,version=N`. Pods that need AWS access use IRSA or EKS Pod Identity.")
            .withSources("seed: protect the node IAM role", "EKS Best Practices: restrict access to the instance "
                    + "metadata service")
            .withScope(Scope.NODES)
            .withRequires(Input.INSTANCES)
            .build();

    @Override
    public CheckMetadata metadata() {
        return METADATA;
    }

    @Override
    public List<CheckResult> evaluate(CheckContext context) {
        var verdicts = new Verdicts(METADATA);
        for (Ec2Instance instance : context.aws().instances()) {
            if (instance.isRunning()) {
                judge(verdicts, ResourceRef.aws("Instance", instance.instanceId()),
                        "node instance " + instance.instanceId(), instance.metadataOptions());
            }
        }
        if (context.has(Input.LAUNCH_TEMPLATES) && context.has(Input.NODEGROUPS)) {
            var used = new LinkedHashMap<LaunchTemplateVersion, List<String>>();
            for (Nodegroup ng : context.aws().nodegroups()) {
                ng.launchTemplate().flatMap(ref -> resolve(ref, context.aws().launchTemplateVersions()))
                        .ifPresent(v -> used.computeIfAbsent(v, k -> new ArrayList<>()).add(ng.name()));
            }
            used.forEach((v, nodegroups) -> judge(verdicts,
                    ResourceRef.aws("LaunchTemplate", v.launchTemplateId() + ":" + v.versionNumber()),
                    "launch template " + v.launchTemplateId() + nameOf(v) + " version " + v.versionNumber()
                            + " (used by nodegroup " + String.join(", ", nodegroups) + ")",
                    v.metadataOptions().orElse(MetadataOptions.unset())));
        }
        return verdicts.list();
    }

    private static String nameOf(LaunchTemplateVersion v) {
        return v.launchTemplateName().isBlank() ? "" : " (" + v.launchTemplateName() + ")";
    }

    private static void judge(Verdicts verdicts, ResourceRef ref, String what, MetadataOptions options) {
        String evidence = options.describe();
        if (!options.endpointEnabled()) {
            verdicts.pass(ref, what + " has the metadata endpoint disabled", evidence);
            return;
        }
        var problems = new ArrayList<String>();
        if (!options.tokensRequired()) {
            problems.add("HttpTokens=" + options.httpTokens().orElse("optional (default)")
                    + " allows IMDSv1 without a token");
        }
        if (options.effectiveHopLimit() > 1) {
            problems.add("HttpPutResponseHopLimit=" + options.effectiveHopLimit()
                    + " lets pods fetch IMDSv2 tokens through the node");
        }
        if (problems.isEmpty()) {
            verdicts.pass(ref, what + " requires IMDSv2 with hop limit 1", evidence);
        } else {
            verdicts.fail(ref, METADATA.defaultSeverity(), what + ": " + String.join("; ", problems), evidence);
        }
    }

    /**
     * The version a nodegroup launches from: a number, {@code $Default} (or none) for the default
     * version, {@code $Latest} for the highest; the template by id, else by name.
     */
    static Optional<LaunchTemplateVersion> resolve(LaunchTemplateRef ref, List<LaunchTemplateVersion> versions) {
        var ofTemplate = versions.stream()
                .filter(v -> ref.id().map(id -> id.equals(v.launchTemplateId()))
                        .orElseGet(() -> ref.name().map(n -> n.equals(v.launchTemplateName())).orElse(false)))
                .toList();
        String version = ref.version().filter(s -> !s.isBlank()).orElse("$Default");
        if (version.equalsIgnoreCase("$Latest")) {
            return ofTemplate.stream().max(Comparator.comparingLong(LaunchTemplateVersion::versionNumber));
        }
        if (version.equalsIgnoreCase("$Default")) {
            return ofTemplate.stream().filter(LaunchTemplateVersion::defaultVersion).findFirst();
        }
        try {
            long number = Long.parseLong(version.trim());
            return ofTemplate.stream().filter(v -> v.versionNumber() == number).findFirst();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
