package dev.ekscm.collect;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class EksTokenProviderTest {
    private static final Instant T0 = Instant.parse("2025-03-04T10:00:00Z");

    @Test
    void token_should_be_a_presigned_sts_get_caller_identity_url_for_the_cluster() {
        // GIVEN a provider for cluster shop-prod in eu-west-1
        var clock = new FakeClock(T0);
        var provider = new EksTokenProvider("shop-prod", "eu-west-1",
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")), Optional.empty(), clock);

        // WHEN a token is made
        String token = provider.getToken();

        // THEN it is k8s-aws-v1. + base64url without padding of the regional STS URL
        assertThat(token).startsWith("k8s-aws-v1.");
        String encoded = token.substring("k8s-aws-v1.".length());
        assertThat(encoded).doesNotContain("=", "+", "/");
        URI url = URI.create(new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8));
        assertThat(url.getScheme()).isEqualTo("https");
        assertThat(url.getHost()).isEqualTo("sts.eu-west-1.amazonaws.com");
        assertThat(url.getPath()).isEqualTo("/");
        Map<String, String> q = query(url);
        assertThat(q).containsEntry("Action", "GetCallerIdentity")
                .containsEntry("Version", "2011-06-15")
                .containsEntry("X-Amz-Algorithm", "AWS4-HMAC-SHA256")
                .containsEntry("X-Amz-Expires", "60")
                .containsEntry("X-Amz-Date", "20250304T100000Z")
                .containsEntry("X-Amz-Credential", "AKIDEXAMPLE/20250304/eu-west-1/sts/aws4_request");
        assertThat(List.of(q.get("X-Amz-SignedHeaders").split(";"))).contains("host", "x-k8s-aws-id");
        assertThat(q.get("X-Amz-Signature")).matches("[0-9a-f]{64}");
        assertThat(q).doesNotContainKey("x-k8s-aws-id"); // a signed header, not a query parameter
    }

    @Test
    void token_should_carry_the_session_token_of_temporary_credentials() {
        var provider = new EksTokenProvider("c", "us-east-1", StaticCredentialsProvider.create(
                AwsSessionCredentials.create("ASIAEXAMPLE", "secret", "session/token+x")), Optional.empty(), new FakeClock(T0));

        Map<String, String> q = query(decode(provider.getToken()));

        assertThat(q).containsEntry("X-Amz-Security-Token", "session/token+x");
    }

    @Test
    void token_should_use_the_sts_endpoint_override_when_given() {
        var provider = new EksTokenProvider("c", "us-east-1",
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")),
                Optional.of(URI.create("http://127.0.0.1:4566")), new FakeClock(T0));

        URI url = decode(provider.getToken());

        assertThat(url.getHost()).isEqualTo("127.0.0.1");
        assertThat(url.getPort()).isEqualTo(4566);
        assertThat(query(url)).containsEntry("Action", "GetCallerIdentity");
    }

    @Test
    void token_should_be_cached_and_renewed_after_14_minutes() {
        // GIVEN a provider whose credentials count how often they are resolved
        var clock = new FakeClock(T0);
        var resolved = new AtomicInteger();
        var provider = new EksTokenProvider("shop-prod", "eu-west-1", () -> {
            resolved.incrementAndGet();
            return AwsBasicCredentials.create("AKID", "secret");
        }, Optional.empty(), clock);
        assertThat(resolved).as("nothing is signed before the first use").hasValue(0);

        String first = provider.getToken();
        clock.advance(Duration.ofMinutes(13).plusSeconds(59));
        // THEN within 14 minutes the same token is returned, without signing again
        assertThat(provider.getToken()).isEqualTo(first);
        assertThat(resolved).hasValue(1);

        // WHEN 14 minutes have passed THEN a new token, signed at the new time
        clock.advance(Duration.ofSeconds(1));
        String renewed = provider.getToken();
        assertThat(renewed).isNotEqualTo(first);
        assertThat(resolved).hasValue(2);
        assertThat(query(decode(renewed))).containsEntry("X-Amz-Date", "20250304T101400Z");
    }

    @Test
    void regional_endpoint_should_follow_the_partition() {
        assertThat(EksTokenProvider.regionalStsEndpoint("cn-north-1").getHost()).isEqualTo("sts.cn-north-1.amazonaws.com.cn");
        assertThat(EksTokenProvider.regionalStsEndpoint("ap-south-2").getHost()).isEqualTo("sts.ap-south-2.amazonaws.com");
    }

    static URI decode(String token) {
        return URI.create(new String(Base64.getUrlDecoder().decode(token.substring("k8s-aws-v1.".length())),
                StandardCharsets.UTF_8));
    }

    static Map<String, String> query(URI url) {
        var map = new LinkedHashMap<String, String>();
        for (String pair : url.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            map.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return map;
    }

    /** A clock the test moves. */
    static final class FakeClock extends Clock {
        private Instant now;

        FakeClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
