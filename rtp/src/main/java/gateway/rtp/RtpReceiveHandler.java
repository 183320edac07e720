package gateway.rtp;

import gateway.time.Clock;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.lang.System.Logger.Level;

/**
 * Pipeline handler of the RTP socket, the receive side of one session as a chain of filters:
 * <ol>
 *   <li>RTCP multiplexed on the RTP port (RFC 5761 §4: second byte 192-223) goes to the
 *       {@link RtcpReceiveHandler};</li>
 *   <li>validate the datagram (RFC 3550 §5.1); malformed ones are counted and dropped;</li>
 *   <li>latch the remote address to the source of valid RTP (symmetric RTP, RFC 4961, see {@link RemoteEndpoint}),
 *       and connect the socket to it ({@link ConnectedSource});</li>
 *   <li>drop everything while the negotiated stream does not receive (sendonly or inactive);</li>
 *   <li>by payload type: the negotiated audio goes to the {@link InboundAudioPath} with its negotiated codec, and so
 *       does comfort noise (RFC 3389, static type 13); telephone-event (RFC 4733) takes its place in the stream's
 *       sequence there and is not otherwise used yet; anything else is counted and dropped;</li>
 * </ol>
 * then it runs the loop's pacer ticks that have fallen due meanwhile ({@link PacingWheel#runDue}).
 *
 * <p>Runs on the channel's event loop; releases every datagram; never lets an exception escape. An exception out of
 * the chain (the listener's included) is the session's fault: reported once, and every later packet is dropped.
 */
final class RtpReceiveHandler extends ChannelInboundHandlerAdapter {

    private static final System.Logger LOG = System.getLogger(RtpReceiveHandler.class.getName());

    private final InboundAudioPath inbound;
    private final RtcpReceiveHandler rtcp;
    private final RemoteEndpoint remote;
    private final ConnectedSource connection;
    private final RtpStats stats;
    private final RtpProblems problems;
    private final PacingWheel wheel;
    private final Clock clock;
    private RtpStreamSpec spec;

    RtpReceiveHandler(RtpStreamSpec spec, InboundAudioPath inbound, RtcpReceiveHandler rtcp, RemoteEndpoint remote,
            ConnectedSource connection, RtpStats stats, RtpProblems problems, PacingWheel wheel) {
        this.spec = spec;
        this.inbound = inbound;
        this.rtcp = rtcp;
        this.remote = remote;
        this.connection = connection;
        this.stats = stats;
        this.problems = problems;
        this.wheel = wheel;
        this.clock = wheel.scheduler();
    }

    /** Accepts what {@code spec} negotiated from the next packet on. */
    void negotiate(RtpStreamSpec spec) {
        this.spec = spec;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!problems.faulted()) {
                try {
                    receive(ctx, msg);
                } catch (Throwable e) {
                    problems.fault(e);
                }
            }
            wheel.runDue(clock.nanoTime());
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void receive(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            problems.malformed(msg.getClass(), null);
            return;
        }
        ByteBuf content = packet.content();
        int off = content.readerIndex();
        int len = content.readableBytes();
        long now = clock.nanoTime();
        if (RtcpPacket.isMultiplexedRtcp(content, off, len)) {
            rtcp.receive(content, off, len, packet.sender(), now);
            return;
        }
        RtpPacket.Check check = RtpPacket.check(content, off, len);
        if (check != RtpPacket.Check.VALID) {
            problems.malformed(check, packet.sender());
            return;
        }
        long head = RtpPacket.head(content, off);
        stats.packetsReceived++;
        stats.lastReceiveNanos = now;
        stats.lastActivityNanos = now;
        if (remote.latchRtp(packet.sender(), RtpPacket.sequence(head), now)) {
            LOG.log(Level.DEBUG, "RTP latched to {0}", packet.sender());
            connection.connect(ctx.channel(), packet.sender());
        }
        RtpStreamSpec negotiated = spec;
        if (!negotiated.receive()) {
            problems.notReceiving();
            return;
        }
        int pt = RtpPacket.payloadType(head);
        if (pt == negotiated.payloadType()) {
            inbound.onAudio(content, off, len, negotiated.codec(), now);
        } else if (pt == negotiated.telephoneEventPt()) {
            stats.packetsIgnored++;
            inbound.onEvent(content, off, len, now);
        } else if (pt == ComfortNoise.PAYLOAD_TYPE) {
            inbound.onComfortNoise(content, off, len, now);
        } else {
            problems.unexpectedPayloadType(pt, packet.sender());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.DEBUG, "RTP socket error (ignored)", cause);
    }
}
