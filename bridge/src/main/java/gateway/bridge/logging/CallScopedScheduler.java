package gateway.bridge.logging;

import gateway.time.Cancellable;
import gateway.time.Scheduler;
import gateway.transport.CallLogContext;

/** A call's scheduler: every task it runs logs with the call's ids ({@link CallLogContext}). */
public final class CallScopedScheduler implements Scheduler {

    private final Scheduler delegate;
    private final CallLogContext.Ids ids;

    /** Runs the tasks of the call with {@code ids} on {@code delegate}. */
    public CallScopedScheduler(Scheduler delegate, CallLogContext.Ids ids) {
        this.delegate = delegate;
        this.ids = ids;
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
        return delegate.schedule(() -> CallLogContext.run(ids, task), delayNanos);
    }

    @Override
    public Cancellable scheduleAtFixedRate(Runnable task, long initialDelayNanos, long periodNanos) {
        return delegate.scheduleAtFixedRate(() -> CallLogContext.run(ids, task), initialDelayNanos, periodNanos);
    }

    @Override
    public void execute(Runnable task) {
        delegate.execute(() -> CallLogContext.run(ids, task));
    }

    @Override
    public long nanoTime() {
        return delegate.nanoTime();
    }
}
