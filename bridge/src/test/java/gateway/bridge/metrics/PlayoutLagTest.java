package gateway.bridge.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The media loops count as behind after two windows in a row with 5 % of their ticks 5 ms late or more. */
class PlayoutLagTest {

    /** One lagging tick in this many makes a window's share exactly {@link PlayoutLag#LATE_PERCENT} %. */
    private static final int LATE_EVERY = 100 / PlayoutLag.LATE_PERCENT;
    private static final long FRAME_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final PlayoutLag lag = new PlayoutLag();

    private void ticks(long count, long lateEvery, long lateness) {
        for (long i = 0; i < count; i++) {
            lag.record(i % lateEvery == 0 ? lateness : 0);
        }
    }

    private void laggingWindow() {
        ticks(1000, LATE_EVERY, PlayoutLag.LATE_NANOS);
        lag.roll();
    }

    /**
     * One second of {@code calls} calls ticking every 20 ms at evenly spread phases, where the loop is held for
     * {@code stallMillis} from the start of the second: each tick due in the stall runs when it ends.
     */
    private void secondWithStall(int calls, long stallMillis) {
        long stallEnd = TimeUnit.MILLISECONDS.toNanos(stallMillis);
        for (int call = 0; call < calls; call++) {
            long phase = FRAME_NANOS * call / calls;
            for (long due = phase; due < TimeUnit.SECONDS.toNanos(1); due += FRAME_NANOS) {
                lag.record(Math.max(0, stallEnd - due));
            }
        }
        lag.roll();
    }

    @Test
    void twoWindowsInARowWithFivePercentOfTicksFiveMillisecondsLateAreBehindUntilACleanWindow() {
        ticks(1000, LATE_EVERY, PlayoutLag.LATE_NANOS);
        assertFalse(lag.behind(), "nothing is decided before the window closes");
        lag.roll();
        assertFalse(lag.behind(), "one lagging window is a stall, not lag");
        assertEquals(0.05, lag.lastLateRatio(), 1e-9);
        laggingWindow();
        assertTrue(lag.behind());
        laggingWindow();
        assertTrue(lag.behind(), "still behind while it lasts");
        ticks(1000, 1000, 0);
        lag.roll();
        assertFalse(lag.behind(), "a clean window lifts it");
        assertEquals(0, lag.lastLateRatio());
        laggingWindow();
        assertFalse(lag.behind(), "the count starts again after a clean window");
    }

    @Test
    void stallsInWindowsApartNeverTrip() {
        for (int minute = 0; minute < 5; minute++) {
            laggingWindow();
            assertFalse(lag.behind(), "a stall while calls turn over");
            ticks(1000, 1000, 0);
            lag.roll();
            assertFalse(lag.behind());
        }
    }

    @Test
    void aFiftyMillisecondStallEverySecondIsNotBehindButASixtyMillisecondOneIs() {
        for (int second = 0; second < 10; second++) {
            secondWithStall(100, 50);
            assertFalse(lag.behind(), "a GC pause or the host holding the VM for 50 ms a second harms no call");
            assertEquals(0.045, lag.lastLateRatio(), 0.001, "the ticks due in its first 45 ms ran 5 ms late");
        }
        secondWithStall(100, 60);
        secondWithStall(100, 60);
        assertTrue(lag.behind(), "60 ms held every second for two seconds is a loop losing a frame in sixteen");
    }

    @Test
    void aLoopThatCannotKeepUpIsBehindAfterTwoSeconds() {
        long backlog = 0;
        for (int second = 0; second < 2; second++) {
            for (int tick = 0; tick < 5000; tick++) { // 100 calls; 21 ms of work every 20 ms: 1 ms more late a frame
                backlog += 10_000;
                lag.record(backlog);
            }
            lag.roll();
        }
        assertTrue(lag.behind(), "a loop 5 % over its budget queues every tick further behind");
    }

    @Test
    void justUnderTheShareOrTheLatenessIsNotBehind() {
        laggingWindow();
        ticks(1001, LATE_EVERY + 1, PlayoutLag.LATE_NANOS);
        lag.roll();
        assertFalse(lag.behind(), "a hair under the share is not lagging");
        laggingWindow();
        ticks(1000, 1, PlayoutLag.LATE_NANOS - 1);
        lag.roll();
        assertFalse(lag.behind(), "every tick 4.999 ms late is not lagging");
    }

    @Test
    void fewerThanTenCallsNeverTrip() {
        for (int window = 0; window < 3; window++) {
            ticks(PlayoutLag.MIN_TICKS - 1, 1, PlayoutLag.LATE_NANOS * 10);
            lag.roll();
            assertFalse(lag.behind(), "nine calls all late: the window is too small to refuse on");
            assertEquals(1.0, lag.lastLateRatio());
        }
        ticks(PlayoutLag.MIN_TICKS, 1, PlayoutLag.LATE_NANOS * 10);
        lag.roll();
        ticks(PlayoutLag.MIN_TICKS, 1, PlayoutLag.LATE_NANOS * 10);
        lag.roll();
        assertTrue(lag.behind());
    }

    @Test
    void bothMediaLoopsTicksCountInTheWindowAndTheNextStartsFromNothing() throws InterruptedException {
        Thread otherLoop = new Thread(() -> ticks(600, LATE_EVERY, PlayoutLag.LATE_NANOS), "other-loop");
        otherLoop.start();
        otherLoop.join();
        ticks(400, 1, 0);
        lag.roll();
        assertEquals(30.0 / 1000, lag.lastLateRatio(), 1e-9, "600 ticks with 30 late there, 400 on time here");
        ticks(PlayoutLag.MIN_TICKS, 1, 0);
        lag.roll();
        assertEquals(0, lag.lastLateRatio(), "the first window's late ticks are not counted again");
    }
}
