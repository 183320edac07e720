package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class InputClockTest {

    private static final int FRAME = 480;

    @Test
    void aContinuousStreamMapsWithOneOffset() {
        InputClock clock = new InputClock();
        assertEquals(-1, clock.recordingMs(0), "nothing appended yet");
        for (long p = 24 * 180; p < 24 * 10_000; p += FRAME) {   // first sample recorded at 180 ms
            clock.appended(p, FRAME);
        }
        assertEquals(180 + 1236, clock.recordingMs(1236));
        assertEquals(180 + 3808, clock.recordingMs(3808));
        assertEquals(180, clock.recordingMs(-5), "a time before the first sample maps to it");
    }

    @Test
    void aHoldOrAPauseStartsANewStretchSoLaterTurnsStayExact() {
        InputClock clock = new InputClock();
        for (long p = 0; p < 24 * 2000; p += FRAME) {            // 2 s of audio at 0-2000 ms
            clock.appended(p, FRAME);
        }
        for (long p = 24 * 7000; p < 24 * 9000; p += FRAME) {    // on hold 2000-7000 ms, then 2 s more
            clock.appended(p, FRAME);
        }
        assertEquals(1500, clock.recordingMs(1500), "input 1500 ms is still in the first stretch");
        assertEquals(7000, clock.recordingMs(2000), "input 2000 ms is the first sample after the hold");
        assertEquals(8250, clock.recordingMs(3250));
        assertEquals(24 * 4000, clock.appendedSamples());
    }

    @Test
    void stretchesBeyondTheLimitForgetTheOldestHalf() {
        InputClock clock = new InputClock();
        for (int i = 0; i <= InputClock.MAX_STRETCHES; i++) {
            clock.appended(i * 2L * FRAME, FRAME);                // every frame is after a gap of one frame
        }
        long lastInputMs = InputClock.MAX_STRETCHES * 20L;
        assertEquals(2 * lastInputMs, clock.recordingMs(lastInputMs), "recent stretches stay exact");
        assertFalse(clock.recordingMs(0) == 0, "the oldest were forgotten");
    }
}
