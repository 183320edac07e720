package gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.time.ManualScheduler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pacers sharing one wheel: slot choice, shared wake-ups, leaving mid-run, early talkspurts and faults. */
class PacingWheelTest {

    private static final long MS = 1_000_000L;

    /** Records {time, position} of each tick and the early shifts. */
    static final class Recorder implements Pacer.Ticks {
        final ManualScheduler clock;
        final List<long[]> ticks = new ArrayList<>();
        final List<Long> early = new ArrayList<>();
        final List<Throwable> faults = new ArrayList<>();
        Runnable onTick = () -> { };

        Recorder(ManualScheduler clock) {
            this.clock = clock;
        }

        @Override
        public void onTick(long position) {
            ticks.add(new long[] {clock.nanoTime(), position});
            onTick.run();
        }

        @Override
        public void onSkipped(long count) {
            throw new AssertionError("no stall in these tests");
        }

        @Override
        public void onEarly(long earlyNanos) {
            early.add(earlyNanos);
        }

        @Override
        public void onFault(Throwable error) {
            faults.add(error);
        }

        long[] times() {
            return ticks.stream().mapToLong(t -> t[0]).toArray();
        }

        long[] positions() {
            return ticks.stream().mapToLong(t -> t[1]).toArray();
        }
    }

    @Test
    void pacersOnTheSamePhaseShareOneWakeUpAndOthersRoundUpToTheNextMillisecond() {
        ManualScheduler scheduler = new ManualScheduler(0);
        PacingWheel wheel = new PacingWheel(scheduler);
        Recorder a = new Recorder(scheduler);
        Recorder b = new Recorder(scheduler);
        Recorder c = new Recorder(scheduler);
        Pacer pa = new Pacer(wheel, a);
        Pacer pb = new Pacer(wheel, b);
        Pacer pc = new Pacer(wheel, c);

        pa.start(0);
        pb.start(400_000L); // answered 0.4 ms in: first tick on the 1 ms boundary, 0.6 ms = 14 samples into the call
        scheduler.runDue();
        assertEquals(2, scheduler.pending());
        assertEquals(2, wheel.occupiedSlots());
        scheduler.advanceNanos(20 * MS);
        pc.start(20 * MS);  // same phase as a, whose slot has just run: c's first tick runs at once
        scheduler.runDue();
        assertEquals(2, scheduler.pending()); // and then it shares a's slot, no new timer
        scheduler.advanceNanos(21 * MS);

        assertArrayEquals(new long[] {0, 20 * MS, 40 * MS}, a.times());
        assertArrayEquals(new long[] {0, 480, 960}, a.positions());
        assertArrayEquals(new long[] {MS, 21 * MS, 41 * MS}, b.times());
        assertArrayEquals(new long[] {14, 494, 974}, b.positions());
        assertArrayEquals(new long[] {20 * MS, 40 * MS}, c.times());
        assertArrayEquals(new long[] {0, 480}, c.positions());

        pa.stop();
        assertEquals(2, wheel.occupiedSlots()); // c still holds slot 0
        pc.stop();
        assertEquals(1, wheel.occupiedSlots());
        pb.stop();
        assertEquals(0, wheel.occupiedSlots());
        scheduler.advanceNanos(20 * MS);
        assertEquals(0, scheduler.pending());   // the slots' tasks are cancelled, not re-queued
        assertEquals(List.of(3, 3, 2), List.of(a.ticks.size(), b.ticks.size(), c.ticks.size())); // none after stop
    }

