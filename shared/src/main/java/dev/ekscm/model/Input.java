package dev.ekscm.model;

/**
 * A data set a check reads. A snapshot says which inputs it holds; a check whose required inputs
 * are absent is NOT_APPLICABLE. The collectors derive what to fetch from these.
 */
public enum Input {
    EKS_CLUSTER(Source.AWS),
    NODEGROUPS(Source.AWS),
    ACCESS_ENTRIES(Source.AWS),
    INSTANCES(Source.AWS),
    SUBNETS(Source.AWS),
    ROUTE_TABLES(Source.AWS),
    NAT_GATEWAYS(Source.AWS),
    SECURITY_GROUPS(Source.AWS),
    LAUNCH_TEMPLATES(Source.AWS),
    ECR_REPOSITORIES(Source.AWS),

    K8S_NAMESPACES(Source.KUBERNETES),
    K8S_WORKLOADS(Source.KUBERNETES),
    K8S_NETWORK_POLICIES(Source.KUBERNETES),
    K8S_CALICO_POLICIES(Source.KUBERNETES),
    K8S_RBAC(Source.KUBERNETES),
    K8S_SERVICE_ACCOUNTS(Source.KUBERNETES),
    K8S_ADMISSION(Source.KUBERNETES);

    public enum Source { AWS, KUBERNETES }

    private final Source source;

    Input(Source source) {
        this.source = source;
    }

    public Source source() {
        return source;
    }

    public boolean isKubernetes() {
        return source == Source.KUBERNETES;
    }
}
