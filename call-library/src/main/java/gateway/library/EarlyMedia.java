package gateway.library;

/**
 * Audio before the answer (RFC 3960), for call.json's {@code early_media}: the recording starts when the 183 Session
 * Progress went out ({@code startMs}, 0 on the timeline) and the 200 OK followed at {@code answeredMs}, or never
 * ({@link #NOT_ANSWERED}: the caller gave up during the early media).
 */
public record EarlyMedia(long startMs, long answeredMs) {

    /** {@code answeredMs} of a call that was never answered. */
    public static final long NOT_ANSWERED = -1;

    /** True when the 200 OK went out after the early media. */
    public boolean answered() {
        return answeredMs >= 0;
    }
}
