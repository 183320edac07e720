package gateway.recorder;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * How a call ended: {@code endPosition} is the number of 24 kHz samples from answer to hang-up and becomes the
 * exact frame count of audio.wav.
 */
public record CallSummary(Instant endedAt, long endPosition, String endReason, List<Turn> turns) {

    public CallSummary {
        Objects.requireNonNull(endedAt, "endedAt");
        if (endPosition < 0) {
            throw new IllegalArgumentException("endPosition < 0: " + endPosition);
        }
        turns = turns == null ? List.of() : List.copyOf(turns);
    }
}
