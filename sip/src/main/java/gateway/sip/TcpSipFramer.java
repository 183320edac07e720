package gateway.sip;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Cuts a TCP byte stream into SIP messages by the header terminator and Content-Length (RFC 3261 §18.3).
 * On a framing error it emits the header bytes with the problem and ignores the rest of the stream; the
 * dispatcher then answers 400 (513 for a message too large, RFC 3261 §21.5.14) if it can and closes the connection.
 * A message must arrive whole within the message timeout of its first byte, and on an accepted connection the first
 * one within the timeout of the accept: a connection that sends nothing, or dribbles, is closed unanswered.
 */
final class TcpSipFramer extends ByteToMessageDecoder {

    /** Cap on the header section; real requests stay well under 8 KB, more is a resource attack. */
    static final int MAX_HEADER_BYTES = 16 * 1024;
    /** Cap on a body; an SDP offer is a few hundred bytes. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    /** A Content-Length over {@link #MAX_BODY_BYTES}: parseLength's answer. */
    private static final int TOO_LARGE = -2;
    private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};
    private static final String TOO_LARGE_REASON = "Message Too Large";

    private final Transport transport;
    private final long timeoutNanos;
    private final Consumer<SipPeer> timedOut;
    private boolean firstMessageDue;
    private boolean failed;
    private ScheduledFuture<?> deadline;

    /** A framer of a TCP connection with the default message timeout, not waiting for a first message. */
    TcpSipFramer() {
        this(Transport.TCP, ConnectionLimits.DEFAULT_MESSAGE_TIMEOUT.toNanos(), false, peer -> { });
    }

    /**
     * A framer of a stream transport (TCP, or TLS once decrypted) that closes the connection when a message takes
     * longer than {@code timeoutNanos} from its first byte, or, with {@code firstMessageDue}, when the first one has
     * not come {@code timeoutNanos} after the connection became active; {@code timedOut} hears of each such close.
     */
    TcpSipFramer(Transport transport, long timeoutNanos, boolean firstMessageDue, Consumer<SipPeer> timedOut) {
        this.transport = transport;
        this.timeoutNanos = timeoutNanos;
        this.firstMessageDue = firstMessageDue;
        this.timedOut = timedOut;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        if (firstMessageDue && deadline == null && ctx.channel().isActive()) {
            startDeadline(ctx);
        }
        super.handlerAdded(ctx);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (firstMessageDue && deadline == null) {
            startDeadline(ctx);
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        super.channelRead(ctx, msg);
        if (!failed && deadline == null && actualReadableBytes() > 0 && ctx.channel().isActive()) {
            startDeadline(ctx);
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        stopDeadline();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stopDeadline();
        super.channelInactive(ctx);
    }

    private void startDeadline(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(() -> expire(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void stopDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private void expire(ChannelHandlerContext ctx) {
        deadline = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        SipPeer peer = peer(ctx, transport);
        ctx.close();
        timedOut.accept(peer);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        // RFC 5626 §3.5.1 keep-alives and stray line ends between messages carry no message.
        while (in.isReadable() && (in.getByte(in.readerIndex()) == '\r' || in.getByte(in.readerIndex()) == '\n')) {
            in.skipBytes(1);
        }
        if (!in.isReadable()) {
            return;
        }
        int searchLimit = Math.min(in.readableBytes(), MAX_HEADER_BYTES);
        int end = indexOfHeaderEnd(in, searchLimit);
        if (end < 0) {
            if (in.readableBytes() >= MAX_HEADER_BYTES) {
                fail(ctx, in, MAX_HEADER_BYTES, 513, TOO_LARGE_REASON, out);
            }
            return;
        }
        int headerLength = end + HEADER_END.length;
        byte[] header = new byte[headerLength];
        in.getBytes(in.readerIndex(), header);
        RawHeaders raw = RawHeaders.scan(header);
        List<String> lengths = raw.values("content-length");
        if (lengths.isEmpty()) {
            fail(ctx, in, headerLength, 400, "Missing Content-Length", out);
            return;
        }
        int bodyLength = parseLength(lengths);
        if (bodyLength == TOO_LARGE) {
            fail(ctx, in, headerLength, 513, TOO_LARGE_REASON, out);
            return;
        }
        if (bodyLength < 0) {
            fail(ctx, in, headerLength, 400, "Bad Content-Length", out);
            return;
        }
        if (in.readableBytes() < headerLength + bodyLength) {
            return;
        }
        byte[] message = new byte[headerLength + bodyLength];
        in.readBytes(message);
        firstMessageDue = false;
        stopDeadline();
        out.add(new RawSipMessage(message, peer(ctx, transport), null));
    }

    /** Bytes held while a message is incomplete: at most {@link #MAX_HEADER_BYTES} plus {@link #MAX_BODY_BYTES}. */
    int buffered() {
        return actualReadableBytes();
    }

    /** Offset from the reader index of the first CRLFCRLF within {@code limit} bytes, or -1. */
    private static int indexOfHeaderEnd(ByteBuf in, int limit) {
        int start = in.readerIndex();
        for (int i = 0; i + HEADER_END.length <= limit; i++) {
            if (in.getByte(start + i) == '\r' && in.getByte(start + i + 1) == '\n'
                    && in.getByte(start + i + 2) == '\r' && in.getByte(start + i + 3) == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * The body length if all Content-Length values agree and are sane digits, {@link #TOO_LARGE} for digits over
     * {@link #MAX_BODY_BYTES}, else -1.
     */
    private static int parseLength(List<String> values) {
        int length = -1;
        for (String value : values) {
            String digits = value.trim();
            if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(Character::isDigit)) {
                return -1;
            }
            int parsed = Integer.parseInt(digits);
            if (length >= 0 && parsed != length) {
                return -1;
            }
            if (parsed > MAX_BODY_BYTES) {
                return TOO_LARGE;
            }
            length = parsed;
        }
        return length;
    }

    private void fail(ChannelHandlerContext ctx, ByteBuf in, int headerBytes, int status, String reason,
                      List<Object> out) {
        failed = true;
        stopDeadline();
        byte[] header = new byte[headerBytes];
        in.readBytes(header);
        in.skipBytes(in.readableBytes());
        out.add(new RawSipMessage(header, peer(ctx, transport), new RawSipMessage.FramingError(status, reason)));
    }

    /** The peer: the source a trusted PROXY protocol header named, else the connection's remote address. */
    private static SipPeer peer(ChannelHandlerContext ctx, Transport transport) {
        InetSocketAddress proxied = ctx.channel().attr(ProxyProtocolHandler.SOURCE).get();
        SocketAddress remote = proxied != null ? proxied : ctx.channel().remoteAddress();
        return new SipPeer(transport, ctx.channel(), remote instanceof InetSocketAddress inet ? inet : null);
    }
}
