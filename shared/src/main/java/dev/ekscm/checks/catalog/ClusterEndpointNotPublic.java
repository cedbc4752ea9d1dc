package dev.ekscm.checks.catalog;

import dev.ekscm.checks.CheckContext;
import dev.ekscm.checks.CheckMetadata;
import dev.ekscm.checks.ClusterConfigCheck;
import dev.ekscm.checks.Verdicts;
import dev.ekscm.model.Input;
import dev.ekscm.model.ResourceRef;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Severity;
import dev.ekscm.model.aws.EksCluster;

import java.util.List;

/** The Kubernetes API endpoint is not open to the whole internet. */
public final class ClusterEndpointNotPublic extends ClusterConfigCheck {
    private static final List<String> WORLD = List.of("0.0.0.0/0", "::/0");

    private static final CheckMetadata METADATA = CheckMetadata.builder("cluster-endpoint-not-public")
            .withSeverity(Severity.HIGH)
            .withTitle("The cluster API endpoint is not open to the internet")
            .withRationale("A public endpoint open to 0.0.0.0/0 lets anyone on the internet reach the Kubernetes "
                    + "API server: one leaked credential, an unauthenticated API vulnerability or a misconfigured "
                    + "anonymous binding is then directly exploitable.")
            .withRemediation("Turn on the private endpoint and either turn off the public one or restrict it to "
                    + "your networks: `aws eks update-cluster-config --name CLUSTER --resources-vpc-config "
                    + "endpointPrivateAccess=true,endpointPublicAccess=false` (or "
                    + "`endpointPublicAccess=true,publicAccessCidrs=203.0.113.0/24`).")
            .withSources("EKS Best Practices: cluster access", "AWS Security Hub EKS.1")
            .withScope(Scope.CLUSTER_CONFIG)
            .withRequires(Input.EKS_CLUSTER)
            .build();

    public ClusterEndpointNotPublic() {
        super(METADATA);
    }

    @Override
    protected void judge(EksCluster c, CheckContext context, Verdicts verdicts) {
        ResourceRef ref = ResourceRef.cluster(c.name());
        String evidence = "endpointPublicAccess=" + c.endpointPublicAccess() + ", endpointPrivateAccess="
                + c.endpointPrivateAccess() + ", publicAccessCidrs=" + c.publicAccessCidrs();
        if (!c.endpointPublicAccess()) {
            verdicts.pass(ref, "the API endpoint of " + c.name() + " is private only", evidence);
            return;
        }
        var open = c.publicAccessCidrs().stream().filter(WORLD::contains).toList();
        if (open.isEmpty()) {
            verdicts.pass(ref, "the public API endpoint of " + c.name() + " is restricted to "
                    + c.publicAccessCidrs(), evidence);
        } else {
            verdicts.fail(ref, METADATA.defaultSeverity(), "the API endpoint of " + c.name()
                    + " is public and open to " + String.join(" and ", open)
                    + (c.endpointPrivateAccess() ? "" : " (and the private endpoint is off)"), evidence);
        }
    }
}
