package gateway.library;

import java.util.Objects;

/**
 * A DTMF key pressed during the call, in recording milliseconds: by the caller ({@link #INBOUND}: an RFC 4733
 * telephone-event or a SIP INFO) or sent by the gateway for the agent ({@link #OUTBOUND}).
 *
 * @param digit      0-9, *, #, A-D
 * @param atMs       when the key went down (the first packet's arrival, the INFO's, or the first event sent)
 * @param durationMs how long it was held; 0 when the caller's INFO did not say
 * @param direction  {@link #INBOUND} or {@link #OUTBOUND}
 */
public record KeyPress(char digit, long atMs, long durationMs, String direction) {

    /** The caller pressed it. */
    public static final String INBOUND = "inbound";
    /** The gateway sent it to the caller's side. */
    public static final String OUTBOUND = "outbound";
    private static final String KEYS = "0123456789*#ABCD";

    public KeyPress {
        if (KEYS.indexOf(digit) < 0) {
            throw new IllegalArgumentException("not a DTMF key: " + digit);
        }
        if (atMs < 0 || durationMs < 0) {
            throw new IllegalArgumentException("bad key press times: " + atMs + ", " + durationMs);
        }
        if (!INBOUND.equals(direction) && !OUTBOUND.equals(Objects.requireNonNull(direction, "direction"))) {
            throw new IllegalArgumentException("bad direction: " + direction);
        }
    }
}
