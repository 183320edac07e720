package gateway.sip;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The audio stream as negotiated by one SDP offer/answer exchange (RFC 3264), from the gateway's side.
 *
 * @param codec            the G.711 variant both sides agreed on
 * @param payloadType      its RTP payload type in this session: the static one, or the dynamic one (96-127) the
 *                         offer mapped it to with a=rtpmap
 * @param telephoneEventPt payload type of RFC 4733 telephone-event, -1 when not negotiated
 * @param ptimeMs          the packet time the remote asked for (a=ptime), 20 when absent
 * @param direction        what the gateway does on this stream: a caller's {@code sendonly} (hold) is our
 *                         {@link MediaDirection#RECVONLY}
 * @param remoteRtp        where RTP goes; null when the remote gave no usable address (c=0.0.0.0, RFC 3264 §8.4)
 * @param crypto           the SRTP keys SDES settled on (RFC 4568), null for plain RTP
 */
public record NegotiatedMedia(AudioCodec codec, int payloadType, int telephoneEventPt, int ptimeMs,
                              MediaDirection direction, InetSocketAddress remoteRtp, MediaCrypto crypto) {

    public NegotiatedMedia {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(direction, "direction");
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type out of range: " + payloadType);
        }
        if (telephoneEventPt < -1 || telephoneEventPt > 127 || telephoneEventPt == payloadType) {
            throw new IllegalArgumentException("bad telephone-event payload type: " + telephoneEventPt);
        }
        if (ptimeMs <= 0) {
            throw new IllegalArgumentException("ptime must be positive: " + ptimeMs);
        }
    }

    /** Plain RTP media (no SRTP). */
    public NegotiatedMedia(AudioCodec codec, int payloadType, int telephoneEventPt, int ptimeMs,
                           MediaDirection direction, InetSocketAddress remoteRtp) {
        this(codec, payloadType, telephoneEventPt, ptimeMs, direction, remoteRtp, null);
    }

    /** The same media with another direction. */
    public NegotiatedMedia withDirection(MediaDirection newDirection) {
        return new NegotiatedMedia(codec, payloadType, telephoneEventPt, ptimeMs, newDirection, remoteRtp, crypto);
    }

    /** True when the stream is SRTP. */
    public boolean secure() {
        return crypto != null;
    }
}
