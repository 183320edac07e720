package gateway.recorder;

import gateway.library.Role;
import java.util.Locale;
import java.util.Objects;

/**
 * Audio of one channel that is not in audio.wav although the call had it: samples {@code [startSample, endSample)}
 * on the recording timeline. {@code endSample} is {@link #UNKNOWN_END} when the call went on for an unknown time
 * after the loss (a gateway crash).
 */
record MissingRange(Role channel, long startSample, long endSample, Cause cause) {

    /** The end of a range whose end is not known. */
    static final long UNKNOWN_END = Long.MAX_VALUE;

    /** Why the audio is missing; serialised in call.json as its lower-case name. */
    enum Cause {
        /** The writer fell further behind than the call's buffer holds ({@code recordings.buffer-seconds}). */
        BUFFER_FULL,
        /** audio.wav could not be written (disk full, I/O error); everything from there to the end is missing. */
        WRITE_FAILED,
        /** The gateway process died; the audio after what was on disk is gone. */
        GATEWAY_CRASH;

        String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    MissingRange {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(cause, "cause");
        if (startSample < 0 || endSample <= startSample) {
            throw new IllegalArgumentException("bad missing range: " + startSample + "-" + endSample);
        }
    }

    boolean openEnded() {
        return endSample == UNKNOWN_END;
    }
}
