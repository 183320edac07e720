package gateway.rtp;

import gateway.time.Cancellable;
import gateway.time.Scheduler;

/**
 * The 20 ms clock of the outbound stream. Tick k is due at answerNanos + k·20 ms (until a talkspurt starts early,
 * see {@link #tickNow()}, which moves the grid); the wake-ups come from one
 * fixed-rate task on that grid ({@link Scheduler#scheduleAtFixedRate}, no allocation per tick), so lateness never
 * accumulates. A wake-up runs every tick due by the scheduler's clock back to back, at most
 * {@link #MAX_CATCH_UP_TICKS}; if more were missed (the loop stalled) the rest are skipped, reported to the
 * {@link Ticks} so the RTP clock can jump, and pacing resumes on the original grid. The wake-ups the executor
 * still owes after a stall find nothing due and return. Runs on the scheduler's thread (the call's event loop).
 */
final class Pacer {

    /** Packet interval: 20 ms, the RFC 3551 default ptime for G.711. */
    static final long TICK_NANOS = 20_000_000L;
    /** Burst limit after a stall: 5 ticks = 100 ms, within a typical jitter buffer; older audio is skipped. */
    static final int MAX_CATCH_UP_TICKS = 5;

    /** A talkspurt may start early only when that gains at least 2 ms over the next tick on the grid. */
    static final long MIN_EARLY_NANOS = 2_000_000L;

    /** What the pacer drives. */
    interface Ticks {
        /** Produces the frame whose first sample sits at {@code position} on the 24 kHz timeline (0 = answer). */
        void onTick(long position);

        /** {@code count} ticks were skipped after a stall. */
        void onSkipped(long count);

        /** The next tick comes {@code earlyNanos} before its place on the grid, which moves with it. */
        void onEarly(long earlyNanos);
    }

    private final Scheduler scheduler;
    private final Ticks ticks;
    private final Runnable wakeUp = this::wakeUp;
    private long answerNanos;
    private long anchorNanos;
    private long anchorTick;
    private long nextTick;
    private boolean running;
    private Cancellable pending;

    Pacer(Scheduler scheduler, Ticks ticks) {
        this.scheduler = scheduler;
        this.ticks = ticks;
    }

    /** Starts ticking on the grid answerNanos + k·20 ms; ignored if already started. */
    void start(long answerNanos) {
        if (running) {
            return;
        }
        this.answerNanos = answerNanos;
        this.anchorNanos = answerNanos;
        this.anchorTick = 0;
        this.nextTick = 0;
        this.running = true;
        long delay = target(0) - scheduler.nanoTime();
        if (delay < 0) {
            scheduler.execute(wakeUp); // the ticks already due, at once; the periodic wake-ups keep the grid
            delay = Math.floorMod(delay, TICK_NANOS);
        }
        pending = scheduler.scheduleAtFixedRate(wakeUp, delay, TICK_NANOS);
    }

    /** Stops ticking; idempotent. */
    void stop() {
        running = false;
        if (pending != null) {
            pending.cancel();
            pending = null;
        }
    }

    /**
     * Runs the next tick now rather than on the grid, when that is at least {@link #MIN_EARLY_NANOS} sooner, and
     * moves the grid so the following ticks come 20 ms apart from this one. Used when the agent's audio arrives
     * while silence is playing, so its first frame does not wait for the next tick. Returns whether it did.
     */
    boolean tickNow() {
        if (!running || nextTick == 0) {
            return false;
        }
        long now = scheduler.nanoTime();
        long early = target(nextTick) - now;
        if (early < MIN_EARLY_NANOS) {
            return false;
        }
        anchorNanos = now;
        anchorTick = nextTick;
        if (pending != null) {
            pending.cancel();
        }
        pending = scheduler.scheduleAtFixedRate(wakeUp, TICK_NANOS, TICK_NANOS);
        ticks.onEarly(early);
        ticks.onTick(position(nextTick++));
        return true;
    }

    private long target(long tick) {
        return anchorNanos + (tick - anchorTick) * TICK_NANOS;
    }

    /** Position of a tick's first sample: 24 kHz samples from the answer (1 sample = 125000/3 ns). */
    private long position(long tick) {
        return (target(tick) - answerNanos) * 3 / 125_000;
    }

    private void wakeUp() {
        if (!running) {
            return;
        }
        long now = scheduler.nanoTime();
        for (int burst = 0; burst < MAX_CATCH_UP_TICKS && target(nextTick) <= now && running; burst++) {
            ticks.onTick(position(nextTick++));
        }
        if (!running) {
            return;
        }
        if (target(nextTick) <= now) {
            long missed = (now - target(nextTick)) / TICK_NANOS + 1;
            ticks.onSkipped(missed);
            nextTick += missed;
        }
    }
}
