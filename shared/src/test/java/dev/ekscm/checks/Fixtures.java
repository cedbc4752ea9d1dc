package dev.ekscm.checks;

import dev.ekscm.collect.SnapshotLoader;
import dev.ekscm.model.ClusterSnapshot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Check fixtures, Polaris style: {@code checks/<id>/pass.<name>.yaml} and
 * {@code fail.<name>.yaml}, each opening with a comment that says why; or folders
 * {@code pass.<name>/} and {@code fail.<name>/} holding {@code why.txt}, manifests ({@code *.yaml})
 * and/or an {@code aws/} folder of AWS CLI JSON outputs.
 *
 * <p>A comment line {@code # fails: Kind/namespace/name} (or a line {@code fails: …} in why.txt)
 * names a resource that must FAIL; {@code # passes: …} one that must PASS.
 */
public final class Fixtures {
    /** The day fixtures are judged on (checks have no clock). */
    public static final LocalDate AS_OF = LocalDate.of(2026, 11, 27);

    public record Fixture(String checkId, boolean shouldPass, Path path) {
        public String name() {
            return checkId + "/" + path.getFileName();
        }

        public ClusterSnapshot load() {
            if (Files.isDirectory(path)) {
                List<Path> manifests;
                try (Stream<Path> s = Files.list(path)) {
                    manifests = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                Path aws = path.resolve("aws");
                return new SnapshotLoader().load(manifests, Files.isDirectory(aws) ? Optional.of(aws) : Optional.empty());
            }
            return new SnapshotLoader().load(List.of(path), Optional.empty());
        }

        /** The why-comment: leading {@code #} lines of a YAML fixture, or why.txt of a folder. */
        public List<String> why() {
            try {
                if (Files.isDirectory(path)) {
                    Path why = path.resolve("why.txt");
                    return Files.exists(why) ? Files.readAllLines(why).stream().filter(l -> !l.isBlank()).toList() : List.of();
                }
                var lines = new ArrayList<String>();
                for (String line : Files.readAllLines(path)) {
                    if (!line.startsWith("#")) {
                        break;
                    }
                    lines.add(line.replaceFirst("^#\\s*", ""));
                }
                return lines;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public List<String> expected(String verb) {
            return why().stream().filter(l -> l.startsWith(verb + ":"))
                    .map(l -> l.substring(verb.length() + 1).trim()).toList();
        }
    }

    public static Path root() {
        try {
            return Path.of(Fixtures.class.getResource("/checks").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<String> checkFolders() {
        try (Stream<Path> s = Files.list(root())) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Fixture> of(String checkId) {
        Path dir = root().resolve(checkId);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> {
                String n = p.getFileName().toString();
                if (n.startsWith("pass.")) {
                    return new Fixture(checkId, true, p);
                }
                if (n.startsWith("fail.")) {
                    return new Fixture(checkId, false, p);
                }
                throw new IllegalStateException("fixture name must start with pass. or fail.: " + p);
            }).sorted(java.util.Comparator.comparing(f -> f.path().toString())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Fixtures() {
    }
}
