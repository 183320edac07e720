package gateway.bridge.call;

import gateway.time.CallTimeline;
import java.util.Arrays;

/**
 * Maps one Realtime session's input-audio clock to the recording's timeline. The service times caller speech
 * ({@code audio_start_ms}, {@code audio_end_ms}) in milliseconds of audio appended since that session began
 * (docs/realtime-protocol.md §5.1); the recording places the same audio by RTP timestamp. While the caller's stream
 * is continuous one offset maps the two; a hold, a sender pause or audio buffered across a reconnect starts a new
 * stretch, so the map is a list of stretches: (first input sample, its recording position).
 *
 * <p>Call's loop only. {@link #appended} runs per packet and allocates nothing, except when a new stretch needs
 * more room (rare: a discontinuity).
 */
final class InputClock {

    /** Stretches kept; beyond, the oldest half is forgotten (speech that old is no longer asked about). */
    static final int MAX_STRETCHES = 4096;
    private static final int INITIAL_STRETCHES = 8;

    private long[] inputStart = new long[INITIAL_STRETCHES];
    private long[] recordingStart = new long[INITIAL_STRETCHES];
    private int count;
    private long appendedSamples;
    private long expectedPosition = Long.MIN_VALUE;

    /** Records that {@code length} samples at recording {@code position} were appended to the session. */
    void appended(long position, int length) {
        if (position != expectedPosition) {
            startStretch(position);
        }
        appendedSamples += length;
        expectedPosition = position + length;
    }

    private void startStretch(long position) {
        if (count == inputStart.length) {
            if (count == MAX_STRETCHES) {
                int keep = count / 2;
                System.arraycopy(inputStart, count - keep, inputStart, 0, keep);
                System.arraycopy(recordingStart, count - keep, recordingStart, 0, keep);
                count = keep;
            } else {
                inputStart = Arrays.copyOf(inputStart, count * 2);
                recordingStart = Arrays.copyOf(recordingStart, count * 2);
            }
        }
        inputStart[count] = appendedSamples;
        recordingStart[count] = position;
        count++;
    }

    /** Samples appended so far: the session's own input clock. */
    long appendedSamples() {
        return appendedSamples;
    }

    /** True once audio was appended. */
    boolean started() {
        return count > 0;
    }

    /**
     * The recording millisecond of an input-clock millisecond of this session; before the first append (or for a
     * negative time) the start of the first stretch, and -1 when nothing was appended yet.
     */
    long recordingMs(long inputMs) {
        if (count == 0) {
            return -1;
        }
        long input = CallTimeline.msToSamples(Math.max(0, inputMs));
        int i = stretchOf(input);
        long offset = Math.max(0, input - inputStart[i]);
        return CallTimeline.samplesToMs(recordingStart[i] + offset);
    }

    /** The recording position of input sample {@code input} (one already appended) of this session. */
    long position(long input) {
        int i = stretchOf(input);
        return recordingStart[i] + input - inputStart[i];
    }

    /** Where the stretch holding input sample {@code input} ends: the next one's first sample, or all appended. */
    long stretchEnd(long input) {
        int i = stretchOf(input);
        return i + 1 < count ? inputStart[i + 1] : appendedSamples;
    }

    private int stretchOf(long input) {
        int i = count - 1;
        while (i > 0 && inputStart[i] > input) {
            i--;
        }
        return i;
    }
}
