package dev.ekscm.remediation;

import dev.ekscm.model.aws.MetadataOptions;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.List;
import java.util.Optional;

/** One thing a plan would do (or asks a person to do) for one target. */
public sealed interface PlannedAction {
    RemediationId remediation();

    /** The findings it addresses ({@code CheckResult.findingKey()}). */
    List<String> findingKeys();

    /** What it acts on, as records name it. */
    String target();

    /** A Kubernetes object to server-side apply (field manager {@code ekscm}, conflicts not forced). */
    record ApplyObject(RemediationId remediation, List<String> findingKeys, GenericKubernetesResource object)
            implements PlannedAction {
        public ApplyObject {
            findingKeys = List.copyOf(findingKeys);
        }

        @Override
        public String target() {
            return targetOf(object);
        }

        public String namespace() {
            String ns = object.getMetadata().getNamespace();
            return ns == null ? "" : ns;
        }

        public boolean isNetworkPolicy() {
            return "NetworkPolicy".equals(object.getKind()) && object.getApiVersion().startsWith("networking.k8s.io/");
        }
    }

    /** EC2 ModifyInstanceMetadataOptions on one node instance; {@code before} as the snapshot saw it. */
    record ModifyInstanceMetadata(RemediationId remediation, List<String> findingKeys, String instanceId,
                                  MetadataOptions before, MetadataOptions after) implements PlannedAction {
        public ModifyInstanceMetadata {
            findingKeys = List.copyOf(findingKeys);
        }

        @Override
        public String target() {
            return "Instance/" + instanceId;
        }
    }

    /**
     * Not done automatically: doing it could widen access, or the target is not the monitor's to
     * change. {@code reason} says why; {@code instruction} what a person should do.
     */
    record Manual(RemediationId remediation, List<String> findingKeys, String target, String reason,
                  Optional<String> instruction) implements PlannedAction {
        public Manual {
            findingKeys = List.copyOf(findingKeys);
        }
    }

    /** {@code Kind/namespace/name} or {@code Kind/name}. */
    static String targetOf(io.fabric8.kubernetes.api.model.HasMetadata object) {
        String ns = object.getMetadata().getNamespace();
        return object.getKind() + "/" + (ns == null || ns.isEmpty() ? "" : ns + "/") + object.getMetadata().getName();
    }
}
