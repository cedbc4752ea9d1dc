package dev.ekscm.remediation;

import dev.ekscm.model.aws.MetadataOptions;

import java.util.Collection;
import java.util.Map;

/** Node instances' metadata options, read and changed (EC2). */
public interface InstanceMetadataSettings {

    /** An instance as it is now: state, tags (to confirm it is a node of the cluster), options. */
    record NodeInstance(String instanceId, String state, Map<String, String> tags, MetadataOptions options) {
        public NodeInstance {
            tags = Map.copyOf(tags);
        }

        public boolean running() {
            return !"terminated".equals(state) && !"shutting-down".equals(state);
        }
    }

    /** The instances that exist among these ids (missing ids are left out, never an error). */
    Map<String, NodeInstance> describe(Collection<String> instanceIds);

    /** Sets the options that are present (absent ones are not sent); returns what EC2 reports. */
    MetadataOptions modify(String instanceId, MetadataOptions options);
}
