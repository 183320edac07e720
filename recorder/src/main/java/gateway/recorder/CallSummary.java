package gateway.recorder;

import gateway.library.CallLog;
import gateway.library.Turn;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * How a call ended: {@code endPosition} is the number of 24 kHz samples from answer to hang-up and becomes the
 * exact frame count of audio.wav; {@code log} holds the turns, holds and sessions.
 */
public record CallSummary(Instant endedAt, long endPosition, String endReason, CallLog log) {

    public CallSummary {
        Objects.requireNonNull(endedAt, "endedAt");
        if (endPosition < 0) {
            throw new IllegalArgumentException("endPosition < 0: " + endPosition);
        }
        log = log == null ? CallLog.EMPTY : log;
    }

    /** A summary whose log has only turns. */
    public CallSummary(Instant endedAt, long endPosition, String endReason, List<Turn> turns) {
        this(endedAt, endPosition, endReason, CallLog.of(turns));
    }

    public List<Turn> turns() {
        return log.turns();
    }
}
