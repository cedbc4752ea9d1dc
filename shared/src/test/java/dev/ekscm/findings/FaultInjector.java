package dev.ekscm.findings;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs an action before chosen calls, the first N times an operation is called: throw a service
 * error (throttling) or let another run commit first (a real conditional failure).
 */
public final class FaultInjector implements ExecutionInterceptor {
    private record Rule(AtomicInteger remaining, Runnable action) {
    }

    private final Map<String, Rule> rules = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> injected = new ConcurrentHashMap<>();

    /** Throws the exception from the first {@code times} calls of {@code operation}. */
    public FaultInjector failing(String operation, int times, Supplier<RuntimeException> error) {
        rules.put(operation, new Rule(new AtomicInteger(times), () -> {
            throw error.get();
        }));
        return this;
    }

    /** Runs {@code action} before the first {@code times} calls of {@code operation}. */
    public FaultInjector before(String operation, int times, Runnable action) {
        rules.put(operation, new Rule(new AtomicInteger(times), action));
        return this;
    }

    public int injected(String operation) {
        var c = injected.get(operation);
        return c == null ? 0 : c.get();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        Rule rule = rules.get(op);
        if (rule != null && rule.remaining().getAndDecrement() > 0) {
            injected.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();
            rule.action().run();
        }
    }
}
