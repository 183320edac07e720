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
