package dev.ekscm.remediation;

import dev.ekscm.model.ClusterId;
import dev.ekscm.model.aws.MetadataOptions;
import dev.ekscm.remediation.PlannedAction.ApplyObject;
import dev.ekscm.remediation.PlannedAction.Manual;
import dev.ekscm.remediation.PlannedAction.ModifyInstanceMetadata;

import java.util.List;

/** Renders a {@link RemediationPlan}: comments for people, YAML documents for the API server. */
final class PlanYaml {
    private PlanYaml() {
    }

    static String render(RemediationPlan plan) {
        var out = new StringBuilder();
        ClusterId c = plan.cluster();
        line(out, "ekscm remediation plan for cluster " + c.name()
                + (ClusterId.UNKNOWN.equals(c.account()) ? "" : " (account " + c.account() + ", region " + c.region() + ")"));
        line(out, "cluster " + plan.policy().describe());
        for (RemediationId id : RemediationId.values()) {
            line(out, id.id() + ": " + plan.policy().whyOff(id)
                    .map(why -> "would not run: " + why)
                    .orElse("would run in " + plan.policy().mode().tagValue() + " mode"
                            + (plan.policy().mode() == RemediationMode.DRY_RUN
                            ? " (records only; tag " + RemediationPolicy.MODE_TAG + "=enforce to apply)" : "")));
        }
        plan.policy().warnings().forEach(w -> line(out, "warning: " + w));
        line(out, "imds-network-policy backend: " + plan.backend().description());
        out.append("#\n");

        List<ApplyObject> objects = plan.objects();
        line(out, objects.isEmpty() ? "Kubernetes objects: none"
                : "Kubernetes objects (server-side apply, field manager " + ManagedObjects.FIELD_MANAGER
                + ", conflicts not forced): " + objects.size() + ", below");
        List<ModifyInstanceMetadata> ec2 = plan.instanceChanges();
        line(out, "EC2 calls (imds-hop-limit): " + (ec2.isEmpty() ? "none" : ec2.size()));
        for (ModifyInstanceMetadata m : ec2) {
            line(out, "  ModifyInstanceMetadataOptions InstanceId=" + m.instanceId() + " " + apiArgs(m.after()));
            line(out, "    now: " + m.before().describe() + "; fixes " + String.join(", ", m.findingKeys()));
            line(out, "    = aws ec2 modify-instance-metadata-options"
                    + (ClusterId.UNKNOWN.equals(c.region()) ? "" : " --region " + c.region())
                    + " --instance-id " + m.instanceId() + " --http-tokens required --http-put-response-hop-limit 1"
                    + " --http-endpoint enabled");
        }
        List<Manual> manual = plan.manual();
        line(out, "Manual (not applied: it could widen access, or is not the monitor's to change): "
                + (manual.isEmpty() ? "none" : manual.size()));
        for (Manual m : manual) {
            line(out, "  [" + m.remediation().id() + "] " + m.target() + ": " + m.reason());
            m.instruction().ifPresent(i -> line(out, "    do: " + i));
            if (!m.findingKeys().isEmpty()) {
                line(out, "    findings: " + String.join(", ", m.findingKeys()));
            }
        }
        if (!plan.notes().isEmpty()) {
            line(out, "Notes:");
            plan.notes().forEach(n -> line(out, "  " + n));
        }
        for (ApplyObject o : objects) {
            out.append("---\n");
            line(out, "[" + o.remediation().id() + "] "
                    + (o.findingKeys().isEmpty() ? "keeps what it applied before" : "fixes " + o.findingKeys().size()
                    + " finding" + (o.findingKeys().size() == 1 ? "" : "s")));
            out.append(ManagedObjects.toYaml(o.object()));
        }
        return out.toString();
    }

    static String apiArgs(MetadataOptions o) {
        return "HttpTokens=" + o.httpTokens().orElse("(unchanged)") + " HttpPutResponseHopLimit="
                + o.httpPutResponseHopLimit().map(String::valueOf).orElse("(unchanged)") + " HttpEndpoint="
                + o.httpEndpoint().orElse("(unchanged)");
    }

    /** A comment line; line breaks inside the text stay inside the comment. */
    private static void line(StringBuilder out, String text) {
        for (String l : text.split("\\R", -1)) {
            out.append("# ").append(l).append('\n');
        }
    }
}
