package gateway.sip;

import gateway.time.Cancellable;
import gateway.time.Scheduler;
import gateway.transport.CallLogContext;

/**
 * The SIP core's timers (retransmissions, timeouts, session timers) log as the call whose work scheduled them: each
 * task runs with the {@link CallLogContext} ids that were current when it was scheduled. The SIP loop serves every
 * call, so the ids travel with the task rather than with the thread.
 */
final class LogCarryingScheduler implements Scheduler {

    private final Scheduler delegate;

    LogCarryingScheduler(Scheduler delegate) {
        this.delegate = delegate;
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
        CallLogContext.Ids ids = CallLogContext.current();
        return delegate.schedule(ids == null ? task : () -> CallLogContext.run(ids, task), delayNanos);
    }

    @Override
    public Cancellable scheduleAtFixedRate(Runnable task, long initialDelayNanos, long periodNanos) {
        CallLogContext.Ids ids = CallLogContext.current();
        return delegate.scheduleAtFixedRate(ids == null ? task : () -> CallLogContext.run(ids, task),
                initialDelayNanos, periodNanos);
    }

    @Override
    public void execute(Runnable task) {
        CallLogContext.Ids ids = CallLogContext.current();
        delegate.execute(ids == null ? task : () -> CallLogContext.run(ids, task));
    }

    @Override
    public long nanoTime() {
        return delegate.nanoTime();
    }
}
