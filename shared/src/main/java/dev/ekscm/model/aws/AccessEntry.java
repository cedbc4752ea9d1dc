package dev.ekscm.model.aws;

import java.util.List;

/** An EKS access entry with its associated access policies. */
public record AccessEntry(String principalArn, String type, List<String> kubernetesGroups,
                          List<PolicyAssociation> policies) {
    public AccessEntry {
        kubernetesGroups = List.copyOf(kubernetesGroups);
        policies = List.copyOf(policies);
    }

    /** An associated access policy; {@code scopeType} is "cluster" or "namespace". */
    public record PolicyAssociation(String policyArn, String scopeType, List<String> namespaces) {
        public PolicyAssociation {
            namespaces = List.copyOf(namespaces);
        }

        public String policyName() {
            int slash = policyArn.lastIndexOf('/');
            return slash < 0 ? policyArn : policyArn.substring(slash + 1);
        }

        public boolean clusterScoped() {
            return "cluster".equalsIgnoreCase(scopeType);
        }
    }
}
