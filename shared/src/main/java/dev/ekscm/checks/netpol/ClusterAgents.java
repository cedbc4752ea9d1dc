package dev.ekscm.checks.netpol;

import dev.ekscm.model.k8s.Workload;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Recognises the node agents that change what pods can reach: network-policy engines (Calico,
 * Cilium, the Amazon VPC CNI's network policy agent) and metadata proxies (kube2iam, kiam).
 * Looks at every DaemonSet of every namespace, system ones included.
 */
public final class ClusterAgents {
    /** The VPC CNI's node agent container; it ships with every VPC CNI since 1.14, idle unless enabled. */
    static final List<String> VPC_CNI_AGENT_NAMES = List.of("aws-eks-nodeagent", "aws-network-policy-agent");
    static final String ENABLE_FLAG = "enable-network-policy";

    /** What was found about network-policy enforcement. */
    public record EngineSearch(List<String> engines, List<String> notes) {
        public EngineSearch {
            engines = List.copyOf(engines);
            notes = List.copyOf(notes);
        }

        public boolean found() {
            return !engines.isEmpty();
        }
    }

    private ClusterAgents() {
    }

    public static EngineSearch findPolicyEngines(List<Workload> workloads) {
        var engines = new ArrayList<String>();
        var notes = new ArrayList<String>();
        for (Workload w : daemonSets(workloads)) {
            String where = "DaemonSet " + w.namespace() + "/" + w.name();
            if (w.name().equals("calico-node") || anyImage(w, "calico/node")) {
                engines.add("Calico (" + where + ")");
            } else if (w.name().equals("cilium") || anyImage(w, "cilium/cilium")) {
                engines.add("Cilium (" + where + ")");
            } else if (w.name().equals("aws-node")) {
                vpcCniNetworkPolicy(w).ifPresentOrElse(
                        how -> engines.add("Amazon VPC CNI network policy (" + where + ": " + how + ")"),
                        () -> notes.add(where + " (Amazon VPC CNI) does not enforce NetworkPolicies: "
                                + vpcCniDisabledReason(w)));
            }
        }
        return new EngineSearch(engines, notes);
    }

    /** How the aws-node DaemonSet enables network policy, or empty when it does not. */
    static Optional<String> vpcCniNetworkPolicy(Workload awsNode) {
        for (Container c : awsNode.allContainers()) {
            for (EnvVar e : nullToEmpty(c.getEnv())) {
                if ("ENABLE_NETWORK_POLICY".equals(e.getName()) && "true".equalsIgnoreCase(trim(e.getValue()))) {
                    return Optional.of("container " + c.getName() + " sets ENABLE_NETWORK_POLICY=true");
                }
            }
            if (enableFlag(c).orElse(false)) {
                return Optional.of("container " + c.getName() + " runs with --" + ENABLE_FLAG + "=true");
            }
        }
        return Optional.empty();
    }

    private static String vpcCniDisabledReason(Workload awsNode) {
        for (Container c : awsNode.allContainers()) {
            if (isVpcCniAgent(c)) {
                return "its network policy agent container " + c.getName() + " runs with "
                        + (enableFlag(c).isPresent() ? "--" + ENABLE_FLAG + "=false" : "no --" + ENABLE_FLAG
                        + " flag (default false)") + ", and no container sets ENABLE_NETWORK_POLICY=true";
            }
        }
        return "no container sets ENABLE_NETWORK_POLICY=true and there is no network policy agent container";
    }

    private static boolean isVpcCniAgent(Container c) {
        return VPC_CNI_AGENT_NAMES.contains(c.getName())
                || (c.getImage() != null && c.getImage().contains("aws-network-policy-agent"));
    }

    /**
     * The value of {@code --enable-network-policy} in a container's command and args, as Go's flag
     * package reads it: a bare flag is true, the last occurrence wins.
     */
    static Optional<Boolean> enableFlag(Container c) {
        Optional<Boolean> value = Optional.empty();
        for (String arg : Stream.concat(nullToEmpty(c.getCommand()).stream(), nullToEmpty(c.getArgs()).stream()).toList()) {
            String a = arg == null ? "" : arg.trim();
            String bare = a.startsWith("--") ? a.substring(2) : a.startsWith("-") ? a.substring(1) : null;
            if (bare == null) {
                continue;
            }
            if (bare.equals(ENABLE_FLAG)) {
                value = Optional.of(true);
            } else if (bare.startsWith(ENABLE_FLAG + "=")) {
                value = Optional.of(bare.substring(ENABLE_FLAG.length() + 1).trim().toLowerCase(Locale.ROOT)
                        .matches("true|1|t"));
            }
        }
        return value;
    }

    /**
     * A metadata proxy on every node: a kube2iam or kiam agent DaemonSet (by name, or by an image
     * of kube2iam, or of kiam run as {@code agent}). Its description, or empty.
     */
    public static Optional<String> findMetadataProxy(List<Workload> workloads) {
        for (Workload w : daemonSets(workloads)) {
            String where = "DaemonSet " + w.namespace() + "/" + w.name();
            if (w.name().equals("kube2iam") || anyImage(w, "kube2iam")) {
                return Optional.of("kube2iam (" + where + ") intercepts metadata calls on every node");
            }
            boolean kiamAgent = w.name().equals("kiam-agent") || w.allContainers().stream()
                    .anyMatch(c -> imageRepository(c).contains("kiam") && Stream.concat(
                            nullToEmpty(c.getCommand()).stream(), nullToEmpty(c.getArgs()).stream())
                            .anyMatch(a -> "agent".equals(a)));
            if (kiamAgent) {
                return Optional.of("kiam agent (" + where + ") intercepts metadata calls on every node");
            }
        }
        return Optional.empty();
    }

    private static List<Workload> daemonSets(List<Workload> workloads) {
        return workloads.stream().filter(w -> "DaemonSet".equals(w.kind())).toList();
    }

    /** True when a container's image repository (without tag or digest) ends with the given path. */
    private static boolean anyImage(Workload w, String repositorySuffix) {
        return w.allContainers().stream().map(ClusterAgents::imageRepository)
                .anyMatch(r -> r.equals(repositorySuffix) || r.endsWith("/" + repositorySuffix));
    }

    static String imageRepository(Container c) {
        String image = c.getImage() == null ? "" : c.getImage();
        int at = image.indexOf('@');
        if (at >= 0) {
            image = image.substring(0, at);
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash ? image.substring(0, colon) : image;
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }

    private static <T> List<T> nullToEmpty(List<T> l) {
        return l == null ? List.of() : l;
    }
}
