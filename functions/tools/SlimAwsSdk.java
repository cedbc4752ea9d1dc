import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Build step (package phase, after the shade plugin): drops from the shaded Lambda jar the AWS SDK
 * classes of service operations that nothing in the jar calls.
 *
 * <p>Why: an SDK service client ({@code DefaultEc2Client}) names every operation of its service, so
 * minimizeJar keeps every request, response, marshaller, paginator and model shape: 22 MB for EC2
 * alone, of which the monitor uses a handful of operations.
 *
 * <p>How: a reachability walk over the classes' constant pools (every {@code software/amazon/awssdk/...}
 * name in a class reference, a descriptor, a signature or a string constant counts). Roots: every
 * class outside the per-operation packages ({@code services/X/model|transform|paginators|waiters}),
 * i.e. our code, the SDK core and each service's client, endpoint and auth classes. One rule breaks
 * the "client names everything" cycle: the edges of a service's client classes
 * ({@code services/X/*Client}) to an operation's classes (and to paginators and waiters) are not
 * followed. An operation ({@code XRequest} + {@code XResponse} + {@code transform/XRequestMarshaller})
 * is kept, as a whole (request, response, marshaller, paginators), as soon as any other reachable
 * class names one of its classes — e.g. our {@code eks.describeCluster(b -> ...)} names
 * {@code DescribeClusterRequest$Builder}; {@code eks.listClusters()} names {@code ListClustersResponse}
 * in its descriptor. Model shapes, enums and exceptions are kept when reachable from what is kept.
 * The used-operation set is computed from the bytecode at every build: a new SDK call in our code
 * keeps its classes without anyone editing a list.
 *
 * <p>Safety: the JVM verifies a class as a whole when it links it, so the client classes either
 * link with the dropped classes absent or fail on their first use; {@code SlimJarGuard} (functions
 * tests) links and initialises every SDK service class left in the jar in a fresh JVM and calls every
 * kept operation against a local moto, from the jar alone.
 *
 * <p>Usage: {@code java SlimAwsSdk.java <shaded.jar> <report.txt>} (rewrites the jar in place).
 */
public final class SlimAwsSdk {
    private static final Pattern SERVICE_CLASS = Pattern.compile("^software/amazon/awssdk/services/([a-z0-9]+)/(?:(model|transform|paginators|waiters)/)?([^/]+)$");
    private static final Pattern SDK_NAME = Pattern.compile("software[/.]amazon[/.]awssdk[/.][A-Za-z0-9_$/.]+");

    private SlimAwsSdk() {
    }

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        Path report = Path.of(args[1]);
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (var entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry e = entries.nextElement();
                if (e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/")) {
                    classes.put(e.getName().substring(0, e.getName().length() - 6), zip.getInputStream(e).readAllBytes());
                }
            }
        }

        // operations: <service>/<Op> with a request, a response and a request marshaller
        Map<String, String> operationOf = new HashMap<>(); // class -> service/Op, for every class of an operation
        Set<String> operations = new TreeSet<>();
        for (String name : classes.keySet()) {
            Matcher m = SERVICE_CLASS.matcher(name);
            if (m.matches() && "transform".equals(m.group(2)) && m.group(3).endsWith("RequestMarshaller")) {
                String op = m.group(3).substring(0, m.group(3).length() - "RequestMarshaller".length());
                String base = "software/amazon/awssdk/services/" + m.group(1) + "/";
                if (classes.containsKey(base + "model/" + op + "Request") && classes.containsKey(base + "model/" + op + "Response")) {
                    operations.add(m.group(1) + "/" + op);
                }
            }
        }
        Map<String, Set<String>> classesOf = new HashMap<>();
        for (String name : classes.keySet()) {
            Matcher m = SERVICE_CLASS.matcher(name);
            if (!m.matches() || m.group(2) == null) {
                continue;
            }
            String outer = m.group(3).split("\\$", 2)[0];
            String op = switch (m.group(2)) {
                case "model" -> strip(outer, "Request", "Response");
                case "transform" -> strip(outer, "RequestMarshaller");
                case "paginators" -> strip(outer, "Iterable", "Publisher");
                default -> null;
            };
            if (op != null && operations.contains(m.group(1) + "/" + op)) {
                operationOf.put(name, m.group(1) + "/" + op);
                classesOf.computeIfAbsent(m.group(1) + "/" + op, k -> new TreeSet<>()).add(name);
            }
        }

        // reachability
        Set<String> reached = new HashSet<>();
        Set<String> usedOperations = new TreeSet<>();
        ArrayDeque<String> work = new ArrayDeque<>();
        for (String name : classes.keySet()) {
            Matcher m = SERVICE_CLASS.matcher(name);
            if (!m.matches() || m.group(2) == null) {
                reached.add(name);
                work.add(name);
            }
        }
        // The verifier loads each operation's request class when it links the service client (the client
        // passes it where an SdkRequest is expected, and checking that assignment loads the class; loading
        // does not link it or resolve what it names). So every request class stays, but only a used
        // operation's request class is walked (its builder, fields' shapes, marshaller, response...).
        Set<String> requestClassesOnly = new HashSet<>();
        for (String op : operations) {
            String service = op.substring(0, op.indexOf('/'));
            requestClassesOnly.add("software/amazon/awssdk/services/" + service + "/model/" + op.substring(op.indexOf('/') + 1) + "Request");
        }
        reached.addAll(requestClassesOnly);
        while (!work.isEmpty()) {
            String from = work.poll();
            boolean client = isClient(from);
            for (String to : references(classes.get(from))) {
                if (!classes.containsKey(to) || (reached.contains(to) && !requestClassesOnly.contains(to))) {
                    continue;
                }
                Matcher m = SERVICE_CLASS.matcher(to);
                boolean perOperation = operationOf.containsKey(to)
                        || (m.matches() && ("waiters".equals(m.group(2)) || "paginators".equals(m.group(2))));
                if (client && perOperation) {
                    continue;
                }
                String op = operationOf.get(to);
                if (op != null) {
                    if (usedOperations.add(op) && System.getenv("SLIM_DEBUG") != null) {
                        System.out.println(op + " <- " + from);
                    }
                    for (String c : classesOf.get(op)) {
                        if (reached.add(c) || requestClassesOnly.remove(c)) {
                            work.add(c);
                        }
                    }
                } else if (reached.add(to)) {
                    work.add(to);
                }
            }
        }

        // rewrite the jar without the unreached classes
        Map<String, long[]> dropped = new TreeMap<>(); // service -> {classes, compressed bytes}
        Path tmp = jar.resolveSibling(jar.getFileName() + ".slim");
        try (ZipFile zip = new ZipFile(jar.toFile()); OutputStream os = Files.newOutputStream(tmp);
             ZipOutputStream out = new ZipOutputStream(os)) {
            for (var entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry e = entries.nextElement();
                String name = e.getName().endsWith(".class") ? e.getName().substring(0, e.getName().length() - 6) : null;
                if (name != null && classes.containsKey(name) && !reached.contains(name)) {
                    Matcher m = SERVICE_CLASS.matcher(name);
                    m.matches();
                    long[] d = dropped.computeIfAbsent(m.group(1), k -> new long[2]);
                    d[0]++;
                    d[1] += e.getCompressedSize();
                    continue;
                }
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setTime(e.getTime());
                out.putNextEntry(copy);
                zip.getInputStream(e).transferTo(out);
                out.closeEntry();
            }
        }
        long before = Files.size(jar);
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);

        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(report, StandardCharsets.UTF_8))) {
            w.printf("# AWS SDK slimming of %s: %.1f MB -> %.1f MB%n", jar.getFileName(), before / 1048576.0,
                    Files.size(jar) / 1048576.0);
            w.println("# dropped per service: classes, compressed MB");
            dropped.forEach((s, d) -> w.printf("# %s %d %.2f%n", s, d[0], d[1] / 1048576.0));
            w.println("# kept operations (service/Operation), one a line:");
            usedOperations.forEach(w::println);
        }
        System.out.printf("[SlimAwsSdk] %s: %.1f MB -> %.1f MB, kept %d of %d SDK operations (%s)%n", jar.getFileName(),
                before / 1048576.0, Files.size(jar) / 1048576.0, usedOperations.size(), operations.size(), report);
    }

    private static String strip(String name, String... suffixes) {
        for (String s : suffixes) {
            if (name.endsWith(s) && name.length() > s.length()) {
                return name.substring(0, name.length() - s.length());
            }
        }
        return null;
    }

    /** A service's client interface or implementation (sync or async): names every operation. */
    private static boolean isClient(String name) {
        Matcher m = SERVICE_CLASS.matcher(name);
        return m.matches() && m.group(2) == null && m.group(3).split("\\$", 2)[0].endsWith("Client");
    }

    /** Every SDK class named in the constant pool: class entries, descriptors, signatures, strings. */
    static Set<String> references(byte[] bytes) {
        Set<String> names = new HashSet<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            in.skipBytes(8);
            int count = in.readUnsignedShort();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> {
                        Matcher m = SDK_NAME.matcher(in.readUTF());
                        while (m.find()) {
                            String n = m.group().replace('.', '/');
                            names.add(n);
                            // Outer$Inner names also keep the outer class, and a trailing "/" or ".x" is harmless
                            int dollar = n.indexOf('$');
                            if (dollar > 0) {
                                names.add(n.substring(0, dollar));
                            }
                        }
                    }
                    case 3, 4 -> in.skipBytes(4);
                    case 5, 6 -> {
                        in.skipBytes(8);
                        i++;
                    }
                    case 7, 8, 16, 19, 20 -> in.skipBytes(2);
                    case 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
                    case 15 -> in.skipBytes(3);
                    default -> throw new IOException("constant pool tag " + tag);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return names;
    }
}
