package gateway.library;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Audio of one channel that is not in audio.wav although the call had it: samples {@code [startSample, endSample)}
 * on the recording timeline. {@code endSample} is {@link #UNKNOWN_END} when the call went on for an unknown time
 * after the loss (a gateway crash).
 */
public record MissingRange(Role channel, long startSample, long endSample, Cause cause) {

    /** The end of a range whose end is not known. */
    public static final long UNKNOWN_END = Long.MAX_VALUE;

    /** Why the audio is missing; serialised in call.json as its lower-case name. */
    public enum Cause {
        /** The writer fell further behind than the call's buffer holds ({@code recordings.buffer-seconds}). */
        BUFFER_FULL,
        /** audio.wav could not be written (disk full, I/O error); everything from there to the end is missing. */
        WRITE_FAILED,
        /** The gateway process died; the audio after what was on disk is gone. */
        GATEWAY_CRASH;

        /** The name call.json uses. */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The cause call.json names {@code jsonName}, if any. */
        public static Optional<Cause> fromJsonName(String jsonName) {
            for (Cause cause : values()) {
                if (cause.jsonName().equals(jsonName)) {
                    return Optional.of(cause);
                }
            }
            return Optional.empty();
        }
    }

    public MissingRange {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(cause, "cause");
        if (startSample < 0 || endSample <= startSample) {
            throw new IllegalArgumentException("bad missing range: " + startSample + "-" + endSample);
        }
    }

    /** True when the call went on for an unknown time after the loss. */
    public boolean openEnded() {
        return endSample == UNKNOWN_END;
    }
}
