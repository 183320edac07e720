package gateway.time;

/**
 * The arithmetic of a call's timeline, in one place. Positions are 24 kHz sample indexes with sample 0 at the
 * answer; the RTP clock of G.711 runs at 8 kHz (RFC 3551 §4.5.14), so one RTP timestamp unit is three samples; one
 * sample lasts 125000/3 ns. Conversions to coarser units round down (towards negative infinity) unless their name
 * says otherwise.
 */
public final class CallTimeline {

    /** Samples per second of the call timeline, the recording and the Realtime PCM audio. */
    public static final int SAMPLE_RATE = 24_000;
    public static final int SAMPLES_PER_MS = SAMPLE_RATE / 1000;
    /** The G.711 RTP clock (RFC 3551 table 4). */
    public static final int RTP_CLOCK_RATE = 8_000;
    /** Timeline samples per RTP timestamp unit. */
    public static final int SAMPLES_PER_RTP_UNIT = SAMPLE_RATE / RTP_CLOCK_RATE;
    /** The packet and pacing interval: 20 ms, the RFC 3551 default ptime for G.711. */
    public static final int FRAME_MS = 20;
    public static final int FRAME_SAMPLES = FRAME_MS * SAMPLES_PER_MS;
    public static final long FRAME_NANOS = FRAME_MS * 1_000_000L;
    /** Nanoseconds per RTP timestamp unit at 8 kHz. */
    public static final long NANOS_PER_RTP_UNIT = 1_000_000_000L / RTP_CLOCK_RATE;

    private static final long NANOS_PER_MS = 1_000_000L;

    private CallTimeline() {
    }

    /** Whole milliseconds in {@code samples}. */
    public static long samplesToMs(long samples) {
        return Math.floorDiv(samples, SAMPLES_PER_MS);
    }

    /** Milliseconds that cover {@code samples} whole: rounded up, so a span of samples never shrinks. */
    public static long samplesToMsRoundedUp(long samples) {
        return -Math.floorDiv(-samples, SAMPLES_PER_MS);
    }

    public static long msToSamples(long ms) {
        return ms * SAMPLES_PER_MS;
    }

    /** Whole samples in {@code nanos} (3 samples per 125 µs). */
    public static long nanosToSamples(long nanos) {
        return Math.floorDiv(nanos * SAMPLES_PER_RTP_UNIT, NANOS_PER_RTP_UNIT);
    }

    /** The instant of a sample, relative to sample 0, rounded down to the nanosecond. */
    public static long samplesToNanos(long samples) {
        return Math.floorDiv(samples * NANOS_PER_RTP_UNIT, SAMPLES_PER_RTP_UNIT);
    }

    public static long nanosToMs(long nanos) {
        return Math.floorDiv(nanos, NANOS_PER_MS);
    }

    public static long msToNanos(long ms) {
        return ms * NANOS_PER_MS;
    }

    /** Timeline samples spanned by {@code units} of the 8 kHz RTP clock. */
    public static long rtpUnitsToSamples(long units) {
        return units * SAMPLES_PER_RTP_UNIT;
    }

    /** Whole 8 kHz RTP clock units in {@code nanos}. */
    public static long nanosToRtpUnits(long nanos) {
        return Math.floorDiv(nanos, NANOS_PER_RTP_UNIT);
    }
}
