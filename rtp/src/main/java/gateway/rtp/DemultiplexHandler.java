package gateway.rtp;

import gateway.time.Clock;
import gateway.time.Throttle;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.lang.System.Logger.Level;

/**
 * The first handler of an RTP socket: tells apart what arrives on the port by its first byte (RFC 7983 §7) before
 * anything treats it as RTP or SRTP. RTP and RTCP (128-191) go on; a STUN Binding request (0-3) is answered with its
 * Binding success response (RFC 5389 §7.3), at most {@link #STUN_ANSWERS_PER_SECOND} a second; every other STUN
 * message, DTLS (20-63, we do not do DTLS-SRTP) and anything else (ZRTP, TURN channel data, noise) is dropped. None
 * of it is logged per packet: each kind is counted, with at most one debug line per kind per interval.
 *
 * <p>Event loop only; the counters are readable from any thread. RTP passes through without allocating; a STUN
 * response takes one buffer from the channel's allocator.
 */
final class DemultiplexHandler extends ChannelInboundHandlerAdapter {

    private static final System.Logger LOG = System.getLogger(DemultiplexHandler.class.getName());
    /**
     * STUN answers a session gives per second: ICE paces its checks at 50 ms (RFC 8445 §14.2), 20 a second, and a
     * keep-alive sender far fewer; more is a flood the port must not reflect.
     */
    static final int STUN_ANSWERS_PER_SECOND = 20;
    private static final long SECOND_NANOS = 1_000_000_000L;
    /** First-byte ranges of RFC 7983 §7. */
    private static final int STUN_LAST = 3;
    private static final int DTLS_FIRST = 20;
    private static final int DTLS_LAST = 63;
    private static final int RTP_FIRST = 128;
    private static final int RTP_LAST = 191;

    private final String label;
    private final Clock clock;
    private final StunMessage stun = new StunMessage();
    private final Throttle stunLog;
    private final Throttle dtlsLog;
    private final Throttle otherLog;
    private long windowStart;
    private int answeredInWindow;
    volatile long stunAnswered;
    volatile long stunDropped;
    volatile long dtlsDropped;
    volatile long otherDropped;

    DemultiplexHandler(String label, Clock clock) {
        this.label = label;
        this.clock = clock;
        this.stunLog = new Throttle(clock, RtpProblems.WARNING_INTERVAL_NANOS);
        this.dtlsLog = new Throttle(clock, RtpProblems.WARNING_INTERVAL_NANOS);
        this.otherLog = new Throttle(clock, RtpProblems.WARNING_INTERVAL_NANOS);
        this.windowStart = clock.nanoTime();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket datagram)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf content = datagram.content();
        int off = content.readerIndex();
        int len = content.readableBytes();
        int first = len == 0 ? -1 : content.getUnsignedByte(off);
        if (first >= RTP_FIRST && first <= RTP_LAST) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (first >= 0 && first <= STUN_LAST) {
                onStun(ctx, datagram, content, off, len);
            } else if (first >= DTLS_FIRST && first <= DTLS_LAST) {
                dtlsDropped++;
                note(dtlsLog, "DTLS record (no DTLS-SRTP here)", datagram);
            } else {
                otherDropped++;
                note(otherLog, "datagram that is neither RTP nor STUN (first byte " + first + ")", datagram);
            }
        } finally {
            datagram.release();
        }
    }

    private void onStun(ChannelHandlerContext ctx, DatagramPacket datagram, ByteBuf content, int off, int len) {
        if (!StunMessage.wellFormed(content, off, len)
                || StunMessage.type(content, off) != StunMessage.BINDING_REQUEST || !mayAnswer()) {
            stunDropped++;
            note(stunLog, "STUN message not answered", datagram);
            return;
        }
        ByteBuf response = ctx.alloc().buffer(StunMessage.MAX_RESPONSE_LENGTH);
        stun.writeBindingSuccess(content, off, len, datagram.sender(), response);
        ctx.writeAndFlush(new DatagramPacket(response, datagram.sender()))
                .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        stunAnswered++;
    }

    /** True while this second's answers are under {@link #STUN_ANSWERS_PER_SECOND}. */
    private boolean mayAnswer() {
        long now = clock.nanoTime();
        if (now - windowStart >= SECOND_NANOS) {
            windowStart = now;
            answeredInWindow = 0;
        }
        return answeredInWindow++ < STUN_ANSWERS_PER_SECOND;
    }

    private void note(Throttle throttle, String what, DatagramPacket datagram) {
        if (LOG.isLoggable(Level.DEBUG)) {
            long held = throttle.tryReport();
            if (held >= 0) {
                LOG.log(Level.DEBUG, label + ": " + what + " from " + datagram.sender() + "; dropped"
                        + (held > 0 ? " (" + held + " more since the last line)" : ""));
            }
        }
    }
}
