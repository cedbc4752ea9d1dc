package dev.ekscm.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input: a clear message naming the file and the problem, exit code 2, no stack trace. */
class BadInputTest {
    @TempDir
    Path dir;

    private static void assertCleanError(CliRunner result, String... mentions) {
        assertThat(result.exitCode()).as(result.err()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(result.err()).startsWith("ekscm: ").contains(mentions);
        assertThat(result.err()).doesNotContain("Exception", "\tat ");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void malformed_yaml_should_name_the_file_and_line() throws Exception {
        Path bad = Files.writeString(dir.resolve("broken.yaml"), "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n   oops: [\n");
        assertCleanError(CliRunner.run("scan", "--manifests", bad.toString()), "broken.yaml", "line 5");
    }

    @Test
    void a_document_without_kind_should_be_named() throws Exception {
        Path bad = Files.writeString(dir.resolve("nokind.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: v1\nmetadata: {name: b}\n");
        assertCleanError(CliRunner.run("scan", "--manifests", bad.toString()), "nokind.yaml", "document 2", "kind");
    }

    @Test
    void truncated_aws_json_should_name_the_file() throws Exception {
        Path aws = Files.createDirectory(dir.resolve("aws"));
        Files.writeString(aws.resolve("cluster.json"), "{\"cluster\": {\"name\": \"x\", \"arn\": ");
        assertCleanError(CliRunner.run("scan", "--aws", aws.toString()), "cluster.json");
    }

    @Test
    void unknown_top_level_key_should_list_the_known_ones() throws Exception {
        Path aws = Files.createDirectory(dir.resolve("aws"));
        Files.writeString(aws.resolve("mystery.json"), "{\"Buckets\": []}");
        assertCleanError(CliRunner.run("scan", "--aws", aws.toString()), "mystery.json", "Buckets", "Subnets");
    }

    @Test
    void empty_folder_should_be_an_error() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertCleanError(CliRunner.run("scan", "--manifests", empty.toString()), "empty", "no manifest files");
        assertCleanError(CliRunner.run("scan", "--aws", empty.toString()), "empty");
    }

    @Test
    void missing_path_unknown_check_and_bad_severity_should_be_errors() {
        assertCleanError(CliRunner.run("scan", "--manifests", dir.resolve("nope.yaml").toString()), "nope.yaml", "no such file");
        assertCleanError(CliRunner.run("scan", "--manifests", CliRunner.example("insecure-cluster", "manifests"),
                "--checks", "no-such-check"), "no-such-check");
        assertCleanError(CliRunner.run("scan", "--manifests", CliRunner.example("insecure-cluster", "manifests"),
                "--fail-on", "URGENT"), "URGENT");
        assertCleanError(CliRunner.run("scan"), "nothing to scan");
    }
}
