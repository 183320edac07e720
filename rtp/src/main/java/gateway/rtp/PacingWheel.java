package gateway.rtp;

import gateway.time.Cancellable;
import gateway.time.Scheduler;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Shares the 20 ms wake-ups of all the pacers on one event loop. The tick period is cut into {@link #SLOTS} slots
 * {@link #SLOT_NANOS} apart; every pacer ticks on the boundaries of one slot, and each slot that holds a pacer has
 * one fixed-rate task that runs all of them back to back. With n calls on a loop the loop wakes at most 20 times
 * per 20 ms instead of n times, whatever the phases of the callers and of the agent's audio. A pacer whose packet
 * time is a multiple of 20 ms (20, 40, 60) is woken by its slot every 20 ms and ticks when due; one of 10, 30 or
 * 50 ms also joins the slot 10 ms further on, so one of its two slots is on time for every tick.
 *
 * <p>The slot tasks wake an idle loop; a busy one also runs due ticks from its I/O path ({@link #runDue}, called
 * after each inbound RTP packet), so a burst of inbound packets delays a tick by one packet's work, not the
 * burst's.
 *
 * <p>Fault isolation: every wake-up goes through {@link #wake}, which catches whatever one pacer's tick throws, stops
 * that pacer and reports it to its owner, so the other members of the slot still tick and the slot's periodic task
 * is never cancelled by an exception (a Netty event loop does not reschedule a periodic task that threw).
 *
 * <p>Threading: the scheduler's thread only (the event loop that owns the calls). Joining and leaving allocate
 * nothing once a slot's member array has grown to the loop's call count; starting an empty slot's task is the one
 * allocation, and it happens only when a slot goes from empty to occupied.
 */
public final class PacingWheel {

    /** 20 slots of 1 ms: a pacer waits at most 1 ms longer for its first tick than with a timer of its own. */
    static final int SLOTS = 20;
    static final long SLOT_NANOS = Pacer.TICK_NANOS / SLOTS;
    /** The second slot of a pacer whose period is an odd multiple of 10 ms. */
    static final long HALF_PERIOD_NANOS = Pacer.TICK_NANOS / 2;

    private final Scheduler scheduler;
    private final long epochNanos;
    private final Slot[] slots = new Slot[SLOTS];
    /** The first boundary {@link #runDue} has not yet looked at. */
    private long unpolledBoundary;

    /** A wheel whose slot 0 starts now; {@code scheduler} runs on the loop the pacers belong to. */
    public PacingWheel(Scheduler scheduler) {
        this.scheduler = scheduler;
        this.epochNanos = scheduler.nanoTime();
        this.unpolledBoundary = epochNanos;
        for (int i = 0; i < SLOTS; i++) {
            slots[i] = new Slot(epochNanos + i * SLOT_NANOS);
        }
    }

    /** The scheduler (and clock) of the loop this wheel belongs to. */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** The first slot boundary at or after {@code nanos}. */
    long boundaryAtOrAfter(long nanos) {
        return firstAtOrAfter(epochNanos, SLOT_NANOS, nanos);
    }

    /** The first of phase + k·period (k any integer) at or after {@code nanos}. */
    private static long firstAtOrAfter(long phase, long period, long nanos) {
        return phase - Math.floorDiv(phase - nanos, period) * period;
    }

    /**
     * Runs the slots whose boundary has passed since the last call (at most one tick period back), as their tasks
     * would: each member runs only what is due and finds nothing the second time. Cheap when nothing is due: one
     * comparison. {@code now} is the scheduler's clock.
     */
    void runDue(long now) {
        if (now < unpolledBoundary) {
            return;
        }
        long oldest = boundaryAtOrAfter(now - Pacer.TICK_NANOS + 1);
        long boundary = Math.max(unpolledBoundary, oldest);
        for (; boundary <= now; boundary += SLOT_NANOS) {
            Slot slot = slots[slotIndex(boundary)];
            if (slot.count > 0) {
                slot.run();
            }
        }
        unpolledBoundary = boundary;
    }

    private int slotIndex(long boundary) {
        return (int) Math.floorMod(Math.floorDiv(boundary - epochNanos, SLOT_NANOS), (long) SLOTS);
    }

    /** Number of slots that currently hold at least one pacer (one periodic task each). */
    int occupiedSlots() {
        int n = 0;
        for (Slot slot : slots) {
            n += slot.count > 0 ? 1 : 0;
        }
        return n;
    }

    /**
     * Checks that every member of a slot points back at its place there, that no membership is in two places and that
     * every occupied slot has a live task, and only those; throws {@link IllegalStateException} otherwise.
     */
    void checkSlots() {
        Set<Membership> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Slot slot : slots) {
            for (int i = 0; i < slot.members.length; i++) {
                Membership m = slot.members[i];
                if (i >= slot.count ? m != null : m == null || m.slot != slot || m.index != i || !seen.add(m)) {
                    throw new IllegalStateException("slot member " + i + " of " + slot.count + " misplaced");
                }
            }
            if ((slot.count > 0) != (slot.task != null)) {
                throw new IllegalStateException(slot.count + " members, task " + slot.task);
            }
        }
    }

    /**
     * Adds the pacer to the slot whose boundaries include {@code boundary} (a value of {@link #boundaryAtOrAfter}),
     * and to the one 10 ms on when its period is not a multiple of 20 ms.
     */
    void join(Pacer pacer, long boundary) {
        slots[slotIndex(boundary)].add(pacer.memberships[0]);
        if (pacer.periodNanos() % Pacer.TICK_NANOS != 0) {
            slots[slotIndex(boundary + HALF_PERIOD_NANOS)].add(pacer.memberships[1]);
        }
    }

    /**
     * Runs the pacer's due ticks. Anything a tick throws (the listener's code included) stops that pacer alone and
     * goes to its {@link Pacer.Ticks#onFault}; nothing reaches the caller.
     */
    void wake(Pacer pacer) {
        try {
            pacer.wakeUp();
        } catch (Throwable e) {
            pacer.fail(e);
        }
    }

    /** Removes the pacer from its slots; nothing if it is in none. */
    void leave(Pacer pacer) {
        for (Membership membership : pacer.memberships) {
            if (membership.slot != null) {
                membership.slot.remove(membership);
            }
        }
    }

    /** A pacer's place in one slot (a pacer has up to two). */
    static final class Membership {
        final Pacer pacer;
        Slot slot;
        int index;

        Membership(Pacer pacer) {
            this.pacer = pacer;
        }
    }

    /** One phase of the wheel: its pacers and the periodic task that wakes them. */
    final class Slot implements Runnable {
        private final long phaseNanos;
        private Membership[] members = new Membership[4];
        private int count;
        private Cancellable task;

        Slot(long phaseNanos) {
            this.phaseNanos = phaseNanos;
        }

        void add(Membership membership) {
            if (count == members.length) {
                members = Arrays.copyOf(members, count * 2);
            }
            membership.slot = this;
            membership.index = count;
            members[count++] = membership;
            if (count == 1) {
                long now = scheduler.nanoTime();
                long next = firstAtOrAfter(phaseNanos, Pacer.TICK_NANOS, now);
                task = scheduler.scheduleAtFixedRate(this, next - now, Pacer.TICK_NANOS);
            }
        }

        void remove(Membership membership) {
            int i = membership.index;
            Membership last = members[--count];
            members[i] = last;
            last.index = i;
            members[count] = null;
            membership.slot = null;
            if (count == 0) {
                task.cancel();
                task = null;
            }
        }

        /**
         * Wakes every member through {@link #wake}, last first: a member that leaves during its tick (or fails in it)
         * is replaced by one already woken. A member woken twice in one run finds nothing due the second time.
         */
        @Override
        public void run() {
            for (int i = count - 1; i >= 0; i--) {
                if (i < count) {
                    wake(members[i].pacer);
                }
            }
        }
    }
}
