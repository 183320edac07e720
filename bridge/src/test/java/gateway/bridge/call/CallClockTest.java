package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gateway.time.ManualScheduler;
import org.junit.jupiter.api.Test;

/**
 * The call's recording timeline on the manual clock: 0 before the answer, running after, stopped for good at the end.
 */
class CallClockTest {

    private final ManualScheduler scheduler = new ManualScheduler(5_000_000_000L);
    private final CallClock clock = new CallClock(scheduler);

    @Test
    void beforeTheAnswerThePositionIsZeroWhateverTheTime() {
        scheduler.advanceMillis(1234);
        assertEquals(CallClock.Phase.BEFORE_ANSWER, clock.phase());
        assertEquals(0, clock.position());
        assertEquals(0, clock.positionMs());
    }

    @Test
    void afterTheAnswerThePositionIsTheTimeSinceIt() {
        scheduler.advanceMillis(700);
        assertEquals(5_700_000_000L, clock.start(), "sample 0 is the answer instant");
        scheduler.advanceNanos(20_000_000L + 125_000L);
        assertEquals(20 * 24 + 3, clock.position(), "24 samples a millisecond, 3 every 125 µs");
        assertEquals(20, clock.positionMs());
    }

    @Test
    void theEndIsNowWhenNoAudioWentBeyondItAndStaysThereAsTimeGoesOn() {
        clock.start();
        clock.reached(24_000);
        scheduler.advanceMillis(1500);
        assertEquals(36_000, clock.stop());
        assertEquals(CallClock.Phase.STOPPED, clock.phase());
        scheduler.advanceMillis(10_000);
        assertEquals(36_000, clock.position(), "frozen at the end");
        assertEquals(1500, clock.positionMs());
    }

    @Test
    void theEndIsTheLastSampleHandledWhenAudioRanAheadOfTheClock() {
        clock.start();
        scheduler.advanceMillis(1000);
        clock.reached(24_000 + 480);          // a frame played a little ahead of its time
        clock.reached(12_000);                // an earlier, late one does not move the end back
        assertEquals(24_480, clock.stop());
        assertEquals(24_480, clock.position());
    }

    @Test
    void aCallEndedBeforeTheAnswerEndsAtZero() {
        scheduler.advanceMillis(3000);
        assertEquals(0, clock.stop());
        assertEquals(0, clock.positionMs());
    }

    @Test
    void latenessIsHowFarAfterItsOwnInstantAFrameIsAskedFor() {
        long answer = clock.start();
        assertEquals(0, clock.lateness(480, answer + 20_000_000L), "the frame at 20 ms, asked for at 20 ms");
        assertEquals(1_500_000, clock.lateness(480, answer + 21_500_000L));
        assertEquals(-1_000_000, clock.lateness(480, answer + 19_000_000L), "a talkspurt started early");
    }
}
