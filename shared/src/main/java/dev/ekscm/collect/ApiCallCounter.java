package dev.ekscm.collect;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the API calls a run makes, per service and operation ({@code "eks:DescribeCluster"},
 * {@code "ec2:DescribeInstances"}, {@code "kubernetes:list Pod"}): the JSON output prints it as
 * {@code "apiCalls"}, and tests hold collection cost down with it.
 *
 * <p>As an SDK {@link ExecutionInterceptor} installed on a client it counts every operation the
 * client executes (once per operation, retries are not counted again). Clients are built once and
 * shared between runs, so a run attaches its own counter to each request
 * ({@link #attach}); such a request is counted in the run's counter too.
 */
public final class ApiCallCounter implements ExecutionInterceptor {
    /** The run's counter, carried by a request. */
    public static final ExecutionAttribute<ApiCallCounter> RUN_COUNTER = new ExecutionAttribute<>("ekscm.runApiCallCounter");

    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final ThreadLocal<String> lastCall = new ThreadLocal<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        String key = (service == null ? "aws" : service.toLowerCase(Locale.ROOT)) + ":" + operation;
        increment(key);
        ApiCallCounter run = attributes.getAttribute(RUN_COUNTER);
        if (run != null && run != this) {
            run.increment(key);
        }
    }

    /** For use in a request's {@code overrideConfiguration(counter::attach)}. */
    public void attach(AwsRequestOverrideConfiguration.Builder builder) {
        builder.putExecutionAttribute(RUN_COUNTER, this);
    }

    public void increment(String key) {
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
        lastCall.set(key);
    }

    /** The last call counted on this thread: names the call that failed when an error has no name. */
    public java.util.Optional<String> lastCall() {
        return java.util.Optional.ofNullable(lastCall.get());
    }

    /** One Kubernetes API request, e.g. {@code kubernetes("list", "Pod")}. */
    public void kubernetes(String verb, String what) {
        increment("kubernetes:" + verb + " " + what);
    }

    /** Count per service and operation, sorted by key. */
    public SortedMap<String, Integer> counts() {
        var sorted = new TreeMap<String, Integer>();
        counts.forEach((k, v) -> sorted.put(k, v.intValue()));
        return Collections.unmodifiableSortedMap(sorted);
    }

    public int total() {
        return counts().values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Calls whose key starts with the prefix, e.g. {@code "kubernetes:"} or {@code "ec2:"}. */
    public int total(String prefix) {
        return counts().entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToInt(Map.Entry::getValue).sum();
    }

    public int awsTotal() {
        return total() - total("kubernetes:");
    }

    public int get(String key) {
        LongAdder a = counts.get(key);
        return a == null ? 0 : a.intValue();
    }
}
