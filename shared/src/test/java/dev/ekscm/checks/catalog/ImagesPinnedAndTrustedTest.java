package dev.ekscm.checks.catalog;

import dev.ekscm.checks.CheckConfig;
import dev.ekscm.model.CheckResult;
import dev.ekscm.model.Status;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ImagesPinnedAndTrustedTest {
    private static final String ECR = "111122223333.dkr.ecr.eu-west-1.amazonaws.com";
    private static final String SHA = "682a1c47a1d34030b53d929d93f628b8e80e292b915f8c0e8d8fb51b3b7be968";

    private static String pod(String name, String image) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: shop}
                spec:
                  containers:
                    - {name: app, image: "%s"}
                ---
                """.formatted(name, image);
    }

    private static List<CheckResult> evaluate(String yaml, List<String> allowed) {
        var config = CheckConfig.defaults(Manifests.AS_OF).withAllowedRegistries(allowed);
        return new ImagesPinnedAndTrusted().evaluate(Manifests.context(yaml, config));
    }

    private static CheckResult result(List<CheckResult> results, String name) {
        return results.stream().filter(r -> r.resource().name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void evaluate_should_fail_images_outside_the_allowed_registries_when_a_list_is_configured() {
        // GIVEN only the account's ECR registry is allowed
        String yaml = pod("ecr", ECR + "/shop/api:1.0@sha256:" + SHA)
                + pod("hub", "nginx:1.27.3")
                + pod("lookalike", "evil.example/" + ECR + "/shop/api:1.0");

        // WHEN
        var results = evaluate(yaml, List.of(ECR));

        // THEN a bare Docker Hub name counts as docker.io, and the registry is the host, not a substring
        assertThat(result(results, "ecr").status()).isEqualTo(Status.PASS);
        assertThat(result(results, "hub").status()).isEqualTo(Status.FAIL);
        assertThat(result(results, "hub").message()).contains("registry docker.io").contains("not on the allowed list");
        assertThat(result(results, "lookalike").status()).isEqualTo(Status.FAIL);
    }

    @Test
    void evaluate_should_not_judge_registries_when_no_list_is_configured() {
        var results = evaluate(pod("hub", "nginx:1.27.3") + pod("quay", "quay.io/prometheus/node-exporter:v1.8.2"),
                List.of());

        assertThat(results).extracting(CheckResult::status).containsOnly(Status.PASS);
    }

    @Test
    void evaluate_should_report_both_problems_of_one_image() {
        var results = evaluate(pod("web", "nginx:latest"), List.of(ECR));

        assertThat(result(results, "web").message()).contains(":latest").contains("not on the allowed list");
    }

    @Test
    void evaluate_should_fail_an_image_reference_it_cannot_parse_and_say_why() {
        var results = evaluate(pod("typo", "Nginx:1.27"), List.of());

        assertThat(result(results, "typo").status()).isEqualTo(Status.FAIL);
        assertThat(result(results, "typo").message()).contains("container 'app'").contains("Nginx");
    }

    @Test
    void evaluate_should_treat_a_digest_as_pinned_even_next_to_latest() {
        var results = evaluate(pod("pinned", "nginx:latest@sha256:" + SHA), List.of());

        assertThat(result(results, "pinned").status()).isEqualTo(Status.PASS);
    }
}
