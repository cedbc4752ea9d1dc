package dev.ekscm.findings;

import dev.ekscm.testing.AwsTestClients;
import dev.ekscm.testing.MotoServer;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Duration;
import java.util.UUID;

/** DynamoDB clients against moto and fresh findings tables. */
public final class DynamoDbTestSupport {
    public static final Backoff NO_WAIT = new Backoff(Duration.ZERO, Duration.ZERO, d -> { });

    private DynamoDbTestSupport() {
    }

    /** A client with the SDK's own retries off, so the store's retries are what a test sees. */
    public static DynamoDbClient client(MotoServer moto, ExecutionInterceptor... interceptors) {
        return AwsTestClients.of(DynamoDbClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> {
                    for (ExecutionInterceptor i : interceptors) {
                        o.addExecutionInterceptor(i);
                    }
                    o.retryStrategy(AwsRetryStrategy.doNotRetry());
                }), moto);
    }

    /** Creates a findings table with a unique name. */
    public static String newTable(DynamoDbClient dynamo) {
        String table = "findings-" + UUID.randomUUID().toString().substring(0, 8);
        FindingsTableSchema.createIfAbsent(dynamo, table);
        return table;
    }

    public static DynamoDbFindingStore store(DynamoDbClient dynamo, String table) {
        return new DynamoDbFindingStore(dynamo, table, NO_WAIT, 8);
    }
}
