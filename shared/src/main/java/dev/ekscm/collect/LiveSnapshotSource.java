package dev.ekscm.collect;

import dev.ekscm.model.BadInputException;
import dev.ekscm.model.ClusterId;
import dev.ekscm.model.ClusterSnapshot;
import dev.ekscm.model.ClusterSnapshot.CollectionProblem;
import dev.ekscm.model.Input;
import dev.ekscm.model.aws.AwsClusterState;
import dev.ekscm.model.aws.EksCluster;
import dev.ekscm.model.k8s.KubernetesState;
import dev.ekscm.model.k8s.Workload;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.client.KubernetesClient;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Collects a live cluster into a {@link ClusterSnapshot}: AWS through the SDK (EKS, EC2), then the
 * Kubernetes API (endpoint and CA from DescribeCluster with the EKS token, or a kube context),
 * then the ECR repositories the workloads' images come from. Only what the
 * {@link CollectionPlan} needs; every API call is counted per run.
 *
 * <p>Build once and reuse (a Lambda container, SnapStart): clients are made per region on first
 * use, tokens per cluster on first use, nothing at construction.
 */
public final class LiveSnapshotSource implements AutoCloseable {
    private final AwsClientFactory aws;
    private final KubernetesCollector.Settings settings;
    private final Clock clock;
    private final Map<String, EksTokenProvider> tokens = new ConcurrentHashMap<>();

    /** A snapshot and the API calls its collection made (the JSON output's {@code "apiCalls"}). */
    public record LiveCollection(ClusterSnapshot snapshot, SortedMap<String, Integer> apiCalls) {
    }

    /** Production: default credential chain, endpoints and region as the environment says. */
    public LiveSnapshotSource() {
        this(new AwsClientFactory(), KubernetesCollector.Settings.defaults(), Clock.systemUTC());
    }

    public LiveSnapshotSource(AwsClientFactory aws, KubernetesCollector.Settings settings, Clock clock) {
        this.aws = aws;
        this.settings = settings;
        this.clock = clock;
    }

    /** The region of the environment (AWS_REGION, profile, instance metadata), for a CLI without --region. */
    public static String defaultRegion() {
        try {
            return new DefaultAwsRegionProviderChain().getRegion().id();
        } catch (RuntimeException e) {
            throw new BadInputException("no AWS region: give --region or set AWS_REGION");
        }
    }

    public LiveCollection collect(ClusterId cluster, Optional<String> kubeContext, CollectionPlan plan) {
        return collect(cluster.name(), cluster.region(), kubeContext, plan);
    }

