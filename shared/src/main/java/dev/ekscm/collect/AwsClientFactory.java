package dev.ekscm.collect;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.eks.EksClient;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Builds and caches the SDK clients of one region: URLConnection HTTP client (no Apache, no
 * Netty), the default credential chain unless given others, adaptive retries (exponential backoff
 * with jitter, and client-side rate limiting when throttled), and every client counted by the
 * {@link ApiCallCounter} it was given.
 *
 * <p>Endpoints: {@code AWS_ENDPOINT_URL} and {@code AWS_ENDPOINT_URL_<SERVICE>} (and the system
 * properties {@code aws.endpointUrl...}) are resolved by the SDK itself (it has since 2.22;
 * AwsClientFactoryTest proves it against the emulator), so no override is set unless one is given
 * explicitly (tests).
 */
public final class AwsClientFactory implements AutoCloseable {
    private final AwsCredentialsProvider credentials;
    private final Optional<URI> endpointOverride;
    private final ApiCallCounter counter;
    private final Map<String, AwsClients> byRegion = new HashMap<>();

    /** Production: default credential chain, endpoints as the environment says. */
    public AwsClientFactory() {
        this(DefaultCredentialsProvider.builder().build(), Optional.empty(), new ApiCallCounter());
    }

    public AwsClientFactory(AwsCredentialsProvider credentials, Optional<URI> endpointOverride, ApiCallCounter counter) {
        this.credentials = credentials;
        this.endpointOverride = endpointOverride;
        this.counter = counter;
    }

    public AwsCredentialsProvider credentials() {
        return credentials;
    }

    /** Counts every call made through this factory's clients (all runs together). */
    public ApiCallCounter counter() {
        return counter;
    }

    /** Where STS is for EKS tokens: the explicit override, else the environment's, else regional. */
    public Optional<URI> stsEndpoint() {
        return endpointOverride.or(() -> endpointOverride("STS"));
    }

    public synchronized AwsClients forRegion(String region) {
        return byRegion.computeIfAbsent(region, this::build);
    }

    private AwsClients build(String region) {
        return new AwsClients(region,
                configure(EksClient.builder(), region).build(),
                configure(Ec2Client.builder(), region).build(),
                configure(EcrClient.builder(), region).build());
    }

    private <B extends AwsClientBuilder<B, C>, C> B configure(B builder, String region) {
        builder.region(Region.of(region))
                .credentialsProvider(credentials)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(RetryMode.ADAPTIVE_V2)
                        .apiCallAttemptTimeout(Duration.ofSeconds(20))
                        .apiCallTimeout(Duration.ofSeconds(90))
                        .addExecutionInterceptor(counter)
                        .build());
        if (builder instanceof software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<?, ?> sync) {
            sync.httpClientBuilder(UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(5))
                    .socketTimeout(Duration.ofSeconds(20)));
        }
        endpointOverride.ifPresent(builder::endpointOverride);
        return builder;
    }

    /**
     * The endpoint the environment sets for a service ({@code AWS_ENDPOINT_URL_<SERVICE>}, else
     * {@code AWS_ENDPOINT_URL}, or the {@code aws.endpointUrl<Service>} / {@code aws.endpointUrl}
     * system properties), as the SDK resolves it for its clients. Needed where we build a URL
     * ourselves (the presigned STS URL of an EKS token).
     */
    static Optional<URI> endpointOverride(String service) {
        String svc = service.toUpperCase(Locale.ROOT);
        String prop = service.substring(0, 1).toUpperCase(Locale.ROOT) + service.substring(1).toLowerCase(Locale.ROOT);
        for (String value : new String[]{System.getProperty("aws.endpointUrl" + prop), System.getenv("AWS_ENDPOINT_URL_" + svc),
                System.getProperty("aws.endpointUrl"), System.getenv("AWS_ENDPOINT_URL")}) {
            if (value != null && !value.isBlank()) {
                return Optional.of(URI.create(value.trim()));
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized void close() {
        byRegion.values().forEach(AwsClients::close);
        byRegion.clear();
    }

    /** The clients of one region. */
    public record AwsClients(String region, EksClient eks, Ec2Client ec2, EcrClient ecr) implements AutoCloseable {
        @Override
        public void close() {
            eks.close();
            ec2.close();
            ecr.close();
        }
    }
}
