package dev.ekscm.checks.catalog;

import dev.ekscm.model.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ContainersRunAsNonRootTest {

    @Test
    void evaluate_should_say_why_run_as_user_zero_with_run_as_non_root_fails() {
        var context = Manifests.context("""
                apiVersion: v1
                kind: Pod
                metadata: {name: broken, namespace: shop}
                spec:
                  securityContext: {runAsNonRoot: true, runAsUser: 0}
                  containers: [{name: app, image: "ghcr.io/acme/app:1.0.0"}]
                """);

        var results = new ContainersRunAsNonRoot().evaluate(context);

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(Status.FAIL);
            assertThat(r.message()).contains("container 'app'").contains("contradict")
                    .contains("CreateContainerConfigError");
            assertThat(r.evidence()).isEqualTo("runAsNonRoot=true (pod), runAsUser=0 (pod)");
        });
    }

    @Test
    void evaluate_should_let_a_container_non_root_flag_override_a_pod_root_user() {
        // runAsNonRoot true on the container with the pod's runAsUser 0 still contradicts:
        // the effective user is 0.
        var context = Manifests.context("""
                apiVersion: v1
                kind: Pod
                metadata: {name: mixed, namespace: shop}
                spec:
                  securityContext: {runAsUser: 0}
                  containers:
                    - name: app
                      image: "ghcr.io/acme/app:1.0.0"
                      securityContext: {runAsNonRoot: true}
                """);

        var results = new ContainersRunAsNonRoot().evaluate(context);

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(Status.FAIL);
            assertThat(r.evidence()).isEqualTo("runAsNonRoot=true (container), runAsUser=0 (pod)");
        });
    }
}
