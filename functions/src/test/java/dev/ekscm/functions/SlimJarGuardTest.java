package dev.ekscm.functions;

import dev.ekscm.collect.ApiCallCounter;
import dev.ekscm.collect.AwsClientFactory;
import dev.ekscm.collect.AwsSeed;
import dev.ekscm.testing.MotoServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guards tools/SlimAwsSdk.java, which drops the AWS SDK operations nothing calls from the
 * deployment jar: in a fresh JVM on the built jar alone ({@link SlimJarProbe}), a live collection
 * against moto through the real collector, every kept operation through its client, and every SDK
 * service class left in the jar linked (verified) and initialised. Fails if a needed class was
 * dropped. Runs after `package` (the `slim-jar-guard` surefire execution in functions/pom.xml),
 * not in the unit-test phase, where the jar does not exist yet.
 */
class SlimJarGuardTest {
    private static final String CLUSTER = "slim-guard";

    @Test
    void the_slimmed_jar_should_link_and_run_every_aws_call_the_code_makes() throws Exception {
        Path target = TestSupport.root().resolve("functions/target");
        Path jar = target.resolve("ekscm-functions.jar");
        Path report = target.resolve("aws-sdk-slim.txt");
        assertThat(report).as("the slimming step ran on this jar").isRegularFile();
        assertThat(Files.readString(report)).contains("ec2/DescribeInstances", "eks/DescribeCluster", "ecr/DescribeRepositories",
                "ec2/ModifyInstanceMetadataOptions", "sqs/SendMessage", "dynamodb/Query", "sns/Publish", "sts/AssumeRole");

        // GIVEN a cluster, its nodes and network in moto
        MotoServer moto = MotoServer.get();
        try (var factory = new AwsClientFactory(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)), Optional.of(moto.endpoint()), new ApiCallCounter())) {
            var c = factory.forRegion(MotoServer.REGION);
            new AwsSeed(CLUSTER, c.eks(), c.ec2(), c.ecr()).network().cluster().nodegroups(2).instances(4).repositories();
        }

        // WHEN the probe runs on the jar alone, with strict verification of every class
        var command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xverify:all",
                "-cp", jar + File.pathSeparator + TestSupport.root().resolve("functions/target/test-classes"),
                SlimJarProbe.class.getName(), jar.toString(), report.toString(), moto.endpoint().toString(), MotoServer.REGION,
                CLUSTER);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        System.out.println(output.lines().filter(l -> l.startsWith("FAIL") || l.startsWith("OK c")).reduce("", (a, b) -> a + b + "\n"));

        // THEN nothing failed to link, the collection saw the seeded cluster, every kept operation ran
        assertThat(output.lines().filter(l -> l.startsWith("FAIL"))).as(output).isEmpty();
        assertThat(p.exitValue()).as(output).isZero();
        String collection = output.lines().filter(l -> l.startsWith("OK collection")).findFirst().orElseThrow(() -> new AssertionError(output));
        assertThat(collection).contains("cluster=true", "nodegroups=2", "subnets=3", "natGateways=1", "launchTemplateVersions=1")
                .doesNotContain("instances=0", "routeTables=0", "securityGroups=0");
        long kept = Files.readAllLines(report).stream().filter(l -> !l.startsWith("#") && !l.isBlank()).count();
        assertThat(output.lines().filter(l -> l.startsWith("OK ") && l.substring(3).matches("[a-z0-9]+/[A-Za-z0-9]+ .*")).count())
                .as(output).isEqualTo(kept);
        assertThat(Arrays.stream(output.split("\n")).filter(l -> l.startsWith("OK classes")).findFirst()).isPresent();
    }
}
