package dev.ekscm.checks.catalog;

import dev.ekscm.collect.SnapshotLoader;
import dev.ekscm.model.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class EcrImageScanningTest {
    @TempDir
    Path dir;
    private static final String HOST = "111122223333.dkr.ecr.eu-west-1.amazonaws.com";

    @Test
    void parse_should_take_repository_from_tag_and_digest_forms() {
        String digest = "@sha256:" + "ab".repeat(32);
        for (String image : new String[] {HOST + "/shop/payments-api", HOST + "/shop/payments-api:1.4.2",
                HOST + "/shop/payments-api" + digest, HOST + "/shop/payments-api:1.4.2" + digest}) {
            assertThat(EcrImageScanning.parse(image)).as(image).get().satisfies(i -> {
                assertThat(i.registryId()).isEqualTo("111122223333");
                assertThat(i.region()).isEqualTo("eu-west-1");
                assertThat(i.repositoryName()).isEqualTo("shop/payments-api");
                assertThat(i.uri()).isEqualTo(HOST + "/shop/payments-api");
            });
        }
    }

    @Test
    void parse_should_accept_fips_and_china_endpoints() {
        assertThat(EcrImageScanning.parse("111122223333.dkr.ecr-fips.us-east-1.amazonaws.com/app:1")).get()
                .extracting(EcrImageScanning.EcrImage::region).isEqualTo("us-east-1");
        assertThat(EcrImageScanning.parse("111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn/team/app:1")).get()
                .extracting(EcrImageScanning.EcrImage::repositoryName).isEqualTo("team/app");
    }

    @Test
    void parse_should_ignore_images_from_other_registries() {
        assertThat(EcrImageScanning.parse("nginx:latest")).isEmpty();
        assertThat(EcrImageScanning.parse("busybox")).isEmpty();
        assertThat(EcrImageScanning.parse("public.ecr.aws/eks/aws-load-balancer-controller:v2.8.1")).isEmpty();
        assertThat(EcrImageScanning.parse("ghcr.io/111122223333.dkr.ecr.eu-west-1.amazonaws.com/x")).isEmpty();
        assertThat(EcrImageScanning.parse(null)).isEmpty();
    }

    @Test
    void evaluate_should_match_repositories_without_uri_and_skip_other_accounts() throws IOException {
        // GIVEN a repository listed without repositoryUri, and workloads pulling from it and from another account
        Files.createDirectories(dir.resolve("aws"));
        Files.writeString(dir.resolve("aws/repos.json"), """
                {"repositories": [{"registryId": "111122223333", "repositoryName": "shop/cart",
                                   "imageScanningConfiguration": {"scanOnPush": false}}]}
                """);
        Files.writeString(dir.resolve("pods.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata: {name: cart, namespace: shop}
                spec:
                  initContainers: [{name: migrate, image: "%s/shop/cart:2"}]
                  containers: [{name: other, image: "999988887777.dkr.ecr.eu-west-1.amazonaws.com/shop/cart:2"}]
                """.formatted(HOST));
        var snapshot = new SnapshotLoader().load(List.of(dir.resolve("pods.yaml")), Optional.of(dir.resolve("aws")));

        // WHEN
        var outcome = AwsTestData.evaluate(new EcrImageScanning(), snapshot);

        // THEN the init container's repository is judged; the other account's repository is unknown
        assertThat(outcome.results()).singleElement().satisfies(r -> {
            assertThat(r.resource().key()).isEqualTo("EcrRepository/shop/cart");
            assertThat(r.status()).isEqualTo(Status.FAIL);
            assertThat(r.message()).contains("Pod/shop/cart");
        });
    }
}
