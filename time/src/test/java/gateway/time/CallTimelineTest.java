package gateway.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CallTimelineTest {

    @Test
    void oneFrameIsTwentyMillisecondsFourHundredEightySamplesAndOneHundredSixtyRtpUnits() {
        assertEquals(480, CallTimeline.FRAME_SAMPLES);
        assertEquals(20_000_000L, CallTimeline.FRAME_NANOS);
        assertEquals(480, CallTimeline.nanosToSamples(CallTimeline.FRAME_NANOS));
        assertEquals(CallTimeline.FRAME_NANOS, CallTimeline.samplesToNanos(480));
        assertEquals(480, CallTimeline.rtpUnitsToSamples(160));
        assertEquals(160, CallTimeline.nanosToRtpUnits(CallTimeline.FRAME_NANOS));
        assertEquals(20, CallTimeline.samplesToMs(480));
        assertEquals(480, CallTimeline.msToSamples(20));
    }

    @Test
    void conversionsRoundDownAlsoBelowZero() {
        assertEquals(0, CallTimeline.nanosToSamples(41_666));
        assertEquals(1, CallTimeline.nanosToSamples(41_667));
        assertEquals(41_666, CallTimeline.samplesToNanos(1));
        assertEquals(0, CallTimeline.samplesToMs(23));
        assertEquals(-1, CallTimeline.samplesToMs(-1));
        assertEquals(-1, CallTimeline.nanosToSamples(-1));
        assertEquals(-1, CallTimeline.nanosToMs(-1));
    }

    @Test
    void millisecondsThatCoverSamplesRoundUp() {
        assertEquals(0, CallTimeline.samplesToMsRoundedUp(0));
        assertEquals(1, CallTimeline.samplesToMsRoundedUp(1));
        assertEquals(1, CallTimeline.samplesToMsRoundedUp(24));
        assertEquals(2, CallTimeline.samplesToMsRoundedUp(25));
        assertEquals(2000, CallTimeline.samplesToMsRoundedUp(47_999));
        assertEquals(0, CallTimeline.samplesToMsRoundedUp(-1));
        assertEquals(-1, CallTimeline.samplesToMsRoundedUp(-24));
    }

    @Test
    void anHourOfSamplesSurvivesTheRoundTrip() {
        long hour = 3_600L * CallTimeline.SAMPLE_RATE;
        assertEquals(hour, CallTimeline.nanosToSamples(CallTimeline.samplesToNanos(hour)));
        assertEquals(3_600_000L, CallTimeline.samplesToMs(hour));
    }
}
