package dev.ekscm.functions;

import dev.ekscm.collect.ApiCallCounter;
import dev.ekscm.collect.AwsClientFactory;
import dev.ekscm.collect.AwsCollector;
import dev.ekscm.collect.CollectionPlan;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.ZipFile;

/**
 * Runs in a fresh JVM whose classpath is the deployment jar (+ this class): proves that what
 * tools/SlimAwsSdk.java dropped is not needed. Used by {@link SlimJarGuardTest}. Prints lines
 * {@code FAIL <what> <error>} for a linkage problem, {@code OK <what> <detail>} otherwise.
 * <ol>
 * <li>a live AWS collection through the real {@link AwsCollector} against moto (seeded by the test),
 * so real responses of the used operations are unmarshalled by the jar's classes;</li>
 * <li>every operation kept in the jar (target/aws-sdk-slim.txt) invoked through its service
 * client on an empty request: moto may answer with an error, but marshalling, the client's
 * verification and its per-operation classes must all link;</li>
 * <li>every class left under software/amazon/awssdk/services loaded, linked (verified) and
 * initialised; the request classes of unused operations (kept for the clients' verification only)
 * loaded.</li>
 * </ol>
 * args: jar, kept-operations report, moto endpoint, region, cluster name.
 */
public final class SlimJarProbe {
    private SlimJarProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        List<String> operations = Files.readAllLines(Path.of(args[1])).stream().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        URI endpoint = URI.create(args[2]);
        String region = args[3];
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

        // 1. live collection through the engine's collector
        try (var factory = new AwsClientFactory(credentials, Optional.of(endpoint), new ApiCallCounter())) {
            var counter = new ApiCallCounter();
            var collector = new AwsCollector(factory.forRegion(region), counter);
            var result = collector.collect(args[4], CollectionPlan.everything());
            var state = result.state();
            var ecr = collector.collectEcr(result.cluster(), List.of(result.cluster().account() + ".dkr.ecr." + region
                    + ".amazonaws.com/shop/payments-api:1.4.2"));
            System.out.printf("OK collection cluster=%s nodegroups=%d instances=%d subnets=%d routeTables=%d natGateways=%d "
                            + "securityGroups=%d launchTemplateVersions=%d ecrRepositories=%d problems=%s calls=%s%n",
                    state.cluster().isPresent(), state.nodegroups().size(), state.instances().size(), state.subnets().size(),
                    state.routeTables().size(), state.natGateways().size(), state.securityGroups().size(),
                    state.launchTemplateVersions().size(), ecr.repositories().size(), result.problems(), counter.counts());
        } catch (LinkageError e) {
            System.out.println("FAIL collection " + e);
        }

        // 2. every kept operation through its client
        var clients = new TreeMap<String, Object>();
        for (String operation : operations) {
            String service = operation.substring(0, operation.indexOf('/'));
            String op = operation.substring(operation.indexOf('/') + 1);
            String pkg = "software.amazon.awssdk.services." + service;
            try {
                Object client = clients.computeIfAbsent(service, s -> buildClient(jar, pkg, endpoint, region, credentials));
                Class<?> clientInterface = Class.forName(pkg + "." + clientInterfaceName(jar, pkg));
                Class<?> request = Class.forName(pkg + ".model." + op + "Request");
                Class<?> response = Class.forName(pkg + ".model." + op + "Response");
                Object built = ((software.amazon.awssdk.utils.builder.SdkBuilder<?, ?>) request.getMethod("builder").invoke(null)).build();
                MethodHandle call = MethodHandles.publicLookup().findVirtual(clientInterface,
                        Character.toLowerCase(op.charAt(0)) + op.substring(1), MethodType.methodType(response, request));
                String outcome;
                try {
                    Object answer = call.invoke(client, built);
                    outcome = "answered " + answer.getClass().getSimpleName();
                } catch (SdkException e) {
                    outcome = "error " + e.getClass().getSimpleName(); // moto's answer to an empty request: fine
                }
                System.out.println("OK " + operation + " " + outcome);
            } catch (Throwable e) {
                Throwable linkage = linkage(e);
                // anything but a linkage error is the emulator's or the SDK's answer to an empty request
                // (e.g. CopySnapshot's presigning interceptor cannot derive a region from 127.0.0.1)
                System.out.println((linkage != null ? "FAIL " : "OK ") + operation + " " + (linkage != null ? linkage : "raised " + e));
            }
        }

        // 3. load, verify and initialise every SDK service class left in the jar
        int loaded = 0;
        List<String> failures = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (var entries = zip.entries(); entries.hasMoreElements(); ) {
                String name = entries.nextElement().getName();
                if (name.startsWith("software/amazon/awssdk/services/") && name.endsWith(".class")) {
                    String className = name.substring(0, name.length() - 6).replace('/', '.');
                    // an unused operation's request class stays only for the verifier of the client: it
                    // is loaded (that is what verification does), never initialised
                    boolean loadOnly = className.matches(".*\\.model\\.[A-Za-z0-9]+Request")
                            && zip.getEntry(name.replace("/model/", "/transform/").replace(".class", "Marshaller.class")) == null;
                    try {
                        Class.forName(className, !loadOnly, SlimJarProbe.class.getClassLoader());
                        loaded++;
                    } catch (Throwable e) {
                        failures.add(className + " " + e);
                    }
                }
            }
        }
        failures.forEach(f -> System.out.println("FAIL class " + f));
        System.out.println("OK classes loaded, verified and initialised: " + loaded);
    }

    private static Throwable linkage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LinkageError || t instanceof ClassNotFoundException) {
                return t;
            }
        }
        return null;
    }

    /** The service's sync client interface: the {@code *Client} in the package with a static builder(). */
    private static String clientInterfaceName(Path jar, String pkg) throws Exception {
        String dir = pkg.replace('.', '/') + "/";
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (var entries = zip.entries(); entries.hasMoreElements(); ) {
                String name = entries.nextElement().getName();
                if (name.startsWith(dir) && name.indexOf('/', dir.length()) < 0 && name.endsWith("Client.class")
                        && !name.contains("Async") && !name.substring(dir.length()).startsWith("Default")) {
                    return name.substring(dir.length(), name.length() - 6);
                }
            }
        }
        throw new IllegalStateException("no client interface in " + pkg);
    }

    private static Object buildClient(Path jar, String pkg, URI endpoint, String region,
                                      StaticCredentialsProvider credentials) {
        try {
            // not Class.getMethod: reflecting on the client interface would resolve every operation's types
            String name = pkg + "." + clientInterfaceName(jar, pkg);
            Class<?> iface = Class.forName(name);
            var builder = (software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<?, ?>) MethodHandles.publicLookup()
                    .findStatic(iface, "builder", MethodType.methodType(Class.forName(name + "Builder"))).invoke();
            builder.endpointOverride(endpoint).region(software.amazon.awssdk.regions.Region.of(region)).credentialsProvider(credentials);
            ((software.amazon.awssdk.core.client.builder.SdkClientBuilder<?, ?>) builder).overrideConfiguration(
                    c -> c.apiCallTimeout(Duration.ofSeconds(20)));
            return ((software.amazon.awssdk.utils.builder.SdkBuilder<?, ?>) builder).build();
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
