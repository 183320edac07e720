package gateway.rtp;

import gateway.time.Clock;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.lang.System.Logger.Level;

/**
 * Pipeline handler of the RTP socket: validates each datagram (RFC 3550 §5.1), counts and drops malformed ones,
 * latches the remote address on the first valid packet and hands the packet to the {@link InboundAudioPath}; then
 * runs the loop's pacer ticks that have fallen due meanwhile ({@link PacingWheel#runDue}). Runs on the channel's
 * event loop; releases every datagram; never lets an exception escape.
 */
final class RtpReceiveHandler extends ChannelInboundHandlerAdapter {

    private static final System.Logger LOG = System.getLogger(RtpReceiveHandler.class.getName());

    private final InboundAudioPath inbound;
    private final RemoteEndpoint remote;
    private final RtpStats stats;
    private final PacingWheel wheel;
    private final Clock clock;

    RtpReceiveHandler(InboundAudioPath inbound, RemoteEndpoint remote, RtpStats stats, PacingWheel wheel) {
        this.inbound = inbound;
        this.remote = remote;
        this.stats = stats;
        this.wheel = wheel;
        this.clock = wheel.scheduler();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof DatagramPacket packet) {
                handle(packet);
            } else {
                stats.malformed++;
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "RTP packet handling failed", e);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void handle(DatagramPacket packet) {
        ByteBuf content = packet.content();
        int off = content.readerIndex();
        int len = content.readableBytes();
        if (RtpPacket.check(content, off, len) != RtpPacket.Check.VALID) {
            stats.malformed++;
            return;
        }
        stats.packetsReceived++;
        long now = clock.nanoTime();
        stats.lastReceiveNanos = now;
        if (remote.latch(packet.sender())) {
            LOG.log(Level.DEBUG, "RTP latched to {0}", packet.sender());
        }
        inbound.onPacket(content, off, len, now);
        wheel.runDue(clock.nanoTime());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.DEBUG, "RTP socket error (ignored)", cause);
    }
}
