package gateway.library;

/**
 * When one Realtime session of the call was the live one, in recording milliseconds, and how much caller audio the
 * gateway sent it.
 *
 * @param index     0 for the call's first session, then 1, 2, … in the order they took over
 * @param sessionId the service's session id, null when it never said
 * @param endReason why it stopped being live: {@code rollover}, {@code session_expired}, {@code closed_<code>},
 *                  {@code connection_lost}, or the call's own end reason; null while it is still live
 * @param inputMs   caller audio the gateway appended to the session, in ms (what a socket dropped without a close
 *                  frame had not delivered is in it); {@link #UNKNOWN} in files written before it was kept
 * @param resentMs  of {@code inputMs}, caller audio sent to the session before it that this one was given again
 *                  because the one before ended before it had taken it into a turn (0 in files written before)
 */
public record SessionPeriod(int index, String sessionId, long startMs, long endMs, String endReason, long inputMs,
                            long resentMs) {

    /** {@link #inputMs} of a period read from a file that did not say. */
    public static final long UNKNOWN = -1;

    public SessionPeriod {
        if (index < 0 || startMs < 0 || endMs < startMs || inputMs < UNKNOWN || resentMs < 0
                || inputMs != UNKNOWN && resentMs > inputMs) {
            throw new IllegalArgumentException("bad session period: " + index + " " + startMs + "-" + endMs);
        }
    }

    /** A period whose input is not known. */
    public SessionPeriod(int index, String sessionId, long startMs, long endMs, String endReason) {
        this(index, sessionId, startMs, endMs, endReason, UNKNOWN, 0);
    }
}
