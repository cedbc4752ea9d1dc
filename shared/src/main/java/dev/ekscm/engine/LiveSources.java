package dev.ekscm.engine;

import dev.ekscm.collect.ApiCallCounter;
import dev.ekscm.collect.AwsClientFactory;
import dev.ekscm.collect.KubernetesCollector;
import dev.ekscm.collect.LiveSnapshotSource;
import dev.ekscm.model.ClusterId;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One live source per account: the monitor's own credentials for its account, and for a member
 * account (listed in MEMBER_ACCOUNTS) the credentials of {@code arn:aws:iam::ACCOUNT:role/MEMBER_ROLE_NAME},
 * assumed through STS and refreshed by the SDK. Sources are built on first use and reused, so
 * nothing is signed or assumed at init (SnapStart).
 */
public final class LiveSources implements Function<ClusterId, LiveSnapshotSource> {
    private final AwsCredentialsProvider home;
    private final Optional<String> memberRoleName;
    private final Set<String> memberAccounts;
    private final Optional<URI> endpoint;
    private final Clock clock;
    private final Map<String, LiveSnapshotSource> byAccount = new ConcurrentHashMap<>();

    public LiveSources(AwsCredentialsProvider home, Optional<String> memberRoleName, Set<String> memberAccounts,
                       Optional<URI> endpoint, Clock clock) {
        this.home = home;
        this.memberRoleName = memberRoleName.filter(s -> !s.isBlank());
        this.memberAccounts = Set.copyOf(memberAccounts);
        this.endpoint = endpoint;
        this.clock = clock;
    }

    public static LiveSources fromEnvironment(Map<String, String> env, Clock clock) {
        var accounts = java.util.Arrays.stream(env.getOrDefault("MEMBER_ACCOUNTS", "").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(java.util.stream.Collectors.toSet());
        return new LiveSources(DefaultCredentialsProvider.builder().build(),
                Optional.ofNullable(env.get("MEMBER_ROLE_NAME")), accounts, Optional.empty(), clock);
    }

    public boolean isMember(String account) {
        return memberRoleName.isPresent() && memberAccounts.contains(account);
    }

    @Override
    public LiveSnapshotSource apply(ClusterId cluster) {
        String key = isMember(cluster.account()) ? cluster.account() : "-";
        return byAccount.computeIfAbsent(key, k -> new LiveSnapshotSource(
                new AwsClientFactory(k.equals("-") ? home : assumeRole(k, cluster.region()), endpoint, new ApiCallCounter()),
                KubernetesCollector.Settings.defaults(), clock));
    }

    private AwsCredentialsProvider assumeRole(String account, String region) {
        var sts = StsClient.builder().credentialsProvider(home).httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(software.amazon.awssdk.regions.Region.of(region));
        endpoint.ifPresent(sts::endpointOverride);
        String roleArn = "arn:aws:iam::" + account + ":role/" + memberRoleName.orElseThrow();
        return StsAssumeRoleCredentialsProvider.builder().stsClient(sts.build())
                .refreshRequest(r -> r.roleArn(roleArn).roleSessionName("ekscm-cluster-check")).build();
    }
}
