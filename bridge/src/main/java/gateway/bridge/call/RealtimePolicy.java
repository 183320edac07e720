package gateway.bridge.call;

/**
 * How a call keeps its Realtime session going.
 *
 * @param connectTimeoutMs    how long one session may take to open and be configured
 * @param rolloverMarginMs    a new session is opened this long before the current one's {@code expires_at}
 *                            (the service ends every session after 60 minutes)
 * @param reconnectAttempts   attempts to open a new session after the current one failed, before the call ends
 * @param reconnectBackoffMs  the wait before the second attempt; it doubles for each further one
 * @param contextMaxChars     the conversation so far handed to a new session as text, most recent turns first,
 *                            at most this many characters
 * @param resendMs            the caller audio kept as sent, of which a failed session's untaken input is given to
 *                            the next one (0: none)
 */
public record RealtimePolicy(int connectTimeoutMs, long rolloverMarginMs, int reconnectAttempts,
                             long reconnectBackoffMs, int contextMaxChars, int resendMs) {

    public RealtimePolicy {
        if (connectTimeoutMs <= 0 || rolloverMarginMs < 0 || reconnectAttempts < 0 || reconnectBackoffMs < 0
                || contextMaxChars < 0 || resendMs < 0) {
            throw new IllegalArgumentException("bad Realtime policy: " + connectTimeoutMs + "/" + rolloverMarginMs
                    + "/" + reconnectAttempts + "/" + reconnectBackoffMs + "/" + contextMaxChars + "/" + resendMs);
        }
    }
}
