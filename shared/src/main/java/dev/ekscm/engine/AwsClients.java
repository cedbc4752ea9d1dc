package dev.ekscm.engine;

import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

import java.util.Optional;

/**
 * Builds SDK v2 clients the way every entry point needs them: the small URL-connection HTTP
 * client, standard retries with backoff, the default credential chain, the region given (else the
 * default region chain), and {@code AWS_ENDPOINT_URL} / {@code aws.endpointUrl}, which the SDK
 * honours by itself.
 */
public final class AwsClients {
    private final Optional<String> region;

    public AwsClients(Optional<String> region) {
        this.region = region.filter(r -> !r.isBlank());
    }

    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder) {
        builder.httpClientBuilder(UrlConnectionHttpClient.builder());
        builder.overrideConfiguration(ClientOverrideConfiguration.builder().retryStrategy(RetryMode.STANDARD).build());
        region.map(Region::of).ifPresent(builder::region);
        return builder.build();
    }
}
