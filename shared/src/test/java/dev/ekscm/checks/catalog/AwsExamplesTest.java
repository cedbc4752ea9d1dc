package dev.ekscm.checks.catalog;

import dev.ekscm.checks.CheckConfig;
import dev.ekscm.checks.CheckOutcome;
import dev.ekscm.checks.Evaluator;
import dev.ekscm.collect.SnapshotLoader;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AWS data of the example clusters: the insecure one fails every AWS check, the hardened one
 * passes every AWS check. The workloads the ECR check needs are the images the examples use.
 */
class AwsExamplesTest {
    /** The README scans the examples "today"; judge them on a day in the hardened version's support. */
    private static final LocalDate DAY = LocalDate.of(2026, 11, 27);
    private static final String DIGEST = "@sha256:" + "4f".repeat(32);

    @TempDir
    Path dir;

    private List<CheckOutcome> evaluate(String example, String images) throws IOException {
        Path manifest = dir.resolve("workloads.yaml");
        Files.writeString(manifest, images);
        var snapshot = new SnapshotLoader().load(List.of(manifest),
                Optional.of(Path.of("..", "examples", example, "aws")));
        return new Evaluator(AwsChecks.all(), CheckConfig.defaults(DAY)).evaluate(snapshot, Scope.all()).outcomes();
    }

    private static String deployment(String name, String namespace, String image) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %s, namespace: %s}
                spec:
                  selector: {matchLabels: {app: %s}}
                  template:
                    metadata: {labels: {app: %s}}
                    spec:
                      containers: [{name: app, image: "%s"}]
                ---
                """.formatted(name, namespace, name, name, image);
    }

    @Test
    void insecure_example_should_fail_every_aws_check() throws IOException {
        var outcomes = evaluate("insecure-cluster",
                deployment("payments-api", "payments", "111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/payments-api:latest")
                        + deployment("web", "default", "nginx:latest"));

        assertThat(outcomes).hasSize(12).allSatisfy(o -> assertThat(o.status())
                .as("%s on shop-dev: %s", o.metadata().id(), o.results()).isEqualTo(Status.FAIL));
    }

    @Test
    void hardened_example_should_pass_every_aws_check() throws IOException {
        var outcomes = evaluate("hardened-cluster",
                deployment("payments-api", "payments",
                        "111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/payments-api:1.4.2" + DIGEST)
                        + deployment("storefront-web", "storefront",
                        "111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/storefront-web:2.0.1" + DIGEST));

        assertThat(outcomes).hasSize(12).allSatisfy(o -> {
            assertThat(o.status()).as("%s on shop-prod: %s", o.metadata().id(), o.results()).isEqualTo(Status.PASS);
            assertThat(o.results()).as(o.metadata().id()).isNotEmpty();
        });
    }
}
