package gateway.testkit;

import java.lang.management.ManagementFactory;

/** Heap allocation of a piece of work on the calling thread, from the JVM's per-thread allocation counter. */
public final class Allocations {

    /** Slack for the measurement itself (the counter read can allocate a little); far below one byte per packet. */
    public static final long BOUND_BYTES = 2_048;
    /** How many times the asked-for runs are measured at most while none has come under the bound. */
    public static final int EXTRA_RUNS_FACTOR = 5;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocations() {
    }

    /**
     * Bytes allocated by one run of {@code work} after {@code warmUps} runs (JIT, class loading, lazy tables): the
     * least of {@code measured} runs. Code that allocates per packet allocates in every run; a run that happens to
     * meet a deoptimisation (its scalar-replaced objects become real for a moment, which a loaded machine makes
     * likelier) does not count against it. While no run has come under {@link #BOUND_BYTES}, up to
     * {@link #EXTRA_RUNS_FACTOR} times as many runs are measured: on a busy machine the JIT may finish compiling the
     * loop only then, and per-packet allocation shows in every run however many there are.
     */
    public static Measurement leastOf(int warmUps, int measured, Runnable work) {
        for (int i = 0; i < warmUps; i++) {
            work.run();
        }
        long least = Long.MAX_VALUE;
        int runs = 0;
        while (runs < measured || least >= BOUND_BYTES && runs < measured * EXTRA_RUNS_FACTOR) {
            long before = onThisThread();
            work.run();
            least = Math.min(least, onThisThread() - before);
            runs++;
        }
        return new Measurement(least, warmUps + runs);
    }

    /** The most runs {@link #leastOf} makes of the work, warm-ups included. */
    public static int maxRuns(int warmUps, int measured) {
        return warmUps + measured * EXTRA_RUNS_FACTOR;
    }

    /**
     * What {@link #leastOf} found.
     *
     * @param bytes the least bytes allocated by one measured run
     * @param runs  how many times the work ran, warm-ups included (for tests that count what the work did)
     */
    public record Measurement(long bytes, int runs) {
    }

    /**
     * Bytes the calling thread has allocated so far: for a test that measures only part of its loop (the part
     * between two differences of this), where {@link #leastOf} would measure every line of it.
     */
    public static long onThisThread() {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().threadId());
    }
}
