package gateway.sip;

/**
 * The o= numbers of one dialog's SDP (RFC 4566 §5.2, RFC 3264 §8): a fixed session id, and a version that goes up by
 * one whenever what we send differs from what we sent last, so an unchanged session gives byte-identical SDP.
 */
final class SdpOrigin {

    private final long sessionId;
    private long version;
    private LocalSdp last;

    /** Starts at version {@code sessionId}, the usual choice of both numbers from one clock or random value. */
    SdpOrigin(long sessionId) {
        this.sessionId = sessionId;
        this.version = sessionId;
    }

    /** The text of {@code sdp}, with the version moved on if it differs from the previous SDP of this dialog. */
    String render(LocalSdp sdp) {
        if (last != null && !last.equals(sdp)) {
            version++;
        }
        last = sdp;
        return sdp.render(sessionId, version);
    }
}
