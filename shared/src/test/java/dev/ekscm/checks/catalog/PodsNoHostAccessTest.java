package dev.ekscm.checks.catalog;

import dev.ekscm.model.Severity;
import dev.ekscm.model.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PodsNoHostAccessTest {

    @Test
    void evaluate_should_merge_all_reasons_into_one_result_and_be_critical_when_privileged() {
        var context = Manifests.context("""
                apiVersion: v1
                kind: Pod
                metadata: {name: everything, namespace: debug}
                spec:
                  hostNetwork: true
                  hostPID: true
                  hostIPC: true
                  containers:
                    - name: shell
                      image: busybox:1.36.1
                      securityContext: {privileged: true}
                  volumes:
                    - {name: root, hostPath: {path: /}}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: network-only, namespace: debug}
                spec:
                  hostNetwork: true
                  containers:
                    - {name: probe, image: busybox:1.36.1}
                """);

        var results = new PodsNoHostAccess().evaluate(context);

        assertThat(results).hasSize(2);
        assertThat(results.get(0).severity()).isEqualTo(Severity.CRITICAL);
        assertThat(results.get(0).message()).contains("privileged container 'shell'", "hostNetwork: true",
                "hostPID: true", "hostIPC: true", "hostPath volume 'root' (/)");
        assertThat(results.get(1).status()).isEqualTo(Status.FAIL);
        assertThat(results.get(1).severity()).isEqualTo(Severity.HIGH);
    }
}
