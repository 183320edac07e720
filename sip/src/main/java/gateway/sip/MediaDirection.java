package gateway.sip;

import java.util.Locale;

/** An SDP direction attribute (RFC 3264 §5.1, §6.1, §8.4), always from the gateway's side of the stream. */
public enum MediaDirection {
    SENDRECV(true, true),
    SENDONLY(true, false),
    RECVONLY(false, true),
    INACTIVE(false, false);

    private final boolean sends;
    private final boolean receives;

    MediaDirection(boolean sends, boolean receives) {
        this.sends = sends;
        this.receives = receives;
    }

    /** True when this side may send RTP. */
    public boolean sends() {
        return sends;
    }

    /** True when this side expects RTP. */
    public boolean receives() {
        return receives;
    }

    /** The direction an answerer takes for an offer of this direction (RFC 3264 §6.1): sendonly ↔ recvonly. */
    public MediaDirection answer() {
        return switch (this) {
            case SENDONLY -> RECVONLY;
            case RECVONLY -> SENDONLY;
            default -> this;
        };
    }

    /** The attribute name, e.g. {@code sendrecv}. */
    public String attribute() {
        return name().toLowerCase(Locale.ROOT);
    }
}
