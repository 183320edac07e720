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
 * @param ptimeMs          the packet time the gateway sends (and puts in its SDP): the remote's a=ptime rounded down
 *                         to a multiple of 10 ms, 10 to 60, never above its a=maxptime; 20 when it gave none
 *                         (RFC 4566 §6, RFC 3551 §4.5)
 * @param direction        what the gateway does on this stream: a caller's {@code sendonly} (hold) is our
 *                         {@link MediaDirection#RECVONLY}
 * @param remoteRtp        where RTP goes; null when the remote gave no usable address (c=0.0.0.0, RFC 3264 §8.4)
 * @param rtcpMux          RTCP shares the RTP port: the remote offered (or answered) a=rtcp-mux (RFC 5761)
 * @param remoteRtcp       where RTCP goes when the remote said (a=rtcp, RFC 3605); null: the RTP address, port + 1
 * @param comfortNoise     the remote listed comfort noise, static payload type 13 (RFC 3389), which our answer keeps
 * @param crypto           the SRTP keys SDES settled on (RFC 4568), null for plain RTP
 */
public record NegotiatedMedia(AudioCodec codec, int payloadType, int telephoneEventPt, int ptimeMs,
                              MediaDirection direction, InetSocketAddress remoteRtp, boolean rtcpMux,
                              InetSocketAddress remoteRtcp, boolean comfortNoise, MediaCrypto crypto) {

    /** RFC 3551 §4.5: the packet time of G.711 when none is asked for. */
    public static final int DEFAULT_PTIME_MS = 20;
    /** The packet times the gateway can send: multiples of 10 ms from 10 to 60. */
    public static final int MIN_PTIME_MS = 10;
    public static final int MAX_PTIME_MS = 60;

    public NegotiatedMedia {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(direction, "direction");
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type out of range: " + payloadType);
        }
        if (telephoneEventPt < -1 || telephoneEventPt > 127 || telephoneEventPt == payloadType) {
            throw new IllegalArgumentException("bad telephone-event payload type: " + telephoneEventPt);
        }
        if (ptimeMs < MIN_PTIME_MS || ptimeMs > MAX_PTIME_MS || ptimeMs % MIN_PTIME_MS != 0) {
            throw new IllegalArgumentException("ptime must be 10 to 60 ms in steps of 10: " + ptimeMs);
        }
    }

    /** Plain RTP media (no SRTP) without rtcp-mux, a=rtcp or comfort noise. */
    public NegotiatedMedia(AudioCodec codec, int payloadType, int telephoneEventPt, int ptimeMs,
                           MediaDirection direction, InetSocketAddress remoteRtp) {
        this(codec, payloadType, telephoneEventPt, ptimeMs, direction, remoteRtp, false, null, false, null);
    }

    /** The same media with another direction. */
    public NegotiatedMedia withDirection(MediaDirection newDirection) {
        return new NegotiatedMedia(codec, payloadType, telephoneEventPt, ptimeMs, newDirection, remoteRtp, rtcpMux,
                remoteRtcp, comfortNoise, crypto);
    }

    /** True when the stream is SRTP. */
    public boolean secure() {
        return crypto != null;
    }

    /**
     * The packet time to send for the remote's a=ptime and a=maxptime (0 when absent): the ptime rounded down to a
     * multiple of 10 ms, capped by the maxptime, kept within 10 to 60 ms.
     */
    public static int sendPtime(int ptimeMs, int maxPtimeMs) {
        int ptime = ptimeMs > 0 ? ptimeMs : DEFAULT_PTIME_MS;
        if (maxPtimeMs > 0) {
            ptime = Math.min(ptime, maxPtimeMs);
        }
        ptime -= ptime % MIN_PTIME_MS;
        return Math.max(MIN_PTIME_MS, Math.min(MAX_PTIME_MS, ptime));
    }
}
