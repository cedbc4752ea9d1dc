package dev.ekscm.cli;

import com.sun.net.httpserver.HttpServer;
import dev.ekscm.onboard.Onboarding;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ekscm onboard} end to end: a recording EKS endpoint (moto has no access entries; the
 * responses follow the EKS API reference) whose DescribeCluster points at fabric8's mock API
 * server in expectation mode, which accepts exactly the server-side applies of deploy/.
 */
class OnboardCommandTest {
    private static final String ROLE = "arn:aws:iam::111122223333:role/ekscm-ClusterCheckRole-3RZ8Y1WQ2T0A";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private HttpServer eksServer;
    private KubernetesMockServer kubeServer;
    private final List<String> eksRequests = new CopyOnWriteArrayList<>();
    private final List<JsonNode> eksBodies = new CopyOnWriteArrayList<>();
    private volatile String accessEntryError;

    @BeforeEach
    void start() throws IOException {
        kubeServer = new KubernetesMockServer(false);
        kubeServer.init();
        String apiServer = kubeServer.url("/").replaceAll("/$", "");
        eksServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        eksServer.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            byte[] in = exchange.getRequestBody().readAllBytes();
            eksRequests.add(exchange.getRequestMethod() + " " + path);
            JsonNode body = in.length == 0 ? JSON.createObjectNode() : JSON.readTree(in);
            eksBodies.add(body);
            String[] parts = path.split("/");
            String cluster = parts[2];
            int status = 200;
            String response;
            if (!cluster.equals("shop-prod")) {
                status = 404;
                exchange.getResponseHeaders().add("x-amzn-ErrorType", "ResourceNotFoundException");
                response = "{\"message\":\"No cluster found for name: " + cluster + ".\"}";
            } else if (parts.length == 3) {
                var c = JSON.createObjectNode();
                c.putObject("cluster").put("name", cluster).put("arn", "arn:aws:eks:eu-west-1:111122223333:cluster/" + cluster)
                        .put("status", "ACTIVE").put("version", "1.31").put("endpoint", apiServer);
                response = JSON.writeValueAsString(c);
            } else if (accessEntryError != null) {
                status = 400;
                exchange.getResponseHeaders().add("x-amzn-ErrorType", "InvalidRequestException");
                response = "{\"message\":\"" + accessEntryError + "\"}";
            } else {
                var entry = JSON.createObjectNode();
                entry.putObject("accessEntry").put("clusterName", cluster).put("principalArn", body.path("principalArn").asString())
                        .put("type", "STANDARD").put("accessEntryArn", "arn:aws:eks:eu-west-1:111122223333:access-entry/"
                                + cluster + "/role/111122223333/ekscm-ClusterCheckRole-3RZ8Y1WQ2T0A/4ec6a1b2")
                        .set("kubernetesGroups", body.path("kubernetesGroups"));
                response = JSON.writeValueAsString(entry);
            }
            byte[] out = response.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        eksServer.start();
        System.setProperty("aws.endpointUrl", "http://127.0.0.1:" + eksServer.getAddress().getPort());
        System.setProperty("aws.region", "eu-west-1");
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
    }

    @AfterEach
    void stop() {
        eksServer.stop(0);
        kubeServer.destroy();
        Stream.of("aws.endpointUrl", "aws.region", "aws.accessKeyId", "aws.secretAccessKey").forEach(System::clearProperty);
    }

    private void expectApplies(boolean remediation) {
        for (HasMetadata o : Onboarding.manifests(remediation)) {
            String plural = o.getKind().equals("ClusterRole") ? "clusterroles" : "clusterrolebindings";
            kubeServer.expect().patch().withPath("/apis/rbac.authorization.k8s.io/v1/" + plural + "/"
                    + o.getMetadata().getName() + "?fieldManager=ekscm&force=true").andReturn(200, o).always();
        }
    }

    /** {@code METHOD path kind/name} of the requests the API server received. */
    private List<String> kubernetesRequests() throws InterruptedException {
        var out = new ArrayList<String>();
        for (RecordedRequest r; (r = kubeServer.takeRequest(200, TimeUnit.MILLISECONDS)) != null; ) {
            JsonNode body = JSON.readTree(r.getUtf8Body());
            out.add(r.getMethod() + " " + r.getPath() + " " + body.path("kind").asString() + "/"
                    + body.path("metadata").path("name").asString());
        }
        return out;
    }

    @Test
    void onboard_should_create_the_access_entry_apply_the_rbac_and_say_what_it_did() throws Exception {
        expectApplies(true);

        var result = CliRunner.run("onboard", "--cluster", "shop-prod", "--role-arn", ROLE, "--remediation");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(eksRequests).containsExactly("GET /clusters/shop-prod", "POST /clusters/shop-prod/access-entries");
        assertThat(eksBodies.get(1).path("kubernetesGroups").toString()).isEqualTo("[\"ekscm-reader\",\"ekscm-remediator\"]");
        assertThat(kubernetesRequests()).hasSize(4).allSatisfy(r -> assertThat(r).startsWith("PATCH /apis/rbac.authorization.k8s.io/v1/"))
                .anySatisfy(r -> assertThat(r).endsWith("ClusterRoleBinding/ekscm-remediator"));
        assertThat(result.out()).contains("access entry created for " + ROLE + " on cluster shop-prod: arn:aws:eks:eu-west-1:")
                .contains("Kubernetes groups: ekscm-reader, ekscm-remediator")
                .contains("applied ClusterRole/ekscm-reader (server-side apply, field manager ekscm)")
                .contains("applied ClusterRoleBinding/ekscm-remediator")
                .contains("remediation stays off until the cluster is tagged ekscm:auto-remediate");
    }

    @Test
    void unknown_cluster_should_be_bad_input_naming_it_and_change_nothing() throws Exception {
        var result = CliRunner.run("onboard", "--cluster", "shop-typo", "--role-arn", ROLE, "--region", "eu-west-1");

        assertThat(result.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(result.err()).contains("cluster 'shop-typo' not found in region eu-west-1").doesNotContain("\tat ");
        assertThat(eksRequests).containsExactly("GET /clusters/shop-typo");
        assertThat(kubernetesRequests()).isEmpty();
    }

    @Test
    void something_that_is_not_a_role_arn_should_be_bad_input_before_any_write() throws Exception {
        var result = CliRunner.run("onboard", "--cluster", "shop-prod", "--role-arn", "ekscm-ClusterCheckRole");

        assertThat(result.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(result.err()).contains("not an IAM role ARN").contains("ClusterCheckRoleArn");
        assertThat(eksRequests).doesNotContain("POST /clusters/shop-prod/access-entries");
        assertThat(kubernetesRequests()).isEmpty();
    }

    @Test
    void a_refused_access_entry_should_fail_with_the_reason_and_what_to_check() throws Exception {
        accessEntryError = "The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.";

        var result = CliRunner.run("onboard", "--cluster", "shop-prod", "--role-arn", ROLE);

        assertThat(result.exitCode()).isEqualTo(Main.EXIT_FAILED);
        assertThat(result.err()).contains("authentication mode must be set").contains("InvalidRequestException")
                .doesNotContain("\tat ");
        assertThat(kubernetesRequests()).isEmpty();
    }

    @Test
    void missing_role_arn_should_be_a_usage_error() {
        var result = CliRunner.run("onboard", "--cluster", "shop-prod");

        assertThat(result.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(result.err()).contains("--role-arn").contains("ekscm onboard --help");
    }
}
