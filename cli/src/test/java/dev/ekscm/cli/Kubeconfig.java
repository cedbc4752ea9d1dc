package dev.ekscm.cli;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A kubeconfig whose one context reaches a mock API server (point the {@code kubeconfig} system property at it). */
final class Kubeconfig {
    static final String CONTEXT = "mock-ctx";

    private Kubeconfig() {
    }

    static Path write(Path dir, KubernetesMockServer server) throws IOException {
        Path file = dir.resolve("kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                contexts:
                - name: %s
                  context:
                    cluster: mock
                    user: mock-user
                current-context: %s
                users:
                - name: mock-user
                  user:
                    token: test-token
                """.formatted(server.url("/").replaceAll("/$", ""), CONTEXT, CONTEXT));
        return file;
    }
}
