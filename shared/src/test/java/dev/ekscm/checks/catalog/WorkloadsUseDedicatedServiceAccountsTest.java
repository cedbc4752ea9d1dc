package dev.ekscm.checks.catalog;

import dev.ekscm.model.CheckResult;
import dev.ekscm.model.Severity;
import dev.ekscm.model.Status;
import org.junit.jupiter.api.Test;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class WorkloadsUseDedicatedServiceAccountsTest {

    private static String deployment(String name, String app, String serviceAccount) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %s, namespace: shop}
                spec:
                  selector: {matchLabels: {app: %s}}
                  template:
                    metadata: {labels: {app: %s}}
                    spec:
                      serviceAccountName: %s
                      containers: [{name: app, image: "nginx:1.27.3"}]
                ---
                """.formatted(name, app, app, serviceAccount);
    }

    @Test
    void evaluate_should_rate_default_account_medium_and_shared_account_low() {
        var context = Manifests.context(deployment("a", "a", "default") + deployment("b", "b", "shared")
                + deployment("c", "c", "shared"));

        var results = new WorkloadsUseDedicatedServiceAccounts().evaluate(context);

        assertThat(results).extracting(r -> r.resource().name() + ":" + r.status() + ":" + r.severity())
                .containsExactly("a:FAIL:MEDIUM", "b:FAIL:LOW", "c:FAIL:LOW");
        assertThat(results.get(1).message()).contains("also serves app c (Deployment/c)");
    }

    @Test
    void evaluate_should_keep_messages_bounded_when_many_apps_share_an_account() {
        // GIVEN 50 applications on one account
        String yaml = IntStream.range(0, 50).mapToObj(i -> deployment("app" + i, "app" + i, "everyone"))
                .collect(Collectors.joining());

        // WHEN
        var results = new WorkloadsUseDedicatedServiceAccounts().evaluate(Manifests.context(yaml));

        // THEN every workload fails, each message names a few others and counts the rest
        assertThat(results).hasSize(50).allMatch(r -> r.status() == Status.FAIL && r.severity() == Severity.LOW);
        CheckResult first = results.get(0);
        assertThat(first.message()).contains("and 46 more").hasSizeLessThan(300);
    }
}
