package dev.ekscm.remediation;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exact request behind "applied with server-side apply": fabric8's mock server in
 * expectation mode, because its CRUD mode does not implement apply patches.
 */
@EnableKubernetesMockClient
class ServerSideApplyRequestTest {
    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void apply_should_send_an_apply_patch_as_field_manager_ekscm_without_forcing_conflicts() throws Exception {
        // GIVEN the API server accepts exactly this PATCH
        String path = "/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies/ekscm-block-instance-metadata";
        var desired = ImdsPolicyObjects.networkPolicy("shop", List.of("pods-cannot-reach-instance-metadata#Deployment/shop/cart"));
        server.expect().patch().withPath(path + "?fieldManager=ekscm&force=false")
                .andReturn(200, ManagedObjects.convert(desired, io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class))
                .once();

        // WHEN the adapter applies the policy
        new Fabric8ClusterObjects(client).apply(desired);

        // THEN one PATCH, content type apply-patch+yaml, body = the whole object
        var request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getMethod()).isEqualTo("PATCH");
        assertThat(request.getPath()).isEqualTo(path + "?fieldManager=ekscm&force=false");
        assertThat(request.getHeader("Content-Type")).startsWith("application/apply-patch+yaml");
        JsonNode body = YAMLMapper.builder().build().readTree(request.getUtf8Body());
        assertThat(body).isEqualTo(ManagedObjects.tree(desired));
    }
}
