package gateway.bridge.metrics;

import java.util.concurrent.TimeUnit;

/**
 * Whether the media loops are falling behind, from the pacer ticks of every call: admission's early warning, so new
 * calls are refused (503) before the calls already up hear it. Each tick reports its lateness ({@link #record}, on
 * the media loops, allocation-free); once a second {@link #roll} closes the window. The gateway is behind while, in
 * each of the last {@link #SUSTAINED_WINDOWS} closed windows, at least {@link #LATE_PERCENT} % of the ticks ran
 * {@link #LATE_NANOS} or more late. A loop that cannot keep up queues every tick behind the work before it, so its
 * late share climbs far past that, well before a tick is skipped (100 ms). A pause instead (a GC, the host holding
 * the whole VM back) makes late only the ticks due while it lasts: a stall of {@code p} ms makes about
 * {@code (p - 5) / 1000} of a second's ticks 5 ms late, so it takes a 55 ms stall in each of two seconds running to
 * trip this, and a 15 ms one (which tripped the old 1 % share and refused 38 callers in a quiet soak while no tick
 * was skipped) never does. Windows with fewer than {@link #MIN_TICKS} ticks (under ten calls) never count: refusing
 * calls would not help so few, and a stall there has another cause, which the lateness metrics show.
 */
public final class PlayoutLag {

    /** A tick this late counts as lagging: 5 ms of a 20 ms frame. */
    public static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** The share of lagging ticks in a window that counts as behind: more than a 50 ms stall a second makes. */
    public static final int LATE_PERCENT = 5;
    /** The fewest ticks in a window for it to count: ten calls' second (50 ticks each). */
    public static final long MIN_TICKS = 500;
    /** How many lagging windows in a row count as behind: lag that lasts, not one stall. */
    public static final int SUSTAINED_WINDOWS = 2;

    private static final int TICKS = 0;
    private static final int LATE = 1;

    /** Ticks and lagging ticks since start, one row for each media loop. */
    private final ThreadCounts counts = new ThreadCounts(2);
    /** The totals when the last window closed; only {@link #roll} reads and writes them. */
    private long ticksBefore;
    private long lateBefore;
    private int laggingInARow;
    private volatile boolean behind;
    private volatile double lastLateRatio;

    /** One pacer tick that ran {@code latenessNanos} after its target time. */
    void record(long latenessNanos) {
        counts.add(TICKS, 1);
        if (latenessNanos >= LATE_NANOS) {
            counts.add(LATE, 1);
        }
    }

    /**
     * Closes the window: with the ones before it, it decides {@link #behind} until the next. Called from one thread
     * (the metrics timer); ticks racing the roll land in either window. The lagging ticks are read first: a tick is
     * counted before its lateness, so every lagging tick read has its tick read too.
     */
    public void roll() {
        long lateNow = counts.sum(LATE);
        long ticksNow = counts.sum(TICKS);
        long all = ticksNow - ticksBefore;
        long lagging = lateNow - lateBefore;
        ticksBefore = ticksNow;
        lateBefore = lateNow;
        lastLateRatio = all == 0 ? 0 : (double) lagging / all;
        boolean windowLagged = all >= MIN_TICKS && lagging * 100 >= all * LATE_PERCENT;
        laggingInARow = windowLagged ? laggingInARow + 1 : 0;
        behind = laggingInARow >= SUSTAINED_WINDOWS;
    }

    /** Whether the last {@link #SUSTAINED_WINDOWS} closed windows all had too many lagging ticks. */
    public boolean behind() {
        return behind;
    }

    /** The share of the last closed window's ticks that were {@link #LATE_NANOS} or more late. */
    public double lastLateRatio() {
        return lastLateRatio;
    }
}
