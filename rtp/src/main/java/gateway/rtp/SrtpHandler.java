package gateway.rtp;

import gateway.time.Clock;
import gateway.time.Throttle;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.lang.System.Logger.Level;

/**
 * SRTP at the datagram edge of an RTP socket (RFC 3711): an inbound datagram is unprotected right after it is
 * received, before the {@link RtpReceiveHandler} sees it, and an outbound one protected right before it leaves, so the
 * rest of the media pipeline handles plain RTP either way. Without keys (plain RTP) datagrams pass untouched. Packets
 * that fail (not RTP, a bad tag, a replay) are dropped and counted, with one log line per kind per interval.
 *
 * <p>Each packet is copied into one reused array, transformed there and copied back into its own buffer (which has
 * room: the receive buffer is 2 KB, the send buffer {@link DatagramTransmitter#BUFFER_CAPACITY}); nothing is
 * allocated per packet. Event loop only, except {@link #update} which the session calls on the loop too; the
 * counters are readable from any thread.
 */
final class SrtpHandler extends ChannelDuplexHandler {

    private static final System.Logger LOG = System.getLogger(SrtpHandler.class.getName());

    private final String label;
    /** Where packets are transformed; made with the first keys, so a plain RTP call never holds it (2 KB). */
    private byte[] scratch;
    private final Throttle authLog;
    private final Throttle replayLog;
    private final Throttle invalidLog;
    private SrtpKeys keys;
    private SrtpReceiver receiver;
    private SrtpSender sender;
    volatile long authFailures;
    volatile long replays;
    volatile long invalid;

    SrtpHandler(String label, SrtpKeys keys, Clock clock) {
        this.label = label;
        this.authLog = new Throttle(clock, RtpProblems.WARNING_INTERVAL_NANOS);
        this.replayLog = new Throttle(clock, RtpProblems.WARNING_INTERVAL_NANOS);
        this.invalidLog = new Throttle(clock, RtpProblems.WARNING_INTERVAL_NANOS);
        update(keys);
    }

    /**
     * Takes the keys of a new negotiation (null: plain RTP from now on). The same keys keep every stream's rollover
     * counter and replay list; new keys start fresh (RFC 4568 §7.1.4: new keys for a changed session).
     */
    void update(SrtpKeys next) {
        if (next == null) {
            receiver = null;
            sender = null;
        } else if (!next.equals(keys)) {
            receiver = new SrtpReceiver(next.receive());
            sender = new SrtpSender(next.send());
            if (scratch == null) {
                scratch = new byte[SrtpCipher.MAX_PACKET_BYTES + SrtpSuite.AES_CM_128_HMAC_SHA1_80.tagBytes()];
            }
        }
        keys = next;
    }

    boolean secure() {
        return keys != null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        SrtpReceiver srtp = receiver;
        if (srtp == null || !(msg instanceof DatagramPacket datagram)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf content = datagram.content();
        int off = content.readerIndex();
        int len = content.readableBytes();
        if (RtcpPacket.isMultiplexedRtcp(content, off, len)) {
            ctx.fireChannelRead(msg); // SRTCP under rtcp-mux (RFC 5761): the RTCP side unprotects it
            return;
        }
        int result = SrtpReceiver.INVALID;
        if (len <= SrtpCipher.MAX_PACKET_BYTES && headerFits(content, off, len)) {
            content.getBytes(off, scratch, 0, len);
            result = srtp.unprotect(scratch, len, RtpPacket.headerLength(content, off));
        }
        if (result >= 0) {
            content.setBytes(off, scratch, 0, result);
            content.writerIndex(off + result);
            ctx.fireChannelRead(msg);
            return;
        }
        datagram.release();
        dropped(result, datagram);
    }

    private void dropped(int result, DatagramPacket datagram) {
        long held;
        String what;
        if (result == SrtpReceiver.AUTH_FAILED) {
            authFailures++;
            held = authLog.tryReport();
            what = "failed authentication";
        } else if (result == SrtpReceiver.REPLAYED) {
            replays++;
            held = replayLog.tryReport();
            what = "was a replay";
        } else {
            invalid++;
            held = invalidLog.tryReport();
            what = "is not SRTP";
        }
        if (held >= 0) {
            LOG.log(Level.WARNING, label + ": SRTP packet from " + datagram.sender() + " " + what + "; dropped"
                    + (held > 0 ? " (" + held + " more since the last report)" : ""));
        }
    }

    /**
     * True when the datagram is RTP whose header fits: the padding count is encrypted (RFC 3711 §3.1), so it is
     * checked only after decryption, by the receive handler.
     */
    private static boolean headerFits(ByteBuf content, int off, int len) {
        RtpPacket.Check check = RtpPacket.check(content, off, len);
        return check == RtpPacket.Check.VALID || check == RtpPacket.Check.BAD_PADDING;
    }

    /** Our RTCP on the RTP port (RFC 5761) is SRTCP already: the RTCP side protected it (RFC 3711 §3.4). */
    private static boolean multiplexedRtcp(ByteBuf content) {
        return RtcpPacket.isMultiplexedRtcp(content, content.readerIndex(), content.readableBytes());
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        SrtpSender srtp = sender;
        // A packet goes out in an envelope, or alone on a socket connected to the caller (ConnectedSource).
        ByteBuf content = msg instanceof DatagramPacket datagram ? datagram.content()
                : msg instanceof ByteBuf alone ? alone : null;
        if (srtp != null && content != null && !multiplexedRtcp(content)) {
            int off = content.readerIndex();
            int len = content.readableBytes();
            if (len > SrtpCipher.MAX_PACKET_BYTES || content.capacity() - off - len < srtp.overhead()
                    || !headerFits(content, off, len)) {
                // Never let a packet out unprotected: one that cannot be transformed is not sent.
                ReferenceCountUtil.release(msg);
                promise.setFailure(new IllegalArgumentException("cannot protect this datagram as SRTP"));
                return;
            }
            content.getBytes(off, scratch, 0, len);
            int protectedLength = srtp.protect(scratch, len, RtpPacket.headerLength(content, off));
            content.setBytes(off, scratch, 0, protectedLength);
            content.writerIndex(off + protectedLength);
        }
        ctx.write(msg, promise);
    }
}
