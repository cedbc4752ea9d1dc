package dev.ekscm.checks.catalog;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A container image reference split as the container runtime reads it:
 * {@code [registry[:port]/]repository[:tag][@algorithm:hex]}. The first path component is a
 * registry only when it contains a dot or a colon or is {@code localhost}; otherwise the image
 * comes from Docker Hub ({@code docker.io}), where a one-component name lives under
 * {@code library/}.
 *
 * @param original   the text as written in the pod spec
 * @param registry   registry host (with port), {@code docker.io} for Docker Hub
 * @param repository path inside the registry ({@code library/nginx} for {@code nginx})
 * @param tag        the tag, empty when none is written
 * @param digest     the digest ({@code sha256:…}), empty when none is written
 */
public record ImageReference(String original, String registry, String repository, Optional<String> tag,
                             Optional<String> digest) {
    public static final String DOCKER_HUB = "docker.io";

    private static final Pattern HOST = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
                    + "|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");
    /** Registered OCI digest algorithms and the lower-case hex length of their encoded hash. */
    private static final Map<String, Integer> HEX_LENGTH = Map.of("sha256", 64, "sha384", 96, "sha512", 128,
            "blake3", 64);

    /**
     * Parses an image reference.
     *
     * @throws IllegalArgumentException when the text is not an image reference (empty, empty
     *                                  repository, a tag or path the runtime would reject)
     */
    public static ImageReference parse(String image) {
        if (image == null || image.isBlank()) {
            throw new IllegalArgumentException("no image given");
        }
        String text = image.trim();
        String rest = text;
        Optional<String> digest = Optional.empty();
        int at = rest.indexOf('@');
        if (at >= 0) {
            String d = rest.substring(at + 1);
            if (!DIGEST.matcher(d).matches()) {
                throw new IllegalArgumentException("'" + image + "': '" + d + "' is not a digest (expected algorithm:hex)");
            }
            digest = Optional.of(d);
            rest = rest.substring(0, at);
        }
        String registry = DOCKER_HUB;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                if (!HOST.matcher(first).matches()) {
                    throw new IllegalArgumentException("'" + image + "': '" + first
                            + "' is not a registry host (host[:numeric port])");
                }
                registry = first;
                rest = rest.substring(slash + 1);
            }
        }
        Optional<String> tag = Optional.empty();
        int colon = rest.lastIndexOf(':');
        if (colon >= 0) {
            String t = rest.substring(colon + 1);
            if (!TAG.matcher(t).matches()) {
                throw new IllegalArgumentException("'" + image + "': '" + t + "' is not a valid tag");
            }
            tag = Optional.of(t);
            rest = rest.substring(0, colon);
        }
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("'" + image + "' names no repository");
        }
        for (String component : rest.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw new IllegalArgumentException("'" + image + "': repository path component '" + component
                        + "' is not valid (lower-case letters, digits and separators only)");
            }
        }
        String host = registry.toLowerCase(Locale.ROOT);
        if (host.equals("index.docker.io") || host.equals("registry-1.docker.io")) {
            registry = DOCKER_HUB;
        }
        String repository = registry.equals(DOCKER_HUB) && !rest.contains("/") ? "library/" + rest : rest;
        return new ImageReference(text, registry, repository, tag, digest);
    }

    /**
     * True when a digest is written and well-formed: a registered algorithm (sha256, sha384,
     * sha512, blake3) needs its exact number of lower-case hex digits; other algorithms only the
     * OCI digest grammar, as the OCI image spec asks.
     */
    public boolean hasValidDigest() {
        return digest.map(ImageReference::isValidDigest).orElse(false);
    }

    static boolean isValidDigest(String digest) {
        int colon = digest.indexOf(':');
        Integer length = HEX_LENGTH.get(digest.substring(0, colon));
        String encoded = digest.substring(colon + 1);
        return length == null || (encoded.length() == length && encoded.chars().allMatch(
                c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')));
    }

    /** True when the tag is {@code latest} or no tag is written (which the runtime reads as latest). */
    public boolean floatingTag() {
        return tag.map("latest"::equals).orElse(true);
    }

    /** {@code registry/repository}: where the image comes from, without tag or digest. */
    public String location() {
        return registry + "/" + repository;
    }

    /**
     * True when this image comes from an allow-list entry: a registry host
     * ({@code 111122223333.dkr.ecr.eu-west-1.amazonaws.com}, {@code docker.io}), a host glob
     * ({@code *.dkr.ecr.*.amazonaws.com}), or a registry path prefix ({@code ghcr.io/acme}, which
     * allows {@code ghcr.io/acme/…} but not {@code ghcr.io/acme-evil/…}).
     */
    public boolean isFrom(String allowed) {
        String entry = allowed.trim().toLowerCase(Locale.ROOT);
        while (entry.endsWith("/")) {
            entry = entry.substring(0, entry.length() - 1);
        }
        if (entry.isEmpty()) {
            return false;
        }
        int slash = entry.indexOf('/');
        String hostPattern = slash < 0 ? entry : entry.substring(0, slash);
        if (hostPattern.equals("index.docker.io") || hostPattern.equals("registry-1.docker.io")) {
            hostPattern = DOCKER_HUB;
        }
        if (!glob(hostPattern, registry.toLowerCase(Locale.ROOT))) {
            return false;
        }
        if (slash < 0) {
            return true;
        }
        String pathPrefix = entry.substring(slash + 1);
        return repository.equals(pathPrefix) || repository.startsWith(pathPrefix + "/");
    }

    private static boolean glob(String pattern, String value) {
        if (!pattern.contains("*")) {
            return pattern.equals(value);
        }
        // '*' stays within one DNS label: *.example.com matches a.example.com, not a.b.example.com.
        String regex = ("\\Q" + pattern + "\\E").replace("*", "\\E[^./]*\\Q");
        return Pattern.matches(regex, value);
    }

    @Override
    public String toString() {
        return original;
    }
}
