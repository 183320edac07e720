package gateway.library;

/**
 * A stretch of the call during which the caller held it (RFC 3264 §8.4: a re-INVITE or UPDATE with
 * {@code sendonly} or {@code inactive}), in recording milliseconds; the audio there is silence. {@code endMs} is the
 * call's end when the hold was never lifted.
 */
public record HoldPeriod(long startMs, long endMs) {

    public HoldPeriod {
        if (startMs < 0 || endMs < startMs) {
            throw new IllegalArgumentException("bad hold period: " + startMs + "-" + endMs);
        }
    }
}
