package dev.ekscm.collect;

import dev.ekscm.model.BadInputException;
import dev.ekscm.model.k8s.KubernetesStateBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestReaderTest {
    private final ManifestReader reader = new ManifestReader();

    @Test
    void readText_should_read_multi_document_yaml_and_skip_empty_documents() {
        var objects = reader.readText("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: a}
                ---
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: sa, namespace: a}
                """, "t.yaml");
        assertThat(objects).extracting(HasMetadata::getKind).containsExactly("Namespace", "ServiceAccount");
    }

    @Test
    void readText_should_expand_kind_list_as_kubectl_prints_it() {
        var objects = reader.readText("""
                apiVersion: v1
                kind: List
                items:
                  - apiVersion: v1
                    kind: Namespace
                    metadata: {name: a}
                  - apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: web, namespace: a}
                    spec: {selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: nginx:1.27}]}}}
                """, "list.yaml");
        assertThat(objects).extracting(HasMetadata::getKind).containsExactly("Namespace", "Deployment");
    }

    @Test
    void readText_should_read_json_and_calico_crds_as_generic_objects() {
        var objects = reader.readText("""
                {"apiVersion": "projectcalico.org/v3", "kind": "GlobalNetworkPolicy", "metadata": {"name": "security.block-imds"},
                 "spec": {"tier": "security", "selector": "all()", "types": ["Egress"]}}
                """, "gnp.json");
        assertThat(objects).singleElement().isInstanceOf(GenericKubernetesResource.class);
        var state = new KubernetesStateBuilder().addAll(objects).build();
        assertThat(state.calicoPolicies()).hasSize(1);
    }

    @Test
    void readText_should_judge_a_removed_api_version_as_the_current_one() {
        var objects = reader.readText("""
                apiVersion: batch/v1beta1
                kind: CronJob
                metadata: {name: nightly, namespace: ops}
                spec:
                  schedule: "0 1 * * *"
                  jobTemplate: {spec: {template: {spec: {containers: [{name: c, image: busybox}], restartPolicy: Never}}}}
                """, "old.yaml");
        assertThat(objects).singleElement().isInstanceOf(CronJob.class);
        assertThat(new KubernetesStateBuilder().addAll(objects).build().workloads()).hasSize(1);
    }

    @Test
    void readText_should_name_document_and_field_when_kind_is_missing() {
        assertThatThrownBy(() -> reader.readText("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: v1\nmetadata: {name: b}\n", "x.yaml"))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("x.yaml: document 2").hasMessageContaining("'kind'");
    }

    @Test
    void readText_should_name_line_and_column_of_broken_yaml() {
        assertThatThrownBy(() -> reader.readText("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n   bad: [\n", "b.yaml"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("b.yaml").hasMessageContaining("line 5");
    }

    @Test
    void readText_should_reject_a_scalar_document() {
        assertThatThrownBy(() -> reader.readText("just a string\n", "s.yaml"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("not a Kubernetes object");
    }

    @Test
    void read_should_walk_folders_recursively_in_a_stable_order(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("b/c"));
        Files.writeString(dir.resolve("b/c/z.yml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: z}\n");
        Files.writeString(dir.resolve("a.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n");
        Files.writeString(dir.resolve("notes.txt"), "not a manifest");
        var objects = reader.read(List.of(dir));
        assertThat(objects).extracting(o -> o.getMetadata().getName()).containsExactly("a", "z");
    }

    @Test
    void read_should_reject_empty_folders_and_missing_paths(@TempDir Path dir) {
        assertThatThrownBy(() -> reader.read(List.of(dir))).isInstanceOf(BadInputException.class)
                .hasMessageContaining("no manifest files");
        assertThatThrownBy(() -> reader.read(List.of(dir.resolve("missing")))).isInstanceOf(BadInputException.class)
                .hasMessageContaining("no such file");
    }
}
