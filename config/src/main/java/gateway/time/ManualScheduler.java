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
        Entry entry = new Entry(now + Math.max(0, delayNanos), sequence++, task);
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
            if (!next.cancelled) {
                next.task.run();
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
        final long at;
        final long seq;
        final Runnable task;
        volatile boolean cancelled;

        Entry(long at, long seq, Runnable task) {
            this.at = at;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public int compareTo(Entry o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
