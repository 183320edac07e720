package gateway.testkit;

import java.lang.management.ManagementFactory;

/** Heap allocation of a piece of work on the calling thread, from the JVM's per-thread allocation counter. */
public final class Allocations {

    /** Slack for the measurement itself (the counter read can allocate a little); far below one byte per packet. */
    public static final long BOUND_BYTES = 2_048;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocations() {
    }

    /**
     * Bytes allocated by one run of {@code work} after {@code warmUps} runs (JIT, class loading, lazy tables): the
     * least of {@code measured} runs. Code that allocates per packet allocates in every run; a run that happens to
     * meet a deoptimisation (its scalar-replaced objects become real for a moment, which a loaded machine makes
     * likelier) does not count against it.
     */
    public static long leastOf(int warmUps, int measured, Runnable work) {
        for (int i = 0; i < warmUps; i++) {
            work.run();
        }
        long least = Long.MAX_VALUE;
        for (int i = 0; i < measured; i++) {
            long before = allocatedSoFar();
            work.run();
            least = Math.min(least, allocatedSoFar() - before);
        }
        return least;
    }

    private static long allocatedSoFar() {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().threadId());
    }
}