    @Test
    void aPacerThatStopsAnotherDuringItsTickLeavesTheRestTickingOncePerPeriod() {
        ManualScheduler scheduler = new ManualScheduler(0);
        PacingWheel wheel = new PacingWheel(scheduler);
        Recorder[] recorders = new Recorder[5];
        Pacer[] pacers = new Pacer[5];
        for (int i = 0; i < 5; i++) {
            recorders[i] = new Recorder(scheduler);
            pacers[i] = new Pacer(wheel, recorders[i]);
            pacers[i].start(0);
        }
        // On its second tick, the last pacer (woken first) stops two others, one before it and one after it.
        recorders[4].onTick = () -> {
            if (recorders[4].ticks.size() == 2) {
                pacers[1].stop();
                pacers[4].stop();
            }
        };
        scheduler.runDue();
        scheduler.advanceNanos(20 * MS);
        scheduler.advanceNanos(20 * MS);
        assertEquals(3, recorders[0].ticks.size());
        assertEquals(1, recorders[1].ticks.size()); // stopped before its second tick ran
        assertEquals(3, recorders[2].ticks.size());
        assertEquals(3, recorders[3].ticks.size());
        assertEquals(2, recorders[4].ticks.size());
        for (int i : new int[] {0, 2, 3}) {
            assertArrayEquals(new long[] {0, 20 * MS, 40 * MS}, recorders[i].times());
        }
        assertEquals(1, scheduler.pending());
    }

    @Test
    void aPacerWhosePacketTimeChangesWhileItsSlotRunsStillTicksOnTime() {
        ManualScheduler scheduler = new ManualScheduler(0);
        PacingWheel wheel = new PacingWheel(scheduler);
        Recorder a = new Recorder(scheduler);
        Recorder b = new Recorder(scheduler);
        Pacer pa = new Pacer(wheel, a);
        Pacer pb = new Pacer(wheel, b);
        pa.start(0);
        pb.start(0);
        // b is woken first; on its second tick a, whose tick is due now but not yet run, moves to 40 ms.
        b.onTick = () -> {
            if (b.ticks.size() == 2) {
                pa.period(40 * MS);
            }
        };
        scheduler.runDue();
        scheduler.advanceNanos(20 * MS);
        scheduler.advanceNanos(40 * MS);
        assertArrayEquals(new long[] {0, 20 * MS, 60 * MS}, a.times(), "the due tick runs now, not a period later");
        assertArrayEquals(new long[] {0, 480, 1440}, a.positions());
        wheel.checkSlots();
    }

    @Test
    void anEarlyTalkspurtMovesToTheNextBoundaryAndItsSlot() {
        ManualScheduler scheduler = new ManualScheduler(0);
        PacingWheel wheel = new PacingWheel(scheduler);
        Recorder r = new Recorder(scheduler);
        Pacer pacer = new Pacer(wheel, r);
        pacer.start(0);
        scheduler.runDue();
        scheduler.advanceNanos(20 * MS);

        scheduler.advanceNanos(7_300_000L);       // 27.3 ms: audio arrives; the next boundary is 28 ms
        assertTrue(pacer.tickNow());
        assertEquals(List.of(12 * MS), r.early);   // 12 ms before the old grid's 40 ms
        assertEquals(2, r.ticks.size());           // not before the boundary
        assertEquals(1, wheel.occupiedSlots());    // slot 0 released, slot 8 taken
        scheduler.advanceNanos(700_000L);
        assertEquals(3, r.ticks.size());
        assertFalse(pacer.tickNow(), "a tick has just run on this boundary");
        scheduler.advanceNanos(12 * MS);           // 40 ms: the old grid, nothing
        assertEquals(3, r.ticks.size());
        scheduler.advanceNanos(8 * MS);            // 48 ms
        assertArrayEquals(new long[] {0, 20 * MS, 28 * MS, 48 * MS}, r.times());
        assertArrayEquals(new long[] {0, 480, 672, 1152}, r.positions());
        pacer.stop();
        scheduler.advanceNanos(20 * MS);
        assertEquals(0, scheduler.pending());
        assertEquals(4, r.ticks.size());
    }

