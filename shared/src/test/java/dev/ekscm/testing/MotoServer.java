package dev.ekscm.testing;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The local AWS emulator, moto in server mode, started once per JVM on a free loopback port and
 * stopped when the JVM exits. Finds {@code moto_server} on the PATH, else {@code python3 -m
 * moto.server}, else installs moto into a project-local virtual environment ({@code .moto-venv})
 * with pip, and fails with a clear message when it can do none of these.
 */
public final class MotoServer {
    public static final String REGION = "us-east-1";
    public static final String ACCESS_KEY = "testing";
    public static final String SECRET_KEY = "testing";

    private static MotoServer instance;

    private final Process process;
    private final int port;

    private MotoServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The running server, started on first use. */
    public static synchronized MotoServer get() {
        if (instance == null || !instance.process.isAlive()) {
            instance = start();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "moto-server-stop"));
        }
        return instance;
    }

    /** The SDK system properties that make every default-built client (the CLI's, the handlers') use this server. */
    public static final List<String> SDK_PROPERTIES = List.of("aws.endpointUrl", "aws.region", "aws.accessKeyId", "aws.secretAccessKey");

    /** Points default-built SDK clients of this JVM at this server (for in-process CLI and handler tests). */
    public void useAsSdkDefault() {
        System.setProperty("aws.endpointUrl", endpoint().toString());
        System.setProperty("aws.region", REGION);
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
    }

    /** Undoes {@link #useAsSdkDefault()}. */
    public static void clearSdkDefault() {
        SDK_PROPERTIES.forEach(System::clearProperty);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** Forgets every resource in every service: a clean account for the next test. */
    public void reset() {
        try {
            var conn = (HttpURLConnection) endpoint().resolve("/moto-api/reset").toURL().openConnection();
            conn.setRequestMethod("POST");
            conn.setDoOutput(true);
            conn.getOutputStream().close();
            if (conn.getResponseCode() != 200) {
                throw new IllegalStateException("moto reset answered HTTP " + conn.getResponseCode());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot reset moto at " + endpoint() + ": " + e.getMessage(), e);
        }
    }

    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static MotoServer start() {
        List<String> command = new ArrayList<>(launcher());
        int port = freePort();
        command.addAll(List.of("-H", "127.0.0.1", "-p", String.valueOf(port)));
        try {
            Path log = Files.createTempFile("moto-server", ".log");
            var pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("MOTO_ALLOW_NONEXISTENT_REGION", "true");
            Process p = pb.start();
            waitUntilUp(p, port, log);
            return new MotoServer(p, port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start moto (" + String.join(" ", command) + "): " + e.getMessage(), e);
        }
    }

    private static List<String> launcher() {
        Optional<String> onPath = which("moto_server");
        if (onPath.isPresent()) {
            return List.of(onPath.get());
        }
        if (run(List.of("python3", "-c", "import moto.server, flask, flask_cors"))) {
            return List.of("python3", "-m", "moto.server");
        }
        Path venv = projectRoot().resolve(".moto-venv");
        Path server = venv.resolve("bin/moto_server");
        if (!Files.isExecutable(server)) {
            boolean ok = run(List.of("python3", "-m", "venv", venv.toString()))
                    && run(List.of(venv.resolve("bin/pip").toString(), "install", "-q", "moto[server]"));
            if (!ok || !Files.isExecutable(server)) {
                throw new IllegalStateException("moto is not installed and could not be installed: need moto_server on the"
                        + " PATH, or python3 with pip to run `pip install \"moto[server]\"` (tried into " + venv + ")");
            }
        }
        return List.of(server.toString());
    }

    private static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.exists(d.resolve("mvnw"))) {
                return d;
            }
        }
        return dir;
    }

    private static Optional<String> which(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }

    private static boolean run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    private static void waitUntilUp(Process p, int port, Path log) throws IOException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (!p.isAlive()) {
                throw new IllegalStateException("moto exited with code " + p.exitValue() + ": " + Files.readString(log));
            }
            try {
                var conn = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/moto-api/").toURL().openConnection();
                conn.setConnectTimeout(500);
                if (conn.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for moto", e);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("moto did not answer on port " + port + " within 60 s: " + Files.readString(log));
    }
}
