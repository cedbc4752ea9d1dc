package dev.ekscm.checks.netpol;

import dev.ekscm.collect.ManifestReader;
import dev.ekscm.model.k8s.Workload;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterAgentsTest {

    static List<Workload> workloads(String yaml) {
        return new ManifestReader().readText(yaml, "test").stream().map(Workload::from).flatMap(Optional::stream).toList();
    }

    static String daemonSet(String namespace, String name, String containers) {
        return """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: %s, namespace: %s}
                spec:
                  selector: {matchLabels: {app: x}}
                  template:
                    metadata: {labels: {app: x}}
                    spec:
                      containers:
                """.formatted(name, namespace) + containers.indent(8);
    }

    private static Container withArgs(String... args) {
        return new ContainerBuilder().withName("aws-eks-nodeagent").withArgs(args).build();
    }

    @Test
    void enable_flag_should_be_read_like_go_flags() {
        assertThat(ClusterAgents.enableFlag(withArgs())).isEmpty();
        assertThat(ClusterAgents.enableFlag(withArgs("--enable-network-policy=true"))).contains(true);
        assertThat(ClusterAgents.enableFlag(withArgs("-enable-network-policy=true"))).contains(true);
        assertThat(ClusterAgents.enableFlag(withArgs("--enable-network-policy"))).contains(true);
        assertThat(ClusterAgents.enableFlag(withArgs("--enable-network-policy=false"))).contains(false);
        assertThat(ClusterAgents.enableFlag(withArgs("--enable-network-policy=true", "--enable-network-policy=false")))
                .contains(false);
        assertThat(ClusterAgents.enableFlag(withArgs("--enable-network-policy=false", "--enable-network-policy=true")))
                .contains(true);
        assertThat(ClusterAgents.enableFlag(withArgs("--enable-network-policy-logs=true"))).isEmpty();
    }

    @Test
    void engines_should_be_found_in_any_namespace_by_name_or_image() {
        var search = ClusterAgents.findPolicyEngines(workloads(
                daemonSet("calico-system", "node-agent", "- {name: n, image: 'docker.io/calico/node:v3.28.2@sha256:abc'}")
                        + "---\n" + daemonSet("kube-system", "cilium", "- {name: agent, image: 'quay.io/cilium/cilium:v1.16.3'}")));
        assertThat(search.engines()).containsExactly("Calico (DaemonSet calico-system/node-agent)",
                "Cilium (DaemonSet kube-system/cilium)");
    }

    @Test
    void vpc_cni_agent_present_but_disabled_should_not_count() {
        var search = ClusterAgents.findPolicyEngines(workloads(daemonSet("kube-system", "aws-node", """
                - name: aws-node
                  image: amazon-k8s-cni:v1.19.2
                - name: aws-eks-nodeagent
                  image: amazon/aws-network-policy-agent:v1.1.6
                """)));
        assertThat(search.found()).isFalse();
        assertThat(search.notes()).singleElement().asString()
                .contains("aws-eks-nodeagent runs with no --enable-network-policy flag (default false)");
    }

    @Test
    void image_that_merely_mentions_an_engine_should_not_count() {
        var search = ClusterAgents.findPolicyEngines(workloads(
                daemonSet("tools", "exporter", "- {name: e, image: 'example/calico-node-exporter:1.0'}")));
        assertThat(search.found()).isFalse();
    }

    @Test
    void metadata_proxy_should_be_kube2iam_or_a_kiam_agent_but_not_the_kiam_server() {
        assertThat(ClusterAgents.findMetadataProxy(workloads(
                daemonSet("iam", "proxy", "- {name: p, image: 'jtblin/kube2iam:0.11.2'}"))))
                .hasValueSatisfying(p -> assertThat(p).startsWith("kube2iam (DaemonSet iam/proxy)"));
        assertThat(ClusterAgents.findMetadataProxy(workloads(
                daemonSet("kiam", "agent", "- {name: a, image: 'quay.io/uswitch/kiam:v4.2', command: [/kiam], args: [agent, --iptables]}"))))
                .hasValueSatisfying(p -> assertThat(p).startsWith("kiam agent (DaemonSet kiam/agent)"));
        assertThat(ClusterAgents.findMetadataProxy(workloads(
                daemonSet("kiam", "kiam-server", "- {name: s, image: 'quay.io/uswitch/kiam:v4.2', args: [server]}"))))
                .isEmpty();
        assertThat(ClusterAgents.findMetadataProxy(workloads(
                daemonSet("kiam", "kiam-agent", "- {name: a, image: 'example/anything:1'}")))).isPresent();
    }
}