    /**
     * Collects an EKS cluster.
     *
     * @param kubeContext a kubeconfig context that overrides how the Kubernetes API is reached
     *                    (e.g. a tunnel to a private endpoint); empty: endpoint, CA and token from EKS
     * @throws BadInputException when the cluster does not exist or the kube context is unknown
     */
    public LiveCollection collect(String clusterName, String region, Optional<String> kubeContext, CollectionPlan plan) {
        Objects.requireNonNull(clusterName, "clusterName");
        var counter = new ApiCallCounter();
        var clients = aws.forRegion(region);
        var awsCollector = new AwsCollector(clients, counter);
        AwsCollector.Result awsResult = awsCollector.collect(clusterName, plan);

        var problems = new ArrayList<>(awsResult.problems());
        var available = EnumSet.noneOf(Input.class);
        available.addAll(awsResult.available());

        KubernetesState k8s = KubernetesState.empty();
        if (plan.needsKubernetes()) {
            EksTokenProvider token = tokenFor(clusterName, region);
            KubernetesCollector.Result k = kubernetes(plan, counter, KubernetesCollector.onboardingHint(clusterName), () -> {
                if (kubeContext.isPresent()) {
                    return Optional.of(KubernetesCollector.clientFor(kubeContext.get(), Optional.of(token), settings));
                }
                Optional<EksCluster> eks = awsResult.eksCluster();
                if (eks.isEmpty() || eks.get().endpoint().isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(KubernetesCollector.clientFor(eks.get(), token, settings));
            });
            k8s = k.state();
            available.addAll(k.available());
            problems.addAll(k.problems());
        }

        AwsCollector.Result full = awsResult;
        if (plan.fetches(Input.ECR_REPOSITORIES)) {
            AwsCollector.EcrResult ecr;
            if (available.contains(Input.K8S_WORKLOADS)) {
                ecr = awsCollector.collectEcr(awsResult.cluster(), images(k8s));
            } else {
                ecr = AwsCollector.EcrResult.unavailable(new CollectionProblem(Input.Source.AWS, "ecr:DescribeRepositories",
                        "not called: which repositories the cluster uses comes from its workloads' images, which could not be read",
                        false));
            }
            full = awsResult.withEcr(ecr);
            available.addAll(ecr.available());
            problems.addAll(ecr.problems());
        }
        var snapshot = new ClusterSnapshot(awsResult.cluster(), available, full.state(), k8s, problems, full.clusterTags(),
                plan.toFetch());
        return new LiveCollection(snapshot, counter.counts());
    }

    /**
     * One cluster as the engine's snapshot port sees it ({@code collect(Set<Input>)} and
     * {@code apiCalls()} of the last collection): an engine adapter is
     * {@code new SnapshotSource() { collect(n) -> cluster.collect(n); apiCalls() -> cluster.apiCalls() }}.
     */
    public LiveCluster cluster(String clusterName, String region, Optional<String> kubeContext) {
        return new LiveCluster(this, clusterName, region, kubeContext);
    }

    /** A cluster to collect, with the API calls of its last collection. */
    public static final class LiveCluster {
        private final LiveSnapshotSource source;
        private final String name;
        private final String region;
        private final Optional<String> kubeContext;
        private volatile SortedMap<String, Integer> lastCalls = java.util.Collections.emptySortedMap();

        private LiveCluster(LiveSnapshotSource source, String name, String region, Optional<String> kubeContext) {
            this.source = source;
            this.name = name;
            this.region = region;
            this.kubeContext = kubeContext;
        }

        /** Collects the given inputs (and what locates them); see {@link CollectionPlan}. */
        public ClusterSnapshot collect(Set<Input> needed) {
            LiveCollection live = source.collect(name, region, kubeContext, new CollectionPlan(needed));
            lastCalls = live.apiCalls();
            return live.snapshot();
        }

        public SortedMap<String, Integer> apiCalls() {
            return lastCalls;
        }
    }

    /**
     * The cluster as EKS describes it now (one eks:DescribeCluster).
     *
     * @throws BadInputException when the cluster does not exist in the region
     */
    public EksCluster describeCluster(String clusterName, String region) {
        try {
            return AwsMapper.cluster(aws.forRegion(region).eks().describeCluster(r -> r.name(clusterName)).cluster());
        } catch (software.amazon.awssdk.services.eks.model.ResourceNotFoundException e) {
            throw new BadInputException("cluster '" + clusterName + "' not found in region " + region
                    + " (eks:DescribeCluster: " + e.awsErrorDetails().errorMessage() + "); check --cluster and --region", e);
        }
    }

    /**
     * A Kubernetes client for an EKS cluster, made as collection makes it: through the kube
     * context when one is given, else endpoint and CA from DescribeCluster with the EKS token. For
     * remediation, undo and onboarding; the caller closes it.
     *
     * @throws BadInputException when the cluster does not exist, has no endpoint yet, or the kube
     *                           context is unknown
     */
    public KubernetesClient kubernetesClient(String clusterName, String region, Optional<String> kubeContext) {
        if (kubeContext.isPresent()) {
            return KubernetesCollector.clientFor(kubeContext.get(), Optional.of(tokenFor(clusterName, region)), settings);
        }
        return kubernetesClient(describeCluster(clusterName, region), region, kubeContext);
    }

    /** As {@link #kubernetesClient(String, String, Optional)}, for a cluster already described. */
    public KubernetesClient kubernetesClient(EksCluster cluster, String region, Optional<String> kubeContext) {
        EksTokenProvider token = tokenFor(cluster.name(), region);
        if (kubeContext.isPresent()) {
            return KubernetesCollector.clientFor(kubeContext.get(), Optional.of(token), settings);
        }
        return KubernetesCollector.clientFor(cluster, token, settings);
    }

    /**
     * Collects only Kubernetes inputs of a cluster reached through a kube context (any cluster,
     * not only EKS); no AWS call.
     */
    public LiveCollection collectKubernetes(String kubeContext, CollectionPlan plan) {
        var counter = new ApiCallCounter();
        CollectionPlan k8sPlan = plan.kubernetesOnly();
        String hint = "check that kube context " + kubeContext + " reaches the API server and that its user is bound to the "
                + "ekscm-reader ClusterRole (deploy/)";
        KubernetesCollector.Result k = kubernetes(k8sPlan, counter, hint,
                () -> Optional.of(KubernetesCollector.clientFor(kubeContext, Optional.empty(), settings)));
        var snapshot = new ClusterSnapshot(ClusterId.offline(kubeContext), k.available(), AwsClusterState.empty(), k.state(),
                k.problems(), Map.of(), k8sPlan.toFetch());
        return new LiveCollection(snapshot, counter.counts());
    }

    private interface ClientSupplier {
        Optional<KubernetesClient> get();
    }

    private KubernetesCollector.Result kubernetes(CollectionPlan plan, ApiCallCounter counter, String hint, ClientSupplier supplier) {
        Optional<KubernetesClient> client;
        try {
            client = supplier.get();
        } catch (BadInputException e) {
            throw e;
        } catch (RuntimeException e) {
            return unreachable("cannot set up a client for the Kubernetes API: " + e.getMessage() + "; " + hint);
        }
        if (client.isEmpty()) {
            return unreachable("the API endpoint is unknown because eks:DescribeCluster could not be read; " + hint);
        }
        try (KubernetesClient c = client.get()) {
            return new KubernetesCollector(c, settings, counter, hint).collect(plan);
        }
    }

    private static KubernetesCollector.Result unreachable(String reason) {
        return new KubernetesCollector.Result(KubernetesState.empty(), Set.of(),
                List.of(new CollectionProblem(Input.Source.KUBERNETES, "kubernetes API", reason, true)));
    }

    private EksTokenProvider tokenFor(String clusterName, String region) {
        return tokens.computeIfAbsent(region + "/" + clusterName,
                k -> new EksTokenProvider(clusterName, region, aws.credentials(), aws.stsEndpoint(), clock));
    }

    /** Every container image of the workloads (init containers too). */
    static Set<String> images(KubernetesState k8s) {
        var images = new LinkedHashSet<String>();
        for (Workload w : k8s.workloads()) {
            for (Container c : w.allContainers()) {
                if (c.getImage() != null && !c.getImage().isBlank()) {
                    images.add(c.getImage());
                }
            }
        }
        return images;
    }

    /** The region's SDK clients this source uses (remediation acts through the same role and endpoints). */
    public AwsClientFactory.AwsClients awsClients(String region) {
        return aws.forRegion(region);
    }

    /**
     * A Kubernetes client for a collected EKS cluster (endpoint and CA from its DescribeCluster,
     * an EKS token), or empty when the snapshot has no endpoint. The caller closes it.
     */
    public Optional<KubernetesClient> kubernetesClientFor(ClusterSnapshot snapshot) {
        return snapshot.aws().cluster().filter(c -> c.endpoint().isPresent())
                .map(c -> kubernetesClient(c, snapshot.cluster().region(), Optional.empty()));
    }

    @Override
    public void close() {
        aws.close();
    }
}
