package gateway.time;

/**
 * {@link Scheduler#scheduleAtFixedRate} for schedulers that only have one-shot {@link Scheduler#schedule}: each run
 * schedules the next at the previous grid time + period (never from the actual run time), so lateness does not
 * accumulate. Runs on the scheduler's thread; {@link #cancel} may be called from any thread.
 */
final class ChainedFixedRate implements Cancellable, Runnable {

    private final Scheduler scheduler;
    private final Runnable task;
    private final long periodNanos;
    private long nextAt;
    private volatile boolean cancelled;
    private volatile Cancellable pending;

    private ChainedFixedRate(Scheduler scheduler, Runnable task, long periodNanos) {
        this.scheduler = scheduler;
        this.task = task;
        this.periodNanos = periodNanos;
    }

    /** Schedules the first run; a cancel always stops the runs, whichever scheduled entry it reaches. */
    static Cancellable start(Scheduler scheduler, Runnable task, long initialDelayNanos, long periodNanos) {
        ChainedFixedRate chain = new ChainedFixedRate(scheduler, task, periodNanos);
        long delay = Math.max(0, initialDelayNanos);
        chain.nextAt = scheduler.nanoTime() + delay;
        chain.pending = scheduler.schedule(chain, delay);
        return chain;
    }

    @Override
    public void run() {
        if (cancelled) {
            return;
        }
        task.run();
        nextAt += periodNanos;
        if (!cancelled) {
            pending = scheduler.schedule(this, nextAt - scheduler.nanoTime());
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
        pending.cancel();
    }
}
