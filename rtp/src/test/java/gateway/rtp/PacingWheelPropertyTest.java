package gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.time.ManualScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Many pacers on one wheel joining, leaving, changing packet time, starting talkspurts early and failing in random
 * order at random times, some of it from inside other pacers' ticks, on a clock that runs every task on time: no
 * pacer ever skips a tick or ticks later than one slot after its grid time, and the slots stay consistent.
 */
class PacingWheelPropertyTest {

    private static final long MS = 1_000_000L;
    private static final int PACERS = 60;
    private static final int STEPS = 20_000;

    /** One pacer under test and what it saw. */
    private final class Member implements Pacer.Ticks {
        final Pacer pacer;
        boolean failNext;
        boolean on;
        long since;
        long ticks;

        Member(PacingWheel wheel) {
            this.pacer = new Pacer(wheel, this);
        }

        @Override
        public void onTick(long position) {
            ticks++;
            since = scheduler.nanoTime();
            long late = scheduler.nanoTime() - pacer.tickNanos();
            if (late < 0 || late > PacingWheel.SLOT_NANOS) {
                problems.add("a tick ran " + late + " ns late at " + scheduler.nanoTime());
            }
            if (failNext) {
                failNext = false;
                throw new IllegalStateException("planned fault");
            }
            if (random.nextInt(50) == 0) {
                Member other = members.get(random.nextInt(members.size()));
                if (other != this) {
                    operate(other);                     // another pacer changes while the slot runs
                } else if (random.nextBoolean()) {
                    stop(this);                         // as an RTP timeout found in a tick closes the session
                } else {
                    pacer.tickNow();
                }
            }
        }

        @Override
        public void onSkipped(long count) {
            problems.add(count + " ticks skipped with no stall at " + scheduler.nanoTime());
        }

        @Override
        public void onEarly(long earlyNanos) {
            if (earlyNanos < Pacer.MIN_EARLY_NANOS) {
                problems.add("early by only " + earlyNanos);
            }
        }

        @Override
        public void onFault(Throwable error) {
            if (!"planned fault".equals(error.getMessage())) {
                problems.add("unplanned fault " + error);
            }
            on = false;
        }
    }

    private long seed;
    private SplittableRandom random;
    private ManualScheduler scheduler;
    private final List<Member> members = new ArrayList<>();
    /** What went wrong inside ticks (where a thrown assertion would only stop the pacer). */
    private final List<String> problems = new ArrayList<>();

    /** One random change to {@code member}. */
    private void operate(Member member) {
        switch (random.nextInt(6)) {
            case 0 -> start(member, scheduler.nanoTime() - random.nextLong(PacingWheel.SLOT_NANOS));
            case 1 -> stop(member);
            case 2 -> member.pacer.period((1 + random.nextInt(6)) * Pacer.PERIOD_STEP_NANOS);
            case 3 -> member.pacer.tickNow();
            case 4 -> member.failNext = true;
            default -> {
                stop(member);
                start(member, scheduler.nanoTime());
            }
        }
    }

    private void start(Member member, long answerNanos) {
        if (!member.on) {
            member.on = true;
            member.since = answerNanos;
        }
        member.pacer.start(answerNanos);
    }

    private void stop(Member member) {
        member.on = false;
        member.pacer.stop();
    }

    /** Every running pacer ticked within the longest period (and one slot) of now. */
    private void checkEveryRunningPacerTicks() {
        long now = scheduler.nanoTime();
        for (Member m : members) {
            long silent = now - m.since;
            assertTrue(!m.on || silent <= Pacer.MAX_PERIOD_NANOS + PacingWheel.SLOT_NANOS,
                    () -> "a running pacer has not ticked for " + silent + " ns, seed " + seed);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
    void noPacerSkipsOrRunsLateWhenEveryTaskRunsOnTime(long seed) {
        this.seed = seed;
        random = new SplittableRandom(seed);
        scheduler = new ManualScheduler(random.nextLong(1_000_000 * MS));
        PacingWheel wheel = new PacingWheel(scheduler);
        for (int i = 0; i < PACERS; i++) {
            members.add(new Member(wheel));
        }
        for (int step = 0; step < STEPS; step++) {
            scheduler.advanceNanos(random.nextLong(3 * MS));
            int action = random.nextInt(4);
            if (action == 0) {
                wheel.runDue(scheduler.nanoTime());             // an inbound packet
            } else if (action == 1) {
                operate(members.get(random.nextInt(PACERS)));
            }
            wheel.checkSlots();
            checkEveryRunningPacerTicks();
            assertEquals(List.of(), problems, "seed " + seed);
        }
        scheduler.advanceNanos(200 * MS);
        wheel.checkSlots();
        long ticked = members.stream().mapToLong(m -> m.ticks).sum();
        assertTrue(ticked > STEPS / 4, () -> "the pacers ticked " + ticked + " times");
    }
}
