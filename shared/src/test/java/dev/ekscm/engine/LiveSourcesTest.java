package dev.ekscm.engine;

import dev.ekscm.collect.CollectionPlan;
import dev.ekscm.model.BadInputException;
import dev.ekscm.model.ClusterId;
import dev.ekscm.model.Input;
import dev.ekscm.testing.MotoServer;
import dev.ekscm.testing.MotoServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.sts.StsClient;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Member accounts: a cluster in an account listed in MEMBER_ACCOUNTS is collected with the member
 * role's credentials (moto keeps accounts apart by the credentials of an assumed role).
 */
@ExtendWith(MotoServerExtension.class)
class LiveSourcesTest {
    private static final String MEMBER = "111111111111";
    private static final String ROLE = "ekscm-member";

    @Test
    void member_account_cluster_should_be_collected_through_the_member_role(MotoServer moto) {
        // GIVEN a cluster created in the member account (with that account's assumed-role credentials)
        var home = StaticCredentialsProvider.create(AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY));
        var sts = StsClient.builder().endpointOverride(moto.endpoint()).region(Region.of(MotoServer.REGION))
                .credentialsProvider(home).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        var creds = sts.assumeRole(b -> b.roleArn("arn:aws:iam::" + MEMBER + ":role/" + ROLE).roleSessionName("seed")).credentials();
        var memberEks = EksClient.builder().endpointOverride(moto.endpoint()).region(Region.of(MotoServer.REGION))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                        creds.accessKeyId(), creds.secretAccessKey(), creds.sessionToken()))).build();
        memberEks.createCluster(b -> b.name("member-cluster").roleArn("arn:aws:iam::" + MEMBER + ":role/eks")
                .resourcesVpcConfig(v -> v.subnetIds("subnet-1")));

        var sources = new LiveSources(home, Optional.of(ROLE), Set.of(MEMBER), Optional.of(moto.endpoint()), Clock.systemUTC());
        var plan = CollectionPlan.of(Input.EKS_CLUSTER);

        // WHEN it is collected as a member cluster THEN it is found with the member account's ARN
        var collected = sources.apply(new ClusterId(MEMBER, MotoServer.REGION, "member-cluster"))
                .collect("member-cluster", MotoServer.REGION, Optional.empty(), plan);
        assertThat(collected.snapshot().cluster().account()).isEqualTo(MEMBER);

        // AND with the home account's credentials it does not exist
        assertThat(sources.isMember("222222222222")).isFalse();
        assertThatThrownBy(() -> sources.apply(new ClusterId("222222222222", MotoServer.REGION, "member-cluster"))
                .collect("member-cluster", MotoServer.REGION, Optional.empty(), plan))
                .isInstanceOf(BadInputException.class).hasMessageContaining("member-cluster");
    }
}
