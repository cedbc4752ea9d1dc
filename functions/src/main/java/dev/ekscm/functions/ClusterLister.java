package dev.ekscm.functions;

import java.util.List;

/** Lists the EKS clusters of one account and region (the scheduled sweep). */
public interface ClusterLister {
    List<String> clusters(String account, String region);
}
