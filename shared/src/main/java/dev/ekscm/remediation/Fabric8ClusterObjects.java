package dev.ekscm.remediation;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@link ClusterObjects} through a fabric8 client. Built-in kinds go through their typed
 * operations; Calico's through generic ones, which fabric8 resolves by API discovery.
 */
public final class Fabric8ClusterObjects implements ClusterObjects {
    static final Set<String> CALICO_RESOURCES = Set.of("tiers", "globalnetworkpolicies");

    private final KubernetesClient client;

    public Fabric8ClusterObjects(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public PolicyBackend policyBackend() {
        if (serves(PolicyBackend.CALICO_API.apiVersion())) {
            return PolicyBackend.CALICO_API;
        }
        if (serves(PolicyBackend.CALICO_CRD.apiVersion()) || crdsExist()) {
            return PolicyBackend.CALICO_CRD;
        }
        return PolicyBackend.KUBERNETES;
    }

    private boolean serves(String groupVersion) {
        try {
            APIResourceList list = client.getApiResources(groupVersion);
            if (list == null || list.getResources() == null) {
                return false;
            }
            return list.getResources().stream().map(APIResource::getName).collect(Collectors.toSet())
                    .containsAll(CALICO_RESOURCES);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private boolean crdsExist() {
        var crds = client.apiextensions().v1().customResourceDefinitions();
        return CALICO_RESOURCES.stream()
                .allMatch(r -> crds.withName(r + ".crd.projectcalico.org").get() != null);
    }

    @Override
    public List<NetworkPolicy> networkPolicies(String namespace) {
        return client.network().v1().networkPolicies().inNamespace(namespace).list().getItems();
    }

    @Override
    public Optional<GenericKubernetesResource> get(String apiVersion, String kind, String namespace, String name) {
        if (isNetworkPolicy(apiVersion, kind)) {
            return Optional.ofNullable(client.network().v1().networkPolicies().inNamespace(namespace).withName(name).get())
                    .map(ManagedObjects::toGeneric);
        }
        var op = client.genericKubernetesResources(apiVersion, kind);
        return Optional.ofNullable(namespace == null || namespace.isEmpty()
                ? op.withName(name).get() : op.inNamespace(namespace).withName(name).get());
    }

    @Override
    public GenericKubernetesResource apply(GenericKubernetesResource desired) {
        var patch = new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager(ManagedObjects.FIELD_MANAGER).withForce(false).build();
        if (isNetworkPolicy(desired.getApiVersion(), desired.getKind())) {
            NetworkPolicy typed = ManagedObjects.convert(desired, NetworkPolicy.class);
            return ManagedObjects.toGeneric(client.resource(typed).patch(patch, typed));
        }
        return client.resource(desired).patch(patch, desired);
    }

    @Override
    public List<GenericKubernetesResource> managed(PolicyBackend backend) {
        String label = ManagedObjects.MANAGED_BY_LABEL;
        var found = new ArrayList<GenericKubernetesResource>();
        client.network().v1().networkPolicies().inAnyNamespace().withLabel(label, ManagedObjects.MANAGED_BY).list()
                .getItems().forEach(p -> found.add(ManagedObjects.toGeneric(p)));
        if (backend.isCalico()) {
            for (String kind : List.of("GlobalNetworkPolicy", "Tier")) {
                found.addAll(client.genericKubernetesResources(backend.apiVersion(), kind)
                        .withLabel(label, ManagedObjects.MANAGED_BY).list().getItems());
            }
        }
        // The label selector is the server's; the check here is ours: never delete what is not labelled.
        return found.stream().filter(ManagedObjects::isManaged).toList();
    }

    @Override
    public boolean delete(GenericKubernetesResource object) {
        HasMetadata target = isNetworkPolicy(object.getApiVersion(), object.getKind())
                ? ManagedObjects.convert(object, NetworkPolicy.class) : object;
        return !client.resource(target).delete().isEmpty();
    }

    private static boolean isNetworkPolicy(String apiVersion, String kind) {
        return "NetworkPolicy".equals(kind) && apiVersion != null && apiVersion.startsWith("networking.k8s.io/");
    }
}
