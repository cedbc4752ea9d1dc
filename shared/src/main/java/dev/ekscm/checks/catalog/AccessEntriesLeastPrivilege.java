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
import dev.ekscm.model.aws.AccessEntry;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Cluster-wide admin access policies go only to principals on the configured allow-list (ARN
 * globs with {@code *}). The cluster creator's entry gets no free pass: it is judged like any other.
 */
public final class AccessEntriesLeastPrivilege implements Check {
    static final String CLUSTER_ADMIN = "AmazonEKSClusterAdminPolicy";
    static final String ADMIN = "AmazonEKSAdminPolicy";

    private static final CheckMetadata METADATA = CheckMetadata.builder("access-entries-least-privilege")
            .withSeverity(Severity.HIGH)
            .withTitle("Only allowed principals hold cluster-wide admin access policies")
            .withRationale("AmazonEKSClusterAdminPolicy is cluster-admin on everything, and AmazonEKSAdminPolicy at "
                    + "cluster scope can read every Secret and change RBAC in every namespace. Each extra principal "
                    + "holding them is one more credential whose theft is a full cluster compromise.")
            .withRemediation("Disassociate the policy (`aws eks disassociate-access-policy --cluster-name CLUSTER "
                    + "--principal-arn ARN --policy-arn arn:aws:eks::aws:cluster-access-policy/…`) and associate a "
                    + "narrower one, e.g. AmazonEKSEditPolicy with `--access-scope type=namespace,namespaces=team-a`; "
                    + "or add the principal to the allowed admin principals if it is a break-glass role.")
            .withSources("seed: least privilege, avoid cluster-wide grants", "EKS Best Practices: identity and "
                    + "access management")
            .withScope(Scope.ACCESS)
            .withRequires(Input.ACCESS_ENTRIES)
            .build();

    @Override
    public CheckMetadata metadata() {
        return METADATA;
    }

    @Override
    public List<CheckResult> evaluate(CheckContext context) {
        var verdicts = new Verdicts(METADATA);
        List<Pattern> allowed = context.config().allowedAdminPrincipals().stream()
                .map(AccessEntriesLeastPrivilege::glob).toList();
        for (AccessEntry entry : context.aws().accessEntries()) {
            ResourceRef ref = ResourceRef.aws("AccessEntry", entry.principalArn());
            var grants = entry.policies().stream().filter(AccessEntriesLeastPrivilege::isClusterWideAdmin)
                    .map(p -> p.policyName() + " (" + (p.clusterScoped() ? "cluster" : "namespaces "
                            + p.namespaces()) + " scope)")
                    .toList();
            if (grants.isEmpty()) {
                verdicts.pass(ref, entry.principalArn() + " holds no cluster-wide admin access policy");
            } else if (allowed.stream().anyMatch(p -> p.matcher(entry.principalArn()).matches())) {
                verdicts.pass(ref, entry.principalArn() + " holds " + String.join(", ", grants)
                        + " and is an allowed admin principal");
            } else {
                verdicts.fail(ref, entry.principalArn() + " holds " + String.join(", ", grants)
                        + " but is not in the allowed admin principals");
            }
        }
        return verdicts.list();
    }

    static boolean isClusterWideAdmin(AccessEntry.PolicyAssociation p) {
        return p.policyName().equals(CLUSTER_ADMIN) || (p.policyName().equals(ADMIN) && p.clusterScoped());
    }

    static Pattern glob(String arnGlob) {
        return Pattern.compile(("\\Q" + arnGlob.trim() + "\\E").replace("*", "\\E.*\\Q"));
    }
}
