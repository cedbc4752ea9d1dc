package dev.ekscm.collect;

import dev.ekscm.model.BadInputException;
import dev.ekscm.model.ClusterSnapshot.CollectionProblem;
import dev.ekscm.model.Input;
import dev.ekscm.model.aws.EksCluster;
import dev.ekscm.model.k8s.KubernetesState;
import dev.ekscm.model.k8s.KubernetesStateBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.OAuthTokenProvider;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * Reads the Kubernetes objects the checks need with list calls only: {@code limit} 500 and
 * {@code continue}, never one GET per object, only the kinds the {@link CollectionPlan} needs, a
 * bounded number of lists in parallel. Secrets are never listed (the RBAC the monitor is granted
 * does not allow it either).
 *
 * <p>Failures are findings, not crashes. When the API as a whole cannot be used (401, every list
 * forbidden, DNS, connection refused, TLS, timeout) the result holds one problem with
 * {@code kubernetesUnreachable}, the reason and the onboarding hint, and no Kubernetes input. A
 * 403 on one kind makes only that kind's input unavailable. A 404 means the API is not served
 * (Calico not installed, ValidatingAdmissionPolicy on a cluster older than 1.30): no objects.
 */
public final class KubernetesCollector {

    /**
     * What the collector may list, as {@code apiGroup/resource} (core group empty): the read-only
     * RBAC the monitor needs in each cluster (verb {@code list} only). No Secrets.
     */
    public static final List<String> LISTED_RESOURCES = List.of(
            "/namespaces", "/pods", "/replicationcontrollers", "/serviceaccounts",
            "apps/deployments", "apps/statefulsets", "apps/daemonsets", "apps/replicasets",
            "batch/jobs", "batch/cronjobs", "networking.k8s.io/networkpolicies",
            "rbac.authorization.k8s.io/roles", "rbac.authorization.k8s.io/clusterroles",
            "rbac.authorization.k8s.io/rolebindings", "rbac.authorization.k8s.io/clusterrolebindings",
            "admissionregistration.k8s.io/validatingwebhookconfigurations",
            "admissionregistration.k8s.io/validatingadmissionpolicies",
            "admissionregistration.k8s.io/validatingadmissionpolicybindings",
            "projectcalico.org/globalnetworkpolicies", "projectcalico.org/networkpolicies", "projectcalico.org/tiers",
            "crd.projectcalico.org/globalnetworkpolicies", "crd.projectcalico.org/networkpolicies",
            "crd.projectcalico.org/tiers");

    /** Page size, parallelism and timeouts. */
    public record Settings(long pageSize, int parallelism, Duration connectTimeout, Duration requestTimeout, int retries) {
        public static Settings defaults() {
            return new Settings(500, 4, Duration.ofSeconds(10), Duration.ofSeconds(30), 2);
        }

        public Settings withTimeouts(Duration connect, Duration request) {
            return new Settings(pageSize, parallelism, connect, request, retries);
        }

        public Settings withRetries(int n) {
            return new Settings(pageSize, parallelism, connectTimeout, requestTimeout, n);
        }
    }

    /** The Kubernetes objects read, the inputs they make up, what could not be read. */
    public record Result(KubernetesState state, Set<Input> available, List<CollectionProblem> problems) {
        public Result {
            available = available.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(available));
            problems = List.copyOf(problems);
        }

