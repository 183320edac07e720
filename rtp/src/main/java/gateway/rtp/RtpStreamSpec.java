package gateway.rtp;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What one RTP session sends and accepts, as negotiated in SDP (RFC 3264): the codec and its payload type (static or
 * dynamic), the RFC 4733 telephone-event payload type, whether this side sends and receives, where packets go, the
 * packet time sent, and where RTCP goes. A session takes a new spec mid-call with {@link RtpSession#update}.
 *
 * @param codec            the audio codec (G.711 or G.722)
 * @param payloadType      the audio's RTP payload type in this session (0-127)
 * @param telephoneEventPt RFC 4733 payload type, or -1
 * @param send             false while the remote does not want our audio (hold): ticks run, nothing is sent
 * @param receive          false while we expect no audio: received packets are dropped and counted
 * @param remote           where to send; null while unknown (a late offer before its answer, or c=0.0.0.0)
 * @param ptimeMs          audio per packet sent: 10 to 60 ms in steps of 10 (RFC 4566 a=ptime)
 * @param rtcpMux          RTCP shares the RTP port (RFC 5761)
 * @param rtcpRemote       where RTCP goes without rtcp-mux (RFC 3605 a=rtcp); null: the RTP address, port + 1
 * @param srtp             the SRTP keys (RFC 3711, keyed by SDES), or null for plain RTP
 */
public record RtpStreamSpec(RtpCodec codec, int payloadType, int telephoneEventPt, boolean send, boolean receive,
                            InetSocketAddress remote, int ptimeMs, boolean rtcpMux, InetSocketAddress rtcpRemote,
                            SrtpKeys srtp) {

    /** RFC 3551 §4.5: the default packet time of G.711. */
    public static final int DEFAULT_PTIME_MS = 20;
    /** The packet times the pacer keeps: multiples of 10 ms from 10 to 60. */
    public static final int MIN_PTIME_MS = 10;
    public static final int MAX_PTIME_MS = 60;
    private static final int MAX_PORT = 65_535;

    public RtpStreamSpec {
        Objects.requireNonNull(codec, "codec");
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type out of range: " + payloadType);
        }
        if (telephoneEventPt < -1 || telephoneEventPt > 127 || telephoneEventPt == payloadType) {
            throw new IllegalArgumentException("bad telephone-event payload type: " + telephoneEventPt);
        }
        if (ptimeMs < MIN_PTIME_MS || ptimeMs > MAX_PTIME_MS || ptimeMs % MIN_PTIME_MS != 0) {
            throw new IllegalArgumentException("packet time must be 10 to 60 ms in steps of 10: " + ptimeMs);
        }
    }

    /** A plain RTP stream (no SRTP) of 20 ms packets, RTCP on the next port. */
    public RtpStreamSpec(RtpCodec codec, int payloadType, int telephoneEventPt, boolean send, boolean receive,
                         InetSocketAddress remote) {
        this(codec, payloadType, telephoneEventPt, send, receive, remote, DEFAULT_PTIME_MS, false, null, null);
    }

    /** Sends and receives {@code codec} on its static payload type, to {@code remote}. */
    public static RtpStreamSpec sendRecv(RtpCodec codec, int telephoneEventPt, InetSocketAddress remote) {
        return new RtpStreamSpec(codec, codec.payloadType(), telephoneEventPt, true, true, remote);
    }

    /**
     * Where RTCP goes: the RTP address under rtcp-mux, else a=rtcp's, else the RTP address with port + 1 (none when
     * the RTP port is the last one).
     */
    public InetSocketAddress rtcpTarget() {
        if (rtcpMux || remote == null) {
            return remote;
        }
        if (rtcpRemote != null) {
            return rtcpRemote;
        }
        if (remote.getPort() == MAX_PORT) {
            return null;
        }
        return remote.isUnresolved() ? InetSocketAddress.createUnresolved(remote.getHostString(), remote.getPort() + 1)
                : new InetSocketAddress(remote.getAddress(), remote.getPort() + 1);
    }
}
