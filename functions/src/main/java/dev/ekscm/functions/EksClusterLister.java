package dev.ekscm.functions;

import java.util.ArrayList;
import java.util.List;

/** EKS ListClusters, all pages, in the account's own credentials or through the member role. */
public final class EksClusterLister implements ClusterLister {
    public static final List<String> IAM_ACTIONS = List.of("eks:ListClusters");

    private final AwsClients clients;

    public EksClusterLister(AwsClients clients) {
        this.clients = clients;
    }

    @Override
    public List<String> clusters(String account, String region) {
        var names = new ArrayList<String>();
        clients.eks(account, region).listClustersPaginator(b -> b.maxResults(100)).clusters().forEach(names::add);
        return names;
    }
}
