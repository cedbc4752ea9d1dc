package dev.ekscm.testing;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;

/** Points SDK v2 client builders at the local emulator with its fake credentials. */
public final class AwsTestClients {
    private AwsTestClients() {
    }

    public static <B extends AwsClientBuilder<B, C>, C> C of(B builder, MotoServer moto) {
        return of(builder, moto, MotoServer.REGION);
    }

    public static <B extends AwsClientBuilder<B, C>, C> C of(B builder, MotoServer moto, String region) {
        return builder.endpointOverride(moto.endpoint())
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
                .build();
    }
}
