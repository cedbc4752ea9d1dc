package dev.ekscm.template;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Python command-line tool the template tests run (cfn-lint, sam): found on the PATH, else
 * installed with pip into a project-local virtual environment, as MotoServer does for moto.
 */
final class PythonTool {
    record Result(int exitCode, String output) {
    }

    private PythonTool() {
    }

    /** The tool's executable, or empty when it is neither installed nor installable here. */
    static Optional<Path> find(String executable, String pipPackage, String venvName, Path root) {
        Optional<Path> onPath = which(executable);
        if (onPath.isPresent()) {
            return onPath;
        }
        Path venv = root.resolve(venvName);
        Path tool = venv.resolve("bin").resolve(executable);
        if (!Files.isExecutable(tool)) {
            boolean ok = run(List.of("python3", "-m", "venv", venv.toString()), root, 300).exitCode() == 0
                    && run(List.of(venv.resolve("bin/pip").toString(), "install", "-q", pipPackage), root, 900).exitCode() == 0;
            if (!ok || !Files.isExecutable(tool)) {
                return Optional.empty();
            }
        }
        return Optional.of(tool);
    }

    static Result run(List<String> command, Path dir, long timeoutSeconds) {
        try {
            Path log = Files.createTempFile("tool", ".log");
            var pb = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().put("SAM_CLI_TELEMETRY", "0");
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out after " + timeoutSeconds + " s: " + String.join(" ", command) + "\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    private static Optional<Path> which(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
