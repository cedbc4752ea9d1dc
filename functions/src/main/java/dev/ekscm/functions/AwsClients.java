package dev.ekscm.functions;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SDK v2 clients per account and region, built once and reused across invocations (and kept in
 * the SnapStart snapshot: clients hold no credentials until their first call). The HTTP client is
 * UrlConnection (small, quick to start; Apache and Netty are excluded from the build). A member
 * account (MEMBER_ACCOUNTS) is reached by assuming {@code arn:PARTITION:iam::ACCOUNT:role/MEMBER_ROLE_NAME}.
 * The endpoint is the SDK's default, which honours AWS_ENDPOINT_URL; tests pass an override.
 */
public final class AwsClients implements AutoCloseable {
    /** Assuming the member role; granted only on that role name. */
    public static final List<String> IAM_ACTIONS = List.of("sts:AssumeRole");

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final Optional<URI> endpoint;
    private final Optional<String> memberRoleName;
    private final Set<String> memberAccounts;
    private final String homeRegion;
    private final Map<String, SdkClient> clients = new ConcurrentHashMap<>();
    private final Map<String, AwsCredentialsProvider> memberCredentials = new ConcurrentHashMap<>();

    public AwsClients(SdkHttpClient http, AwsCredentialsProvider credentials, Optional<URI> endpoint,
                      Optional<String> memberRoleName, Set<String> memberAccounts, String homeRegion) {
        this.http = http;
        this.credentials = credentials;
        this.endpoint = endpoint;
        this.memberRoleName = memberRoleName;
        this.memberAccounts = Set.copyOf(memberAccounts);
        this.homeRegion = homeRegion;
    }

    public static AwsClients fromEnvironment(FunctionEnvironment env) {
        SdkHttpClient http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(30)).build();
        return new AwsClients(http, DefaultCredentialsProvider.builder().build(), Optional.empty(), env.memberRoleName(),
                Set.copyOf(env.memberAccounts()), env.homeRegion());
    }

    public SqsClient sqs() {
        return client("sqs", "-", homeRegion, SqsClient.builder());
    }

    public Ec2Client ec2(String account, String region) {
        return client("ec2", account, region, Ec2Client.builder());
    }

    public EksClient eks(String account, String region) {
        return client("eks", account, region, EksClient.builder());
    }

    public boolean isMember(String account) {
        return memberRoleName.isPresent() && memberAccounts.contains(account);
    }

    @SuppressWarnings("unchecked")
    private <B extends AwsClientBuilder<B, C> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>, C extends SdkClient>
    C client(String service, String account, String region, B builder) {
        String key = service + "|" + (isMember(account) ? account : "-") + "|" + region;
        return (C) clients.computeIfAbsent(key, k -> {
            builder.httpClient(http).region(Region.of(region)).credentialsProvider(credentialsFor(account, region));
            endpoint.ifPresent(builder::endpointOverride);
            return builder.build();
        });
    }

    private AwsCredentialsProvider credentialsFor(String account, String region) {
        if (!isMember(account)) {
            return credentials;
        }
        return memberCredentials.computeIfAbsent(account + "|" + region, k -> {
            StsClient sts = client("sts", "-", region, StsClient.builder());
            String roleArn = "arn:" + partition(region) + ":iam::" + account + ":role/" + memberRoleName.orElseThrow();
            return StsAssumeRoleCredentialsProvider.builder().stsClient(sts)
                    .refreshRequest(r -> r.roleArn(roleArn).roleSessionName("ekscm-monitor").durationSeconds(900))
                    .build();
        });
    }

    static String partition(String region) {
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        if (region.startsWith("us-gov-")) {
            return "aws-us-gov";
        }
        return "aws";
    }

    @Override
    public void close() {
        clients.values().forEach(SdkClient::close);
        http.close();
    }
}
