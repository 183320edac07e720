package gateway.bridge.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The media loops count as behind after two windows in a row with 1 % of their ticks 5 ms late or more. */
class PlayoutLagTest {

    private final PlayoutLag lag = new PlayoutLag();

    private void ticks(long count, long lateEvery, long lateness) {
        for (long i = 0; i < count; i++) {
            lag.record(i % lateEvery == 0 ? lateness : 0);
        }
    }

    private void laggingWindow() {
        ticks(1000, 100, PlayoutLag.LATE_NANOS);
        lag.roll();
    }

    @Test
    void twoWindowsInARowWithOnePercentOfTicksFiveMillisecondsLateAreBehindUntilACleanWindow() {
        ticks(1000, 100, PlayoutLag.LATE_NANOS);
        assertFalse(lag.behind(), "nothing is decided before the window closes");
        lag.roll();
        assertFalse(lag.behind(), "one lagging window is a stall, not lag");
        assertEquals(0.01, lag.lastLateRatio(), 1e-9);
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
    void justUnderTheShareOrTheLatenessIsNotBehind() {
        laggingWindow();
        ticks(1001, 101, PlayoutLag.LATE_NANOS);
        lag.roll();
        assertFalse(lag.behind(), "10 of 1001 late is under 1 %");
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
}
