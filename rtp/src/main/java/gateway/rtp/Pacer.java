package gateway.rtp;

import gateway.time.CallTimeline;
import gateway.time.Scheduler;
import java.lang.System.Logger.Level;

/**
 * The packet clock of the outbound stream: every 20 ms, or the packet time negotiated ({@link #period}: 10 to 60 ms
 * in steps of 10). Tick k is due at anchor + k·period, where the anchor is the first boundary
 * of the {@link PacingWheel} at or after the answer (at most 1 ms later), until a talkspurt starts early (see
 * {@link #tickNow()}), which moves the grid to another slot. The wake-ups come from the wheel's slot, shared with
 * the other calls on the loop, so lateness never accumulates and a tick costs no timer of its own. A wake-up runs
 * every tick due by the scheduler's clock back to back, at most {@link #MAX_CATCH_UP_TICKS}; if more were missed
 * (the loop stalled) the rest are skipped, reported to the {@link Ticks} so the RTP clock can jump, and pacing
 * resumes on the original grid. A tick that throws stops this pacer alone (see {@link PacingWheel#wake}) and is
 * reported to its {@link Ticks}. Runs on the wheel's thread (the call's event loop).
 */
final class Pacer {

    private static final System.Logger LOG = System.getLogger(Pacer.class.getName());

    /** Default packet interval: 20 ms, the RFC 3551 default ptime for G.711; the wheel's period. */
    static final long TICK_NANOS = CallTimeline.FRAME_NANOS;
    /** Burst limit after a stall: 5 ticks of 20 ms = 100 ms, within a typical jitter buffer; older audio is skipped. */
    static final int MAX_CATCH_UP_TICKS = 5;
    /** The same limit in time, for other packet times. */
    static final long MAX_CATCH_UP_NANOS = MAX_CATCH_UP_TICKS * TICK_NANOS;
    /** Packet times a pacer can keep: multiples of 10 ms from 10 to 60 (the wheel wakes every 10 or 20 ms). */
    static final long PERIOD_STEP_NANOS = TICK_NANOS / 2;
    static final long MAX_PERIOD_NANOS = 3 * TICK_NANOS;

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

        /** A tick threw {@code error}; the pacer has left the wheel and ticks no more. */
        void onFault(Throwable error);
    }

    private final PacingWheel wheel;
    private final Scheduler scheduler;
    private final Ticks ticks;
    private final Runnable wakeUp;
    private long answerNanos;
    private long anchorNanos;
    private long anchorTick;
    private long nextTick;
    /** When the tick being run (or the last one run) was due on the grid. */
    private long tickNanos;
    private boolean running;
    private long periodNanos = TICK_NANOS;
    /** This pacer's places in the wheel's slots (the second only for a period that is an odd multiple of 10 ms). */
    final PacingWheel.Membership[] memberships = {new PacingWheel.Membership(this), new PacingWheel.Membership(this)};

    Pacer(PacingWheel wheel, Ticks ticks) {
        this.wheel = wheel;
        this.scheduler = wheel.scheduler();
        this.ticks = ticks;
        this.wakeUp = () -> wheel.wake(this);
    }

    /** Starts ticking on the first wheel boundary at or after the answer; ignored if already started. */
    void start(long answerNanos) {
        if (running) {
            return;
        }
        this.answerNanos = answerNanos;
        this.anchorNanos = wheel.boundaryAtOrAfter(answerNanos);
        this.anchorTick = 0;
        this.nextTick = 0;
        this.running = true;
        wheel.join(this, anchorNanos);
        if (anchorNanos <= scheduler.nanoTime()) {
            scheduler.execute(wakeUp); // the ticks already due (the slot may have just run), at once
        }
    }

    /** The packet time, in ns. */
    long periodNanos() {
        return periodNanos;
    }

    /**
     * Ticks every {@code nanos} from the next tick on (which keeps its time, and runs at once if it is due already), a
     * multiple of 10 ms from 10 to 60 ms (a new ptime, RFC 4566 §6). Before {@link #start}, sets the period the pacer
     * starts with.
     */
    void period(long nanos) {
        if (nanos <= 0 || nanos % PERIOD_STEP_NANOS != 0 || nanos > MAX_PERIOD_NANOS) {
            throw new IllegalArgumentException("packet time must be a multiple of 10 ms up to 60 ms: " + nanos);
        }
        if (nanos == periodNanos) {
            return;
        }
        if (!running) {
            periodNanos = nanos;
            return;
        }
        long next = target(nextTick);
        wheel.leave(this);
        periodNanos = nanos;
        anchorNanos = next;
        anchorTick = nextTick;
        wheel.join(this, next);
        if (next <= scheduler.nanoTime()) {
            // Due now: its slot may be running and has passed the end, where the pacer was put back; tick at once.
            scheduler.execute(wakeUp);
        }
    }

    /** Stops ticking; idempotent. */
    void stop() {
        running = false;
        wheel.leave(this);
    }

    /**
     * Moves the next tick to the wheel's next boundary (now, or within 1 ms) when that is at least
     * {@link #MIN_EARLY_NANOS} sooner than its place on the grid, and the following ticks with it, 20 ms apart.
     * Used when the agent's audio arrives while silence is playing, so its first frame does not wait for the next
     * tick. Returns whether it did.
     */
    boolean tickNow() {
        if (!running || nextTick == 0) {
            return false;
        }
        long now = scheduler.nanoTime();
        long boundary = wheel.boundaryAtOrAfter(now);
        long early = target(nextTick) - boundary;
        if (early < MIN_EARLY_NANOS || early >= periodNanos) {
            return false; // too little to gain, or a tick already ran on this boundary
        }
        wheel.leave(this);
        anchorNanos = boundary;
        anchorTick = nextTick;
        wheel.join(this, boundary);
        ticks.onEarly(early);
        if (boundary == now) {
            wheel.wake(this);
        }
        return true;
    }

    /** Stops the pacer after a tick threw and tells its {@link Ticks}; called by the wheel. */
    void fail(Throwable error) {
        stop();
        try {
            ticks.onFault(error);
        } catch (Throwable e) {
            e.addSuppressed(error);
            LOG.log(Level.ERROR, "pacer fault handler failed", e);
        }
    }

    /** When the tick being run was due on the grid: a tick run later than that ran late (the loop was busy). */
    long tickNanos() {
        return tickNanos;
    }

    private long target(long tick) {
        return anchorNanos + (tick - anchorTick) * periodNanos;
    }

    /** Position of a tick's first sample: 24 kHz samples from the answer. */
    private long position(long tick) {
        return CallTimeline.nanosToSamples(target(tick) - answerNanos);
    }

    /**
     * Runs the ticks that are due; called through {@link PacingWheel#wake} by the wheel's slot, by an inbound packet
     * or at once after a start in the past or an early talkspurt. Lets a tick's exception through to the wheel.
     */
    void wakeUp() {
        if (!running) {
            return;
        }
        long now = scheduler.nanoTime();
        long burstLimit = Math.max(1, MAX_CATCH_UP_NANOS / periodNanos);
        for (int burst = 0; burst < burstLimit && target(nextTick) <= now && running; burst++) {
            tickNanos = target(nextTick);
            ticks.onTick(position(nextTick++));
        }
        if (!running) {
            return;
        }
        if (target(nextTick) <= now) {
            long missed = (now - target(nextTick)) / periodNanos + 1;
            ticks.onSkipped(missed);
            nextTick += missed;
        }
    }
}
