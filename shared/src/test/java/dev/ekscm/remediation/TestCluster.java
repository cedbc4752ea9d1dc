package dev.ekscm.remediation;

import dev.ekscm.checks.CheckConfig;
import dev.ekscm.model.ClusterId;
import dev.ekscm.model.ClusterSnapshot;
import dev.ekscm.model.Input;
import dev.ekscm.model.aws.AwsClusterState;
import dev.ekscm.model.aws.Ec2Instance;
import dev.ekscm.model.aws.MetadataOptions;
import dev.ekscm.model.k8s.KubernetesStateBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Builds the objects of a small cluster, as a snapshot and as objects to seed an API server with. */
final class TestCluster {
    static final ClusterId SHOP_DEV = new ClusterId("111122223333", "us-east-1", "shop-dev");
    static final CheckConfig CONFIG = CheckConfig.defaults(LocalDate.of(2026, 11, 1));
    static final Map<String, String> OPTED_IN_ENFORCE = Map.of(RemediationPolicy.AUTO_REMEDIATE_TAG, "all",
            RemediationPolicy.MODE_TAG, "enforce");

    private final ClusterId cluster;
    private final List<HasMetadata> objects = new ArrayList<>();
    private final List<Ec2Instance> instances = new ArrayList<>();
    private final Set<Input> available = EnumSet.of(Input.K8S_NAMESPACES, Input.K8S_WORKLOADS,
            Input.K8S_NETWORK_POLICIES);
    private Map<String, String> tags = Map.of();

    TestCluster(ClusterId cluster) {
        this.cluster = cluster;
    }

    static TestCluster shopDev() {
        return new TestCluster(SHOP_DEV);
    }

    TestCluster namespace(String name) {
        objects.add(new NamespaceBuilder().withNewMetadata().withName(name)
                .withLabels(Map.of("kubernetes.io/metadata.name", name)).endMetadata().build());
        return this;
    }

    TestCluster deployment(String ns, String name, Map<String, String> podLabels) {
        objects.add(deploymentObject(ns, name, podLabels, false, Map.of()));
        return this;
    }

    TestCluster deployment(String ns, String name) {
        return deployment(ns, name, Map.of("app", name));
    }

    TestCluster hostNetworkDeployment(String ns, String name) {
        objects.add(deploymentObject(ns, name, Map.of("app", name), true, Map.of()));
        return this;
    }

    TestCluster exemptDeployment(String ns, String name) {
        objects.add(deploymentObject(ns, name, Map.of("app", name), false,
                Map.of("ekscm.dev/exempt", RemediationPlanner.IMDS_CHECK, "ekscm.dev/exempt-reason", "reads its region")));
        return this;
    }

    TestCluster policy(NetworkPolicy policy) {
        objects.add(policy);
        return this;
    }

    TestCluster object(HasMetadata object) {
        objects.add(object);
        return this;
    }

    TestCluster instance(String id, String clusterTag, MetadataOptions options) {
        var tagMap = new HashMap<String, String>();
        if (clusterTag != null) {
            tagMap.put("eks:cluster-name", clusterTag);
        }
        instances.add(new Ec2Instance(id, "subnet-1", "vpc-1", "running", Optional.empty(), options, List.of(),
                Optional.empty(), tagMap));
        available.add(Input.INSTANCES);
        return this;
    }

    TestCluster withInput(Input input) {
        available.add(input);
        return this;
    }

    TestCluster tags(Map<String, String> clusterTags) {
        this.tags = clusterTags;
        available.add(Input.EKS_CLUSTER);
        return this;
    }

    List<HasMetadata> objects() {
        return List.copyOf(objects);
    }

    ClusterSnapshot snapshot() {
        var k8s = new KubernetesStateBuilder().addAll(objects).build();
        return new ClusterSnapshot(cluster, available, AwsClusterState.empty().withInstances(instances), k8s,
                List.of(), tags);
    }

    static Deployment deploymentObject(String ns, String name, Map<String, String> podLabels, boolean hostNetwork,
                                       Map<String, String> annotations) {
        return new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(ns).withAnnotations(annotations).endMetadata()
                .withNewSpec()
                .withSelector(new LabelSelectorBuilder().withMatchLabels(podLabels).build())
                .withNewTemplate()
                .withNewMetadata().withLabels(podLabels).endMetadata()
                .withNewSpec().withHostNetwork(hostNetwork ? Boolean.TRUE : null)
                .addNewContainer().withName("main").withImage("registry.example/" + name + ":1.0").endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /** A policy that isolates the pods with these labels for Egress and allows only DNS. */
    static NetworkPolicy egressPolicy(String ns, String name, Map<String, String> podLabels) {
        return new NetworkPolicyBuilder()
                .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewSpec()
                .withNewPodSelector().withMatchLabels(podLabels).endPodSelector()
                .withPolicyTypes("Egress")
                .addNewEgress().addNewPort().withProtocol("UDP").withNewPort(53).endPort().endEgress()
                .endSpec()
                .build();
    }

    static NetworkPolicy ingressOnlyPolicy(String ns, String name) {
        return new NetworkPolicyBuilder()
                .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Ingress").endSpec()
                .build();
    }
}
