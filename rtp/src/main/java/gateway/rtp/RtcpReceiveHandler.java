package gateway.rtp;

import gateway.time.Clock;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;

/**
 * Pipeline handler of the RTCP socket (the RTP port + 1), and the one place RTCP from the caller is taken in, also
 * when it is multiplexed on the RTP port (RFC 5761, see {@link RtpReceiveHandler}): the compound packet is
 * validated (RFC 3550 A.2), its source latched as where our reports go (symmetric RTCP, RFC 4961), and it is read by
 * the {@link RtcpSession}. Malformed datagrams are counted and dropped. Runs on the session's event loop; releases
 * every datagram; an exception is the session's fault, as on the RTP port.
 */
final class RtcpReceiveHandler extends ChannelInboundHandlerAdapter {

    private static final System.Logger LOG = System.getLogger(RtcpReceiveHandler.class.getName());

    private final RtcpSession rtcp;
    private final RemoteEndpoint remote;
    private final RtpStats stats;
    private final RtpProblems problems;
    private final Clock clock;

    RtcpReceiveHandler(RtcpSession rtcp, RemoteEndpoint remote, RtpStats stats, RtpProblems problems, Clock clock) {
        this.rtcp = rtcp;
        this.remote = remote;
        this.stats = stats;
        this.problems = problems;
        this.clock = clock;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!problems.faulted()) {
                if (msg instanceof DatagramPacket packet) {
                    ByteBuf content = packet.content();
                    receive(content, content.readerIndex(), content.readableBytes(), packet.sender(),
                            clock.nanoTime());
                } else {
                    problems.malformedRtcp(msg.getClass(), null);
                }
            }
        } catch (Throwable e) {
            problems.fault(e);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** One RTCP datagram from {@code sender}, on either port. */
    void receive(ByteBuf buf, int off, int rawLength, InetSocketAddress sender, long now) {
        int len = rawLength;
        if (rtcp.secure()) {
            len = rtcp.unprotect(buf, off, rawLength);
            if (len < 0) {
                return; // SRTCP that failed (counted): neither malformed RTCP nor a sign of life
            }
        }
        RtcpPacket.Check check = RtcpPacket.check(buf, off, len);
        if (check != RtcpPacket.Check.VALID) {
            problems.malformedRtcp(check, sender);
            return;
        }
        stats.lastActivityNanos = now;
        remote.latch(sender, now);
        rtcp.onPacket(buf, off, len, now);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.DEBUG, "RTCP socket error (ignored)", cause);
    }
}
