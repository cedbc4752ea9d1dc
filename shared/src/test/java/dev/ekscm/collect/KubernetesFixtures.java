package dev.ekscm.collect;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Map;

/** Kubernetes objects for collector tests, created through a (seeding) client. */
final class KubernetesFixtures {
    private KubernetesFixtures() {
    }

    static PodSpec spec(String image) {
        return new PodSpecBuilder().addToContainers(new ContainerBuilder().withName("app").withImage(image).build()).build();
    }

    static void namespace(KubernetesClient c, String name, Map<String, String> labels) {
        c.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build()).create();
    }

    static void deployment(KubernetesClient c, String ns, String name, String image) {
        c.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata().withSpec(spec(image)).endTemplate()
                .endSpec().build()).create();
    }

    /** A ReplicaSet owned by a Deployment, and one of its pods: both are left out of the workloads. */
    static void ownedReplicaSetAndPod(KubernetesClient c, String ns, String name, String image) {
        c.apps().replicaSets().inNamespace(ns).resource(new ReplicaSetBuilder()
                .withNewMetadata().withName(name + "-5d4f").withNamespace(ns)
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment").withName(name).withUid("u1").endOwnerReference()
                .endMetadata()
                .withNewSpec().withNewTemplate().withSpec(spec(image)).endTemplate().endSpec().build()).create();
        c.pods().inNamespace(ns).resource(new PodBuilder()
                .withNewMetadata().withName(name + "-5d4f-x1").withNamespace(ns)
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName(name + "-5d4f").withUid("u2").endOwnerReference()
                .endMetadata().withSpec(spec(image)).build()).create();
    }

    static void barePod(KubernetesClient c, String ns, String name, String image) {
        c.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withSpec(spec(image)).build()).create();
    }

    static void defaultDeny(KubernetesClient c, String ns) {
        c.network().networkPolicies().inNamespace(ns).resource(new NetworkPolicyBuilder()
                .withNewMetadata().withName("default-deny").withNamespace(ns).endMetadata()
                .withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Ingress").endSpec().build()).create();
    }

    static void rbac(KubernetesClient c, String ns) {
        c.rbac().roles().inNamespace(ns).resource(new RoleBuilder().withNewMetadata().withName("reader").withNamespace(ns).endMetadata()
                .addNewRule().withApiGroups("").withResources("pods").withVerbs("get", "list").endRule().build()).create();
        c.rbac().roleBindings().inNamespace(ns).resource(new RoleBindingBuilder().withNewMetadata().withName("reader").withNamespace(ns)
                .endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("reader").endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName("app").withNamespace(ns).endSubject().build()).create();
        c.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName("everything").endMetadata()
                .addNewRule().withApiGroups("*").withResources("*").withVerbs("*").endRule().build()).create();
        c.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata().withName("dev-admin").endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName("cluster-admin").endRoleRef()
                .addNewSubject().withKind("User").withName("dev@example.com").endSubject().build()).create();
    }

    static void serviceAccount(KubernetesClient c, String ns, String name) {
        c.serviceAccounts().inNamespace(ns).resource(new ServiceAccountBuilder().withNewMetadata().withName(name).withNamespace(ns)
                .endMetadata().build()).create();
    }

    static void webhook(KubernetesClient c, String name) {
        c.admissionRegistration().v1().validatingWebhookConfigurations().resource(new ValidatingWebhookConfigurationBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .addNewWebhook().withName(name + ".example.com").withAdmissionReviewVersions("v1").withSideEffects("None")
                .withNewClientConfig().withUrl("https://policy.example.com/validate").endClientConfig()
                .addNewRule().withOperations("CREATE").withApiGroups("").withApiVersions("v1").withResources("pods").endRule()
                .endWebhook().build()).create();
    }

    static void secret(KubernetesClient c, String ns, String name) {
        c.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .addToStringData("password", "hunter2").build()).create();
    }
}