    @Test
    void aPacerThatThrowsStopsAloneAndTheOthersKeepTheirGrid() {
        ManualScheduler scheduler = new ManualScheduler(0);
        PacingWheel wheel = new PacingWheel(scheduler);
        int calls = 50;
        int faulty = 17;
        Recorder[] recorders = new Recorder[calls];
        Pacer[] pacers = new Pacer[calls];
        long[] answers = new long[calls];
        RuntimeException boom = new IllegalStateException("boom");
        for (int i = 0; i < calls; i++) {
            recorders[i] = new Recorder(scheduler);
            pacers[i] = new Pacer(wheel, recorders[i]);
            answers[i] = (i % 4) * MS; // four slots, 12 or 13 pacers each
            pacers[i].start(answers[i]);
        }
        Recorder bad = recorders[faulty];
        bad.onTick = () -> {
            if (bad.ticks.size() == 10) {
                throw boom;
            }
        };
        int periods = 200;
        for (int k = 0; k < periods; k++) {
            scheduler.advanceNanos(7 * MS);
            wheel.runDue(scheduler.nanoTime()); // as an inbound packet does: a second way in, also guarded
            scheduler.advanceNanos(13 * MS);
        }

        assertEquals(10, bad.ticks.size());
        assertEquals(List.of(boom), bad.faults);
        for (int i = 0; i < calls; i++) {
            if (i == faulty) {
                continue;
            }
            Recorder r = recorders[i];
            int expected = (int) ((periods * 20 * MS - answers[i]) / (20 * MS)) + 1;
            assertEquals(expected, r.ticks.size(), "pacer " + i);
            for (int k = 0; k < expected; k++) {
                assertArrayEquals(new long[] {answers[i] + k * 20 * MS, k * 480L}, r.ticks.get(k), "pacer " + i);
            }
            assertEquals(List.of(), r.faults);
        }
        assertEquals(4, wheel.occupiedSlots());
        assertEquals(4, scheduler.pending()); // the four periodic slot tasks, all alive

        for (int i = 0; i < calls; i++) {
            pacers[i].stop();
        }
        scheduler.advanceNanos(20 * MS);
        assertEquals(0, scheduler.pending());
    }

    @Test
    void aTickRunByAnInboundPacketThatThrowsStopsOnlyItsPacer() {
        RtpSenderPacingTest.StallingScheduler scheduler = new RtpSenderPacingTest.StallingScheduler();
        PacingWheel wheel = new PacingWheel(scheduler);
        Recorder a = new Recorder(scheduler.manual);
        Recorder b = new Recorder(scheduler.manual);
        Pacer pa = new Pacer(wheel, a);
        Pacer pb = new Pacer(wheel, b);
        long answer = scheduler.nanoTime();
        pa.start(answer);
        pb.start(answer);
        RuntimeException boom = new IllegalStateException("boom");
        a.onTick = () -> {
            if (a.ticks.size() == 2) {
                throw boom;
            }
        };
        scheduler.stallNextBy = 7 * MS;       // the slot's wake-up for tick 1 comes at 27 ms
        scheduler.manual.runDue();            // tick 0 of both
        scheduler.manual.advanceNanos(21 * MS);
        wheel.runDue(scheduler.nanoTime());   // tick 1 of both, from the I/O path: a throws, b still ticks
        assertEquals(List.of(boom), a.faults);
        assertEquals(2, b.ticks.size());
        scheduler.manual.advanceNanos(6 * MS);  // 27 ms: the late wake-up, nothing due
        scheduler.manual.advanceNanos(33 * MS); // 60 ms
        assertArrayEquals(new long[] {answer, answer + 21 * MS, answer + 40 * MS, answer + 60 * MS}, b.times());
        assertEquals(2, a.ticks.size());
        assertEquals(List.of(boom), a.faults);
        assertEquals(1, wheel.occupiedSlots());
        assertEquals(1, scheduler.manual.pending());
        pb.stop();
    }

    @Test
    void aPacerWhoseEarlyTickThrowsFailsWithoutThrowingToItsCaller() {
        ManualScheduler scheduler = new ManualScheduler(0);
        PacingWheel wheel = new PacingWheel(scheduler);
        Recorder r = new Recorder(scheduler);
        Pacer pacer = new Pacer(wheel, r);
        pacer.start(0);
        scheduler.runDue();
        scheduler.advanceNanos(27 * MS);
        RuntimeException boom = new IllegalStateException("boom");
        r.onTick = () -> {
            throw boom;
        };
        scheduler.advanceNanos(MS);           // 28 ms, a boundary: the early tick runs at once
        assertTrue(pacer.tickNow());
        assertEquals(List.of(boom), r.faults);
        assertEquals(0, wheel.occupiedSlots());
        scheduler.advanceNanos(40 * MS);
        assertEquals(3, r.ticks.size());      // 0, 20 ms and the early one that threw
        assertEquals(0, scheduler.pending());
    }
}
