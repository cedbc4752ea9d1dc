package dev.ekscm.collect;

import io.fabric8.kubernetes.client.OAuthTokenProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * The bearer token the EKS API server accepts, made without aws-iam-authenticator or the AWS
 * CLI: {@code k8s-aws-v1.} + base64url (no padding) of a presigned STS GetCallerIdentity URL,
 * signed with SigV4 in the query string, with the signed header {@code x-k8s-aws-id: <cluster>}
 * and a 60-second expiry. EKS accepts such a token for 15 minutes; it is cached and made anew
 * after 14. Nothing is signed before the first {@link #getToken()} (no credentials resolved at
 * class or object initialisation, which matters for SnapStart).
 */
public final class EksTokenProvider implements OAuthTokenProvider {
    public static final String PREFIX = "k8s-aws-v1.";
    public static final String CLUSTER_ID_HEADER = "x-k8s-aws-id";
    static final Duration URL_EXPIRY = Duration.ofSeconds(60);
    static final Duration RENEW_AFTER = Duration.ofMinutes(14);

    private final String clusterName;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final Optional<URI> stsEndpoint;
    private final Clock clock;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    private String token;
    private Instant madeAt;

    /**
     * @param stsEndpoint an STS endpoint override (e.g. a local emulator); empty for the regional
     *                    endpoint {@code https://sts.<region>.amazonaws.com}
     */
    public EksTokenProvider(String clusterName, String region, AwsCredentialsProvider credentials,
                            Optional<URI> stsEndpoint, Clock clock) {
        this.clusterName = Objects.requireNonNull(clusterName, "clusterName");
        this.region = Objects.requireNonNull(region, "region");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.stsEndpoint = stsEndpoint;
        this.clock = clock;
    }

    public EksTokenProvider(String clusterName, String region, AwsCredentialsProvider credentials) {
        this(clusterName, region, credentials, AwsClientFactory.endpointOverride("STS"), Clock.systemUTC());
    }

    @Override
    public synchronized String getToken() {
        Instant now = clock.instant();
        if (token == null || !now.isBefore(madeAt.plus(RENEW_AFTER))) {
            token = PREFIX + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(presignedUrl(now).getBytes(StandardCharsets.UTF_8));
            madeAt = now;
        }
        return token;
    }

    /** The presigned {@code GetCallerIdentity} URL the token wraps. */
    String presignedUrl(Instant at) {
        URI endpoint = stsEndpoint.orElseGet(() -> regionalStsEndpoint(region));
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.GET)
                .uri(endpoint)
                .encodedPath("/")
                .putRawQueryParameter("Action", "GetCallerIdentity")
                .putRawQueryParameter("Version", "2011-06-15")
                .putHeader(CLUSTER_ID_HEADER, clusterName)
                .build();
        AwsCredentialsIdentity identity = credentials.resolveCredentials();
        SignedRequest signed = signer.sign(r -> r
                .identity(identity)
                .request(request)
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "sts")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, URL_EXPIRY)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, java.time.ZoneOffset.UTC)));
        return signed.request().getUri().toString();
    }

    static URI regionalStsEndpoint(String region) {
        String suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
        return URI.create("https://sts." + region + "." + suffix);
    }
}
