package dev.ekscm.functions;

import dev.ekscm.testing.AwsTestClients;
import dev.ekscm.testing.MotoServer;
import dev.ekscm.testing.MotoServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sweep against the emulator: clusters of two regions and of a member account reached through the member role. */
@ExtendWith(MotoServerExtension.class)
class ScheduledSweepTest {
    static final String OWN = "123456789012";
    static final String MEMBER = "222233334444";

    static void createCluster(EksClient eks, String name) {
        eks.createCluster(b -> b.name(name).roleArn("arn:aws:iam::" + OWN + ":role/eks").resourcesVpcConfig(v -> v.subnetIds("subnet-0a1b2c3d")));
    }

    @Test
    void sweep_should_request_one_full_recheck_per_cluster_in_every_region_and_member_account(MotoServer moto) throws Exception {
        // GIVEN clusters in two regions of the own account, and one in a member account
        try (EksClient euWest = AwsTestClients.of(EksClient.builder(), moto, "eu-west-1");
             EksClient usEast = AwsTestClients.of(EksClient.builder(), moto, "us-east-1");
             StsClient sts = AwsTestClients.of(StsClient.builder(), moto);
             SqsClient sqs = AwsTestClients.of(SqsClient.builder(), moto)) {
            for (int i = 0; i < 3; i++) {
                createCluster(euWest, "shop-" + i);
            }
            createCluster(usEast, "payments");
            var member = sts.assumeRole(b -> b.roleArn("arn:aws:iam::" + MEMBER + ":role/ekscm-member").roleSessionName("seed")).credentials();
            try (EksClient memberEks = EksClient.builder().endpointOverride(moto.endpoint()).region(Region.EU_WEST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(software.amazon.awssdk.auth.credentials.AwsSessionCredentials
                            .create(member.accessKeyId(), member.secretAccessKey(), member.sessionToken()))).build()) {
                createCluster(memberEks, "partner-prod");
            }
            String url = StormTest.fifoQueue(sqs, "sweep-recheck.fifo");
            var env = FunctionEnvironment.from(Map.of("REGIONS", "eu-west-1,us-east-1", "MEMBER_ROLE_NAME", "ekscm-member",
                    "MEMBER_ACCOUNTS", MEMBER, "AWS_REGION", "us-east-1", "RECHECK_QUEUE_URL", url));
            var clients = new AwsClients(UrlConnectionHttpClient.create(), StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)), Optional.of(moto.endpoint()),
                    env.memberRoleName(), Set.copyOf(env.memberAccounts()), "us-east-1");
            var handler = new ScheduledSweepHandler(new EksClusterLister(clients),
                    new SqsRecheckQueue(sqs, url, new RecheckMessages(TestSupport.MAPPER), env.coalesceWindow()),
                    env, new TestSupport.Captured().out, EventsCorpusTest.CLOCK);
            String event = new String(TestSupport.bytes(TestSupport.events().resolve("schedule.json")), StandardCharsets.UTF_8)
                    .replace("111122223333", OWN);
            // WHEN the schedule fires
            handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(),
                    TestSupport.context());
            // THEN one full recheck per cluster sits on the queue
            var parser = new RecheckMessages(TestSupport.MAPPER);
            var requests = StormTest.drain(sqs, url).stream().map(m -> parser.parse(m.body())).toList();
            assertThat(requests).extracting(r -> r.cluster().key()).containsExactlyInAnyOrder(
                    OWN + "#eu-west-1#shop-0", OWN + "#eu-west-1#shop-1", OWN + "#eu-west-1#shop-2", OWN + "#us-east-1#payments",
                    MEMBER + "#eu-west-1#partner-prod");
            assertThat(requests).allSatisfy(r -> assertThat(r.isFull()).isTrue());
            clients.close();
        }
    }

    @Test
    void a_region_that_cannot_be_listed_should_not_stop_the_others_but_fail_the_invocation() {
        var queue = new TestSupport.RecordingQueue();
        var out = new TestSupport.Captured();
        var env = FunctionEnvironment.from(Map.of("REGIONS", "eu-west-1,ap-east-1"));
        var handler = new ScheduledSweepHandler((account, region) -> {
            if (region.equals("ap-east-1")) {
                throw new IllegalStateException("The security token included in the request is invalid (opt-in region)");
            }
            return java.util.List.of("shop-prod");
        }, queue, env, out.out, EventsCorpusTest.CLOCK);
        assertThatThrownBy(() -> handler.handleRequest(new ByteArrayInputStream(TestSupport.bytes(TestSupport.events().resolve("schedule.json"))),
                new ByteArrayOutputStream(), TestSupport.context()))
                .hasMessageContaining("sweep incomplete").hasMessageContaining("111122223333/ap-east-1");
        assertThat(queue.sent).extracting(r -> r.cluster().name()).containsExactly("shop-prod");
    }
}
