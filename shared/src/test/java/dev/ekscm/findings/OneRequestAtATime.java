package dev.ekscm.findings;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

import java.util.concurrent.Semaphore;

/**
 * Lets one DynamoDB request at a time reach moto. Real DynamoDB applies each request atomically;
 * moto does not: a cancelled TransactWriteItems is rolled back by restoring a copy of the whole table
 * taken before it started, which undoes any write another thread made meanwhile. Serialising requests
 * (not runs: runs still interleave between their read and their commit) gives the emulator the
 * atomicity the store relies on.
 */
public final class OneRequestAtATime implements ExecutionInterceptor {
    private final Semaphore permit = new Semaphore(1, true);

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        permit.acquireUninterruptibly();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        permit.release();
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        permit.release();
    }
}
