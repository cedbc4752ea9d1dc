package dev.ekscm.checks.catalog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageReferenceTest {
    private static final String SHA = "682a1c47a1d34030b53d929d93f628b8e80e292b915f8c0e8d8fb51b3b7be968";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // image                                                  | registry                                     | repository          | tag     | digest
            "nginx                                                   | docker.io                                    | library/nginx       | -       | -",
            "nginx:1.27.3                                            | docker.io                                    | library/nginx       | 1.27.3  | -",
            "bitnami/redis:7.4                                       | docker.io                                    | bitnami/redis       | 7.4     | -",
            "docker.io/nginx:latest                                  | docker.io                                    | library/nginx       | latest  | -",
            "index.docker.io/library/nginx:1.27                      | docker.io                                    | library/nginx       | 1.27    | -",
            "localhost/app:dev                                       | localhost                                    | app                 | dev     | -",
            "localhost:5000/app                                      | localhost:5000                               | app                 | -       | -",
            "[::1]:5000/app:1.0                                      | [::1]:5000                                   | app                 | 1.0     | -",
            "registry.internal.example:5000/platform/queue           | registry.internal.example:5000               | platform/queue      | -       | -",
            "registry.internal.example:5000/platform/queue:2.1       | registry.internal.example:5000               | platform/queue      | 2.1     | -",
            "ghcr.io/acme/team/api:3.2.0-rc.1                        | ghcr.io                                      | acme/team/api       | 3.2.0-rc.1 | -",
            "111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/payments-api:1.4.2 | 111122223333.dkr.ecr.eu-west-1.amazonaws.com | shop/payments-api | 1.4.2 | -",
    })
    void parse_should_split_registry_repository_and_tag(String image, String registry, String repository, String tag,
                                                        String digest) {
        var ref = ImageReference.parse(image);

        assertThat(ref.registry()).isEqualTo(registry);
        assertThat(ref.repository()).isEqualTo(repository);
        assertThat(ref.tag()).isEqualTo(Optional.ofNullable(tag));
        assertThat(ref.digest()).isEqualTo(Optional.ofNullable(digest));
    }

    @Test
    void parse_should_read_digest_with_and_without_tag() {
        var digestOnly = ImageReference.parse("redis@sha256:" + SHA);
        var both = ImageReference.parse("localhost:5000/shop/api:1.4.2@sha256:" + SHA);

        assertThat(digestOnly.repository()).isEqualTo("library/redis");
        assertThat(digestOnly.tag()).isEmpty();
        assertThat(digestOnly.digest()).contains("sha256:" + SHA);
        assertThat(digestOnly.hasValidDigest()).isTrue();
        assertThat(both.registry()).isEqualTo("localhost:5000");
        assertThat(both.repository()).isEqualTo("shop/api");
        assertThat(both.tag()).contains("1.4.2");
        assertThat(both.hasValidDigest()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nginx@sha256:123456", "nginx@sha256:" + "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789",
            "nginx@sha512:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "nginx@blake3:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde"})
    void hasValidDigest_should_be_false_when_a_registered_algorithm_has_the_wrong_length_or_case(String image) {
        assertThat(ImageReference.parse(image).hasValidDigest()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nginx@blake3:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "nginx@sha384:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "nginx@custom-algorithm:a", "nginx@multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8"})
    void hasValidDigest_should_accept_registered_algorithms_and_any_grammatical_unregistered_one(String image) {
        assertThat(ImageReference.parse(image).hasValidDigest()).isTrue();
    }

    @Test
    void floatingTag_should_be_true_for_latest_and_no_tag_only() {
        assertThat(ImageReference.parse("nginx").floatingTag()).isTrue();
        assertThat(ImageReference.parse("nginx:latest").floatingTag()).isTrue();
        assertThat(ImageReference.parse("localhost:5000/nginx").floatingTag()).isTrue();
        assertThat(ImageReference.parse("nginx:1.27").floatingTag()).isFalse();
        assertThat(ImageReference.parse("nginx:latest-alpine").floatingTag()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", ":1.0", "nginx:", "nginx:bad/tag", "Nginx:1.0", "acme//api:1.0", "nginx@sha256",
            "ghcr.io/:1.0", "my_registry.example/app:1.0"})
    void parse_should_reject_text_that_is_no_image_reference(String image) {
        assertThatThrownBy(() -> ImageReference.parse(image)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} from {1} -> {2}")
    @CsvSource({
            "111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/api:1.0, 111122223333.dkr.ecr.eu-west-1.amazonaws.com, true",
            "111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/api:1.0, *.dkr.ecr.*.amazonaws.com, true",
            "evil.example/x.dkr.ecr.eu-west-1.amazonaws.com:1.0, *.dkr.ecr.*.amazonaws.com, false",
            "a.b.dkr.ecr.eu-west-1.amazonaws.com/shop/api:1.0, *.dkr.ecr.*.amazonaws.com, false",
            "nginx:1.27, docker.io, true",
            "nginx:1.27, index.docker.io, true",
            "nginx:1.27, docker.io/library, true",
            "bitnami/redis:7.4, docker.io/library, false",
            "ghcr.io/acme/api:1.0, ghcr.io/acme, true",
            "ghcr.io/acme/api:1.0, ghcr.io/acme/, true",
            "ghcr.io/acme-evil/api:1.0, ghcr.io/acme, false",
            "ghcr.io/acme/api:1.0, GHCR.IO, true",
            "localhost:5000/app:1.0, localhost, false",
            "localhost:5000/app:1.0, localhost:5000, true",
            "quay.io/prometheus/node-exporter:v1.8.2, ghcr.io, false",
    })
    void isFrom_should_match_hosts_globs_and_path_prefixes(String image, String allowed, boolean expected) {
        assertThat(ImageReference.parse(image).isFrom(allowed)).isEqualTo(expected);
    }
}
