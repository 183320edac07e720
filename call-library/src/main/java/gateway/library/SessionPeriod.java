package gateway.library;

/**
 * When one Realtime session of the call was the live one, in recording milliseconds.
 *
 * @param index     0 for the call's first session, then 1, 2, … in the order they took over
 * @param sessionId the service's session id, null when it never said
 * @param endReason why it stopped being live: {@code rollover}, {@code session_expired}, {@code closed_<code>},
 *                  {@code connection_lost}, or the call's own end reason; null while it is still live
 */
public record SessionPeriod(int index, String sessionId, long startMs, long endMs, String endReason) {

    public SessionPeriod {
        if (index < 0 || startMs < 0 || endMs < startMs) {
            throw new IllegalArgumentException("bad session period: " + index + " " + startMs + "-" + endMs);
        }
    }
}
