package dev.ekscm.onboard;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Onboarding against fabric8's mock API server and a recording EKS endpoint (moto has no access
 * entries; the recorded responses follow the EKS API reference). The API server runs in
 * expectation mode: the exact server-side-apply requests matter (fabric8's CRUD mode answers 404
 * to an apply of an object it does not hold, where a real API server creates it).
 */
@EnableKubernetesMockClient
class OnboardingTest {
    static final String ROLE = "arn:aws:iam::111122223333:role/ekscm-ClusterCheckRole-3RZ8Y1WQ2T0A";
    static final JsonMapper MAPPER = JsonMapper.builder().build();
    static KubernetesClient client;
    static KubernetesMockServer server;
    final List<String> applied = new ArrayList<>();

    HttpServer eksServer;
    EksClient eks;
    final List<String> requests = new ArrayList<>();
    final List<JsonNode> bodies = new ArrayList<>();
    final AtomicBoolean exists = new AtomicBoolean();

    @BeforeEach
    void startEks() throws IOException, InterruptedException {
        while (server.takeRequest(10, java.util.concurrent.TimeUnit.MILLISECONDS) != null) {
            // requests of an earlier test
        }
        eksServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        eksServer.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            byte[] in = exchange.getRequestBody().readAllBytes();
            requests.add(exchange.getRequestMethod() + " " + path);
            JsonNode body = in.length == 0 ? MAPPER.createObjectNode() : MAPPER.readTree(in);
            bodies.add(body);
            String cluster = path.split("/")[2];
            int status;
            String response;
            if (path.endsWith("/access-entries") && exists.get()) {
                status = 409;
                exchange.getResponseHeaders().add("x-amzn-ErrorType", "ResourceInUseException");
                response = "{\"message\":\"The specified access entry resource is already in use on this cluster.\"}";
            } else {
                status = 200;
                String principal = path.endsWith("/access-entries") ? body.path("principalArn").asString()
                        : URLDecoder.decode(path.substring(path.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
                var entry = MAPPER.createObjectNode();
                var e = entry.putObject("accessEntry");
                e.put("clusterName", cluster).put("principalArn", principal).put("type", "STANDARD")
                        .put("accessEntryArn", "arn:aws:eks:eu-west-1:111122223333:access-entry/" + cluster
                                + "/role/111122223333/ekscm-ClusterCheckRole-3RZ8Y1WQ2T0A/4ec6a1b2-0000-1111-2222-333344445555")
                        .put("username", "arn:aws:sts::111122223333:assumed-role/ekscm-ClusterCheckRole-3RZ8Y1WQ2T0A/{{SessionName}}")
                        .put("createdAt", 1.7488e9).put("modifiedAt", 1.7488e9);
                e.set("kubernetesGroups", body.path("kubernetesGroups"));
                response = MAPPER.writeValueAsString(entry);
            }
            byte[] out = response.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        eksServer.start();
        eks = EksClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.EU_WEST_1)
                .endpointOverride(URI.create("http://127.0.0.1:" + eksServer.getAddress().getPort()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))).build();
    }

    /** The API server accepts an apply of each manifest and answers with the object. */
    static void expectApplies(boolean remediation) {
        for (HasMetadata o : Onboarding.manifests(remediation)) {
            String plural = o.getKind().equals("ClusterRole") ? "clusterroles" : "clusterrolebindings";
            server.expect().patch().withPath("/apis/rbac.authorization.k8s.io/v1/" + plural + "/" + o.getMetadata().getName()
                    + "?fieldManager=ekscm&force=true").andReturn(200, o).always();
        }
    }

    /** The apply requests the API server received: {@code METHOD path content-type kind/name}. */
    static List<String> applyRequests() throws InterruptedException {
        var out = new ArrayList<String>();
        for (RecordedRequest r; (r = server.takeRequest(200, java.util.concurrent.TimeUnit.MILLISECONDS)) != null; ) {
            JsonNode body = MAPPER.readTree(r.getUtf8Body());
            out.add(r.getMethod() + " " + r.getPath() + " " + r.getHeader("Content-Type").split(";")[0] + " "
                    + body.path("kind").asString() + "/" + body.path("metadata").path("name").asString());
        }
        return out;
    }

    @AfterEach
    void stopEks() {
        eks.close();
        eksServer.stop(0);
    }

    @Test
    void onboard_should_create_a_standard_access_entry_for_the_reader_group_and_apply_the_reader_rbac() throws Exception {
        expectApplies(false);
        var result = new Onboarding(eks, client).onboard("shop-prod", ROLE, false);

        assertThat(requests).containsExactly("POST /clusters/shop-prod/access-entries");
        assertThat(bodies.get(0).path("principalArn").asString()).isEqualTo(ROLE);
        assertThat(bodies.get(0).path("type").asString()).isEqualTo("STANDARD");
        assertThat(bodies.get(0).path("kubernetesGroups").toString()).isEqualTo("[\"ekscm-reader\"]");
        assertThat(result.accessEntryCreated()).isTrue();
        assertThat(result.accessEntryArn()).contains(":access-entry/shop-prod/");
        assertThat(result.applied()).containsExactly("ClusterRole/ekscm-reader", "ClusterRoleBinding/ekscm-reader");

        assertThat(applyRequests()).containsExactly(
                "PATCH /apis/rbac.authorization.k8s.io/v1/clusterroles/ekscm-reader?fieldManager=ekscm&force=true application/apply-patch+yaml ClusterRole/ekscm-reader",
                "PATCH /apis/rbac.authorization.k8s.io/v1/clusterrolebindings/ekscm-reader?fieldManager=ekscm&force=true application/apply-patch+yaml ClusterRoleBinding/ekscm-reader");
    }

    @Test
    void onboard_with_remediation_should_map_both_groups_and_converge_an_existing_entry() throws Exception {
        expectApplies(true);
        exists.set(true);
        var result = new Onboarding(eks, client).onboard("shop-prod", ROLE, true);

        assertThat(requests).containsExactly("POST /clusters/shop-prod/access-entries",
                "POST /clusters/shop-prod/access-entries/" + ROLE.replace(":", "%3A").replace("/", "%2F"));
        assertThat(bodies.get(1).path("kubernetesGroups").toString()).isEqualTo("[\"ekscm-reader\",\"ekscm-remediator\"]");
        assertThat(result.accessEntryCreated()).isFalse();
        assertThat(result.applied()).containsExactly("ClusterRole/ekscm-reader", "ClusterRoleBinding/ekscm-reader",
                "ClusterRole/ekscm-remediator", "ClusterRoleBinding/ekscm-remediator");
        assertThat(applyRequests()).hasSize(4).allSatisfy(r -> assertThat(r).contains("application/apply-patch+yaml"));
    }

    @Test
    void onboard_should_refuse_something_that_is_not_a_role_arn() {
        assertThatThrownBy(() -> new Onboarding(eks, client).onboard("shop-prod", "ekscm-ClusterCheckRole", false))
                .hasMessageContaining("not an IAM role ARN").hasMessageContaining("ClusterCheckRoleArn");
        assertThat(requests).isEmpty();
    }
}
