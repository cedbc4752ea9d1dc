package dev.ekscm.findings;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts API calls by operation name (one per call, however many HTTP attempts it took). */
public final class CallCounter implements ExecutionInterceptor {
    private static final Set<String> DYNAMO_WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems");
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        counts.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), k -> new AtomicInteger())
                .incrementAndGet();
    }

    public int count(String operation) {
        var c = counts.get(operation);
        return c == null ? 0 : c.get();
    }

    public int writes() {
        return DYNAMO_WRITES.stream().mapToInt(this::count).sum();
    }

    public int total() {
        return counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public Map<String, Integer> snapshot() {
        var m = new TreeMap<String, Integer>();
        counts.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    public void reset() {
        counts.clear();
    }
}
