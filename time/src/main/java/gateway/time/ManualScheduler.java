package gateway.time;

import java.util.PriorityQueue;

/**
 * A scheduler whose time moves only when a test says so. Tasks run on the caller's thread, in time order,
 * during {@link #advanceNanos}, {@link #advanceMillis} and {@link #runDue}.
 */
public final class ManualScheduler implements Scheduler {

    private final PriorityQueue<Entry> queue = new PriorityQueue<>();
    private long now;
    private long sequence;

    /** Starts at {@code startNanos}. */
    public ManualScheduler(long startNanos) {
        this.now = startNanos;
    }

    public ManualScheduler() {
        this(1_000_000_000L);
    }

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, long delayNanos) {
        Entry entry = new Entry(now + Math.max(0, delayNanos), sequence++, task, 0);
        queue.add(entry);
        return () -> entry.cancelled = true;
    }

    /**
     * Re-queues one entry at its previous time + period after each run, as a Netty event loop does, so runs missed
     * while time jumped come back to back during the same advance, each at its own grid time.
     */
    @Override
    public synchronized Cancellable scheduleAtFixedRate(Runnable task, long initialDelayNanos, long periodNanos) {
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("period must be positive: " + periodNanos);
        }
        Entry entry = new Entry(now + Math.max(0, initialDelayNanos), sequence++, task, periodNanos);
        queue.add(entry);
        return () -> entry.cancelled = true;
    }

    /** Moves time forward, running every task that falls due on the way at its own time. */
    public void advanceNanos(long nanos) {
        long target;
        synchronized (this) {
            target = now + nanos;
        }
        while (true) {
            Entry next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.at > target) {
                    now = target;
                    return;
                }
                queue.poll();
                now = Math.max(now, next.at);
            }
            if (next.cancelled) {
                continue;
            }
            next.task.run();
            if (next.periodNanos > 0 && !next.cancelled) {
                synchronized (this) {
                    next.at += next.periodNanos;
                    next.seq = sequence++;
                    queue.add(next);
                }
            }
        }
    }

    public void advanceMillis(long millis) {
        advanceNanos(millis * 1_000_000L);
    }

    /** Runs the tasks already due without moving time. */
    public void runDue() {
        advanceNanos(0);
    }

    /** Number of tasks waiting (cancelled ones included until their time passes). */
    public synchronized int pending() {
        return queue.size();
    }

    private static final class Entry implements Comparable<Entry> {
        long at;
        long seq;
        final Runnable task;
        /** 0 for a one-shot task. */
        final long periodNanos;
        volatile boolean cancelled;

        Entry(long at, long seq, Runnable task, long periodNanos) {
            this.at = at;
            this.seq = seq;
            this.task = task;
            this.periodNanos = periodNanos;
        }

        @Override
        public int compareTo(Entry o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
