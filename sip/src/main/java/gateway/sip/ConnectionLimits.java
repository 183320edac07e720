package gateway.sip;

import java.time.Duration;
import java.util.Objects;

/**
 * How many TCP and TLS connections callers may hold open, and how long a connection may take to deliver a whole
 * message: what bounds half-open connections, slowloris-style dribbling and connection floods (RFC 3261 §18.3 leaves
 * stream limits to the server). Each accepted connection may buffer at most one message
 * ({@link TcpSipFramer#MAX_HEADER_BYTES} plus {@link TcpSipFramer#MAX_BODY_BYTES}), so {@code total} also bounds the
 * memory unfinished messages can hold.
 *
 * @param total          accepted connections open at once, over TCP and TLS together
 * @param perSource      accepted connections open at once from one address (trusted PROXY protocol senders, load
 *                       balancers carrying many callers, count only towards {@code total})
 * @param messageTimeout the longest a connection may take to deliver one message from its first byte, and its first
 *                       message (a TLS handshake included) from the accept
 */
public record ConnectionLimits(int total, int perSource, Duration messageTimeout) {

    /** Far above the connections a gateway of 500 calls needs (one per TCP caller, a few per trunk or proxy). */
    public static final int DEFAULT_TOTAL = 2048;
    /** A PBX or an office NAT with many phones stays well under this; a flood from one address does not. */
    public static final int DEFAULT_PER_SOURCE = 64;
    /** A SIP message is a few kilobytes, sent at once: ten seconds is ample even on a slow mobile link. */
    public static final Duration DEFAULT_MESSAGE_TIMEOUT = Duration.ofSeconds(10);
    /** The limits the SIP layer applies unless told otherwise. */
    public static final ConnectionLimits DEFAULT = new ConnectionLimits(DEFAULT_TOTAL, DEFAULT_PER_SOURCE,
            DEFAULT_MESSAGE_TIMEOUT);

    public ConnectionLimits {
        Objects.requireNonNull(messageTimeout, "messageTimeout");
        if (total < 1 || perSource < 1) {
            throw new IllegalArgumentException("connection limits must be positive: " + total + ", " + perSource);
        }
        if (messageTimeout.isNegative() || messageTimeout.isZero()) {
            throw new IllegalArgumentException("message timeout must be positive: " + messageTimeout);
        }
    }
}
