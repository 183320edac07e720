package gateway.rtp;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What one RTP session sends and accepts, as negotiated in SDP (RFC 3264): the codec and its payload type (static or
 * dynamic), the RFC 4733 telephone-event payload type, whether this side sends and receives, and where packets go.
 * A session takes a new spec mid-call with {@link RtpSession#update}.
 *
 * @param codec            the G.711 variant of the audio
 * @param payloadType      the audio's RTP payload type in this session (0-127)
 * @param telephoneEventPt RFC 4733 payload type, or -1
 * @param send             false while the remote does not want our audio (hold): ticks run, nothing is sent
 * @param receive          false while we expect no audio: received packets are dropped and counted
 * @param remote           where to send; null while unknown (a late offer before its answer, or c=0.0.0.0)
 * @param srtp             the SRTP keys (RFC 3711, keyed by SDES), or null for plain RTP
 */
public record RtpStreamSpec(G711 codec, int payloadType, int telephoneEventPt, boolean send, boolean receive,
                            InetSocketAddress remote, SrtpKeys srtp) {

    public RtpStreamSpec {
        Objects.requireNonNull(codec, "codec");
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type out of range: " + payloadType);
        }
        if (telephoneEventPt < -1 || telephoneEventPt > 127 || telephoneEventPt == payloadType) {
            throw new IllegalArgumentException("bad telephone-event payload type: " + telephoneEventPt);
        }
    }

    /** A plain RTP stream (no SRTP). */
    public RtpStreamSpec(G711 codec, int payloadType, int telephoneEventPt, boolean send, boolean receive,
                         InetSocketAddress remote) {
        this(codec, payloadType, telephoneEventPt, send, receive, remote, null);
    }

    /** Sends and receives {@code codec} on its static payload type, to {@code remote}. */
    public static RtpStreamSpec sendRecv(G711 codec, int telephoneEventPt, InetSocketAddress remote) {
        return new RtpStreamSpec(codec, codec.payloadType(), telephoneEventPt, true, true, remote);
    }
}
