package dev.ekscm.template;

import dev.ekscm.functions.TestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * aws-sam-cli against template.yaml: `sam validate --lint`, and `sam build` of the Maven
 * multi-module project (on a copy of the sources, so the nested Maven build cannot disturb the
 * one running this test). Skipped only when sam is neither installed nor installable with pip.
 */
class SamCliTest {
    static final Path ROOT = TestSupport.root();
    static Optional<Path> sam;

    @BeforeAll
    static void findSam() {
        sam = PythonTool.find("sam", "aws-sam-cli", ".sam-venv", ROOT);
    }

    static Path requireSam() {
        assumeTrue(sam.isPresent(), "aws-sam-cli is not installed and `pip install aws-sam-cli` into "
                + ROOT.resolve(".sam-venv") + " failed: sam validate and sam build were not run");
        return sam.get();
    }

    @Test
    void sam_validate_lint_should_accept_the_template() {
        var result = PythonTool.run(List.of(requireSam().toString(), "validate", "--lint", "--region", "eu-west-1",
                "--template-file", ROOT.resolve("template.yaml").toString()), ROOT, 600);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("is a valid SAM Template");
    }

    @Test
    void sam_build_should_build_one_jar_for_the_three_functions() throws IOException {
        Path copy = Files.createTempDirectory("ekscm-sam-build");
        for (String path : List.of("pom.xml", "mvnw", ".mvn", "template.yaml", "samconfig.toml", "events", "deploy",
                "shared/pom.xml", "shared/src/main", "cli/pom.xml", "cli/src/main", "functions/pom.xml", "functions/Makefile",
                "functions/spotbugs-snapstart.xml", "functions/tools", "functions/src/main")) {
            copyTree(ROOT.resolve(path), copy.resolve(path));
        }
        var result = PythonTool.run(List.of(requireSam().toString(), "build", "--region", "eu-west-1"), copy, 1200);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("Build Succeeded");
        for (String function : List.of("ChangeEventsFunction", "ScheduledSweepFunction", "ClusterCheckFunction")) {
            assertThat(copy.resolve(".aws-sam/build").resolve(function).resolve("lib/ekscm-functions.jar")).isRegularFile();
        }
        assertThat(result.output().split("mvnw", -1)).as("one Maven build for the three functions").hasSize(2);
    }

    private static void copyTree(Path from, Path to) {
        if (!Files.exists(from)) {
            return;
        }
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