        public boolean reachable() {
            return problems.stream().noneMatch(CollectionProblem::kubernetesUnreachable);
        }
    }

    /** One kind the collector lists. */
    record Kind(String name, Input input,
                BiFunction<KubernetesClient, ListOptions, KubernetesResourceList<? extends HasMetadata>> list) {
    }

    static final List<Kind> KINDS = List.of(
            kind("Namespace", Input.K8S_NAMESPACES, (c, o) -> c.namespaces().list(o)),
            kind("Pod", Input.K8S_WORKLOADS, (c, o) -> c.resources(Pod.class).inAnyNamespace().list(o)),
            kind("Deployment", Input.K8S_WORKLOADS, (c, o) -> c.resources(Deployment.class).inAnyNamespace().list(o)),
            kind("StatefulSet", Input.K8S_WORKLOADS, (c, o) -> c.resources(StatefulSet.class).inAnyNamespace().list(o)),
            kind("DaemonSet", Input.K8S_WORKLOADS, (c, o) -> c.resources(DaemonSet.class).inAnyNamespace().list(o)),
            kind("ReplicaSet", Input.K8S_WORKLOADS, (c, o) -> c.resources(ReplicaSet.class).inAnyNamespace().list(o)),
            kind("Job", Input.K8S_WORKLOADS, (c, o) -> c.resources(Job.class).inAnyNamespace().list(o)),
            kind("CronJob", Input.K8S_WORKLOADS, (c, o) -> c.resources(CronJob.class).inAnyNamespace().list(o)),
            kind("ReplicationController", Input.K8S_WORKLOADS,
                    (c, o) -> c.resources(ReplicationController.class).inAnyNamespace().list(o)),
            kind("NetworkPolicy", Input.K8S_NETWORK_POLICIES, (c, o) -> c.resources(NetworkPolicy.class).inAnyNamespace().list(o)),
            kind("Role", Input.K8S_RBAC, (c, o) -> c.resources(Role.class).inAnyNamespace().list(o)),
            kind("ClusterRole", Input.K8S_RBAC, (c, o) -> c.resources(ClusterRole.class).list(o)),
            kind("RoleBinding", Input.K8S_RBAC, (c, o) -> c.resources(RoleBinding.class).inAnyNamespace().list(o)),
            kind("ClusterRoleBinding", Input.K8S_RBAC, (c, o) -> c.resources(ClusterRoleBinding.class).list(o)),
            kind("ServiceAccount", Input.K8S_SERVICE_ACCOUNTS, (c, o) -> c.resources(ServiceAccount.class).inAnyNamespace().list(o)),
            kind("ValidatingWebhookConfiguration", Input.K8S_ADMISSION,
                    (c, o) -> c.resources(ValidatingWebhookConfiguration.class).list(o)),
            kind("ValidatingAdmissionPolicy", Input.K8S_ADMISSION,
                    (c, o) -> c.resources(ValidatingAdmissionPolicy.class).list(o)),
            kind("ValidatingAdmissionPolicyBinding", Input.K8S_ADMISSION,
                    (c, o) -> c.resources(ValidatingAdmissionPolicyBinding.class).list(o)));

    /**
     * Calico's API groups, preferred first: the API server's projectcalico.org/v3 presents the
     * same policies that crd.projectcalico.org/v1 stores, so only the first group served is read.
     */
    static final List<String> CALICO_GROUP_VERSIONS = List.of("projectcalico.org/v3", "crd.projectcalico.org/v1");
    static final Map<String, String> CALICO_PLURALS = Map.of(
            "GlobalNetworkPolicy", "globalnetworkpolicies", "NetworkPolicy", "networkpolicies", "Tier", "tiers");

    private final KubernetesClient client;
    private final Settings settings;
    private final ApiCallCounter counter;
    private final String hint;

    /**
     * @param hint what to do when the API cannot be used, e.g. {@link #onboardingHint(String)}
     */
    public KubernetesCollector(KubernetesClient client, Settings settings, ApiCallCounter counter, String hint) {
        this.client = client;
        this.settings = settings;
        this.counter = counter;
        this.hint = hint;
    }

    public static String onboardingHint(String clusterName) {
        return "grant the monitor's role an EKS access entry mapped to the ekscm-reader group: ekscm onboard --cluster "
                + clusterName;
    }

    /**
     * A client for an EKS cluster: endpoint and CA from DescribeCluster, the EKS bearer token
     * (renewed through the provider), nothing from any local kubeconfig; JDK HTTP client.
     */
    public static KubernetesClient clientFor(EksCluster cluster, OAuthTokenProvider tokens, Settings settings) {
        String endpoint = cluster.endpoint().orElseThrow(() -> new BadInputException("cluster " + cluster.name()
                + " has no API endpoint yet (status " + cluster.status() + ")"));
        var builder = new ConfigBuilder(Config.empty())
                .withMasterUrl(endpoint)
                .withOauthTokenProvider(tokens);
        cluster.certificateAuthority().ifPresent(builder::withCaCertData);
        return build(tune(builder, settings).build());
    }

    /**
     * A client through a kubeconfig context (a tunnel to a private endpoint, a non-EKS cluster).
     * The context's own credentials are used; when it has none, the EKS token when given.
     */
    public static KubernetesClient clientFor(String kubeContext, Optional<OAuthTokenProvider> tokens, Settings settings) {
        Config config = Config.autoConfigure(kubeContext);
        if (config.getCurrentContext() == null || !kubeContext.equals(config.getCurrentContext().getName())) {
            String known = config.getContexts() == null ? "" : config.getContexts().stream()
                    .map(c -> c.getName()).collect(Collectors.joining(", "));
            throw new BadInputException("kube context '" + kubeContext + "' not found in the kubeconfig"
                    + (known.isEmpty() ? " (no contexts found: set KUBECONFIG)" : " (contexts: " + known + ")"));
        }
        var builder = new ConfigBuilder(config);
        boolean hasOwnCredentials = config.getOauthToken() != null || config.getAutoOAuthToken() != null
                || config.getOauthTokenProvider() != null
                || config.getClientCertData() != null || config.getClientCertFile() != null
                || config.getAuthProvider() != null
                || config.getUsername() != null;
        if (!hasOwnCredentials) {
            tokens.ifPresent(builder::withOauthTokenProvider);
        }
        return build(tune(builder, settings).build());
    }

    private static ConfigBuilder tune(ConfigBuilder builder, Settings settings) {
        return builder
                .withConnectionTimeout((int) settings.connectTimeout().toMillis())
                .withRequestTimeout((int) settings.requestTimeout().toMillis())
                .withRequestRetryBackoffLimit(settings.retries())
                .withRequestRetryBackoffInterval(500)
                .withMaxConcurrentRequests(Math.max(settings.parallelism(), 1) * 2)
                .withMaxConcurrentRequestsPerHost(Math.max(settings.parallelism(), 1) * 2);
    }

    private static KubernetesClient build(Config config) {
        return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory()).build();
    }

    /** Lists the kinds the plan needs and sorts the objects into a {@link KubernetesState}. */
    public Result collect(CollectionPlan plan) {
        Set<Input> wanted = plan.kubernetesInputs();
        if (wanted.isEmpty()) {
            return new Result(KubernetesState.empty(), Set.of(), List.of());
        }
        var tasks = new ArrayList<Task>();
        KINDS.stream().filter(k -> wanted.contains(k.input())).forEach(k -> tasks.add(new Task(k.name(), k.input(), k)));
        if (wanted.contains(Input.K8S_CALICO_POLICIES)) {
            tasks.add(new Task("Calico", Input.K8S_CALICO_POLICIES, null));
        }
        var abort = new AtomicReference<String>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(settings.parallelism(), tasks.size())), r -> {
            Thread t = new Thread(r, "ekscm-k8s-list");
            t.setDaemon(true);
            return t;
        });
        try {
            var futures = new ArrayList<Future<?>>();
            for (Task task : tasks) {
                futures.add(pool.submit(() -> task.run(abort)));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("listing failed unexpectedly", e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while listing Kubernetes objects", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return assemble(tasks, abort.get());
    }

    private Result assemble(List<Task> tasks, String unreachable) {
        boolean allForbidden = tasks.stream().allMatch(t -> t.forbidden != null);
        if (unreachable != null || allForbidden) {
            String reason = unreachable != null ? unreachable
                    : "every list call was forbidden (HTTP 403): the monitor is authenticated but granted no read access";
            return new Result(KubernetesState.empty(), Set.of(), List.of(new CollectionProblem(Input.Source.KUBERNETES,
                    "kubernetes API " + client.getMasterUrl(), reason + "; " + hint, true)));
        }
        var problems = new ArrayList<CollectionProblem>();
        var failedInputs = EnumSet.noneOf(Input.class);
        var builder = new KubernetesStateBuilder();
        for (Task t : tasks) {
            if (t.forbidden != null || t.error != null) {
                failedInputs.add(t.input);
                problems.add(new CollectionProblem(Input.Source.KUBERNETES, "kubernetes:list " + t.label,
                        t.forbidden != null ? t.forbidden : t.error, false));
            }
        }
        var available = EnumSet.noneOf(Input.class);
        for (Task t : tasks) {
            if (!failedInputs.contains(t.input)) {
                available.add(t.input);
                t.items.forEach(builder::add);
            }
        }
        return new Result(builder.build(), available, problems);
    }

    /** Listing of one kind (or of Calico's kinds), with its outcome. */
    private final class Task {
        final String label;
        final Input input;
        final Kind kind;
        final List<HasMetadata> items = Collections.synchronizedList(new ArrayList<>());
        volatile String forbidden;
        volatile String error;

        Task(String label, Input input, Kind kind) {
            this.label = label;
            this.input = input;
            this.kind = kind;
        }

        void run(AtomicReference<String> abort) {
            if (abort.get() != null) {
                return;
            }
            try {
                if (kind != null) {
                    listAll(kind.name(), kind.list(), abort);
                } else {
                    listCalico(abort);
                }
            } catch (KubernetesClientException e) {
                classify(e, abort);
            } catch (RuntimeException e) {
                if (isConnectionFailure(e)) {
                    abort.compareAndSet(null, reasonOf(e));
                } else {
                    error = rootMessage(e);
                }
            }
        }

        private void classify(KubernetesClientException e, AtomicReference<String> abort) {
            int code = e.getCode();
            if (code == 401) {
                abort.compareAndSet(null, "the API server rejected the monitor's credentials (HTTP 401 Unauthorized)");
            } else if (code == 403) {
                forbidden = "forbidden (HTTP 403): the monitor's Kubernetes group may not list " + label
                        + (e.getStatus() != null && e.getStatus().getMessage() != null ? ": " + e.getStatus().getMessage() : "");
            } else if (code == 0 || isConnectionFailure(e)) {
                abort.compareAndSet(null, reasonOf(e));
            } else {
                error = "HTTP " + code + ": " + (e.getStatus() != null && e.getStatus().getMessage() != null
                        ? e.getStatus().getMessage() : rootMessage(e));
            }
        }

        private void listAll(String name, BiFunction<KubernetesClient, ListOptions, KubernetesResourceList<? extends HasMetadata>> list,
                             AtomicReference<String> abort) {
            String cont = null;
            boolean restarted = false;
            var buffer = new ArrayList<HasMetadata>();
            do {
                if (abort.get() != null) {
                    return;
                }
                ListOptions options = new ListOptionsBuilder().withLimit(settings.pageSize()).withContinue(cont).build();
                counter.kubernetes("list", name);
                KubernetesResourceList<? extends HasMetadata> page;
                try {
                    page = list.apply(client, options);
                } catch (KubernetesClientException e) {
                    if (e.getCode() == 404) {
                        return; // the API is not served here: no such objects
                    }
                    if (e.getCode() == 410 && cont != null && !restarted) {
                        // the continue token expired (a very long listing): start this kind again, once
                        restarted = true;
                        buffer.clear();
                        cont = null;
                        continue;
                    }
                    throw e;
                }
                if (page == null) {
                    return;
                }
                buffer.addAll(page.getItems());
                cont = page.getMetadata() == null ? null : page.getMetadata().getContinue();
            } while (cont != null && !cont.isEmpty());
            items.addAll(buffer);
        }

        /** Calico: the first API group served, all of its policy kinds; 404 = not installed. */
        private void listCalico(AtomicReference<String> abort) {
            for (String groupVersion : CALICO_GROUP_VERSIONS) {
                counter.kubernetes("discover", groupVersion);
                APIResourceList resources;
                try {
                    resources = client.getApiResources(groupVersion);
                } catch (KubernetesClientException e) {
                    if (e.getCode() == 404) {
                        continue;
                    }
                    throw e;
                }
                if (resources == null || resources.getResources() == null || resources.getResources().isEmpty()) {
                    continue;
                }
                var served = resources.getResources().stream().map(APIResource::getKind).collect(Collectors.toSet());
                int slash = groupVersion.indexOf('/');
                for (var entry : new LinkedHashMap<>(CALICO_PLURALS).entrySet()) {
                    String calicoKind = entry.getKey();
                    if (!served.contains(calicoKind)) {
                        continue;
                    }
                    var context = new ResourceDefinitionContext.Builder()
                            .withGroup(groupVersion.substring(0, slash)).withVersion(groupVersion.substring(slash + 1))
                            .withKind(calicoKind).withPlural(entry.getValue())
                            .withNamespaced("NetworkPolicy".equals(calicoKind)).build();
                    int before = items.size();
                    listAll(calicoKind + " (" + groupVersion + ")", (c, o) -> context.isNamespaceScoped()
                            ? c.genericKubernetesResources(context).inAnyNamespace().list(o)
                            : c.genericKubernetesResources(context).list(o), abort);
                    // list items may omit apiVersion and kind; the state builder sorts by them
                    for (HasMetadata item : items.subList(before, items.size())) {
                        if (item instanceof GenericKubernetesResource g) {
                            if (g.getApiVersion() == null) {
                                g.setApiVersion(groupVersion);
                            }
                            if (g.getKind() == null) {
                                g.setKind(calicoKind);
                            }
                        }
                    }
                }
                return;
            }
        }
    }

    static boolean isConnectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    static String reasonOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.UnknownHostException) {
                return "cannot resolve the API server's host name (" + t.getMessage() + ")";
            }
            if (t instanceof java.net.http.HttpConnectTimeoutException) {
                return "timed out connecting to the API server";
            }
            if (t instanceof java.net.http.HttpTimeoutException || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof java.net.SocketTimeoutException) {
                return "the API server did not answer in time (" + t.getMessage() + ")";
            }
            if (t instanceof java.net.ConnectException) {
                return "cannot connect to the API server (" + t.getMessage() + ")";
            }
            if (t instanceof javax.net.ssl.SSLException) {
                return "TLS with the API server failed (" + t.getMessage() + ")";
            }
        }
        return "cannot reach the API server: " + rootMessage(e);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    private static Kind kind(String name, Input input,
                             BiFunction<KubernetesClient, ListOptions, KubernetesResourceList<? extends HasMetadata>> list) {
        return new Kind(name, input, list);
    }
}
