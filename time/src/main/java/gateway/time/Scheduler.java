package gateway.time;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs tasks after a delay, on the thread that owns the state they touch.
 * In production it wraps a Netty event loop; in tests a {@link ManualScheduler} runs due tasks when time is advanced.
 */
public interface Scheduler extends Clock {

    /** Runs {@code task} once, {@code delayNanos} from now (0 or less: as soon as possible). */
    Cancellable schedule(Runnable task, long delayNanos);

    /**
     * Runs {@code task} at start + k·periodNanos for k = 0, 1, … (start = now + initialDelayNanos) until cancelled,
     * reusing one scheduled entry, so a periodic task costs no allocation per run. Runs are never concurrent; a
     * run that falls due while the thread is busy happens as soon as it is free, and runs missed during a stall
     * come back to back, each on its own grid time (the task decides whether to skip work). The default chains
     * {@link #schedule} calls with the same timing; implementations should override it to avoid the per-run
     * allocation that costs.
     *
     * @throws IllegalArgumentException if periodNanos is not positive
     */
    default Cancellable scheduleAtFixedRate(Runnable task, long initialDelayNanos, long periodNanos) {
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("period must be positive: " + periodNanos);
        }
        return ChainedFixedRate.start(this, task, initialDelayNanos, periodNanos);
    }

    /** Runs {@code task} as soon as possible on the scheduler's thread. */
    default void execute(Runnable task) {
        schedule(task, 0);
    }

    /** A scheduler on an executor (a Netty event loop is one), timed by the system clock. */
    static Scheduler on(ScheduledExecutorService executor) {
        return new Scheduler() {
            @Override
            public Cancellable schedule(Runnable task, long delayNanos) {
                if (delayNanos <= 0) {
                    executor.execute(task);
                    return () -> { };
                }
                ScheduledFuture<?> future = executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
                return () -> future.cancel(false);
            }

            @Override
            public Cancellable scheduleAtFixedRate(Runnable task, long initialDelayNanos, long periodNanos) {
                if (periodNanos <= 0) {
                    throw new IllegalArgumentException("period must be positive: " + periodNanos);
                }
                // Netty refuses a negative initial delay; 0 runs the first time at once, as the contract says.
                ScheduledFuture<?> future = executor.scheduleAtFixedRate(task, Math.max(0, initialDelayNanos),
                        periodNanos, TimeUnit.NANOSECONDS);
                return () -> future.cancel(false);
            }

            @Override
            public void execute(Runnable task) {
                executor.execute(task);
            }

            @Override
            public long nanoTime() {
                return System.nanoTime();
            }
        };
    }
}
