package gateway.rtp;

import gateway.time.Cancellable;
import gateway.time.Scheduler;

/**
 * The 20 ms clock of the outbound stream. Tick k is due at answerNanos + k·20 ms; the wake-ups come from one
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

    /** What the pacer drives. */
    interface Ticks {
        /** Produces tick {@code index}. */
        void onTick(long index);

        /** Ticks [from, from + count) were skipped after a stall. */
        void onSkipped(long from, long count);
    }

    private final Scheduler scheduler;
    private final Ticks ticks;
    private final Runnable wakeUp = this::wakeUp;
    private long answerNanos;
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

    /** Index of the next tick to run. */
    long nextTick() {
        return nextTick;
    }

    private long target(long tick) {
        return answerNanos + tick * TICK_NANOS;
    }

    private void wakeUp() {
        if (!running) {
            return;
        }
        long now = scheduler.nanoTime();
        for (int burst = 0; burst < MAX_CATCH_UP_TICKS && target(nextTick) <= now && running; burst++) {
            ticks.onTick(nextTick++);
        }
        if (!running) {
            return;
        }
        if (target(nextTick) <= now) {
            long missed = (now - target(nextTick)) / TICK_NANOS + 1;
            ticks.onSkipped(nextTick, missed);
            nextTick += missed;
        }
    }
}
