package gateway.sip;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * Cuts a TCP byte stream into SIP messages by the header terminator and Content-Length (RFC 3261 §18.3).
 * On a framing error it emits the header bytes with the problem and ignores the rest of the stream; the
 * dispatcher then answers 400 if it can and closes the connection.
 */
final class TcpSipFramer extends ByteToMessageDecoder {

    /** Cap on the header section; real requests stay well under 8 KB, more is a resource attack. */
    static final int MAX_HEADER_BYTES = 16 * 1024;
    /** Cap on a body; an SDP offer is a few hundred bytes. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

    private final Transport transport;
    private boolean failed;

    /** A framer of a TCP connection. */
    TcpSipFramer() {
        this(Transport.TCP);
    }

    /** A framer of a stream transport: TCP, or TLS once decrypted. */
    TcpSipFramer(Transport transport) {
        this.transport = transport;
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
                fail(ctx, in, MAX_HEADER_BYTES, "Message headers too large", out);
            }
            return;
        }
        int headerLength = end + HEADER_END.length;
        byte[] header = new byte[headerLength];
        in.getBytes(in.readerIndex(), header);
        RawHeaders raw = RawHeaders.scan(header);
        List<String> lengths = raw.values("content-length");
        if (lengths.isEmpty()) {
            fail(ctx, in, headerLength, "Missing Content-Length", out);
            return;
        }
        int bodyLength = parseLength(lengths);
        if (bodyLength < 0) {
            fail(ctx, in, headerLength, "Bad Content-Length", out);
            return;
        }
        if (in.readableBytes() < headerLength + bodyLength) {
            return;
        }
        byte[] message = new byte[headerLength + bodyLength];
        in.readBytes(message);
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

    /** The body length if all Content-Length values agree and are sane digits, else -1. */
    private static int parseLength(List<String> values) {
        int length = -1;
        for (String value : values) {
            String digits = value.trim();
            if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(Character::isDigit)) {
                return -1;
            }
            int parsed = Integer.parseInt(digits);
            if (parsed > MAX_BODY_BYTES || (length >= 0 && parsed != length)) {
                return -1;
            }
            length = parsed;
        }
        return length;
    }

    private void fail(ChannelHandlerContext ctx, ByteBuf in, int headerBytes, String problem, List<Object> out) {
        failed = true;
        byte[] header = new byte[headerBytes];
        in.readBytes(header);
        in.skipBytes(in.readableBytes());
        out.add(new RawSipMessage(header, peer(ctx, transport), problem));
    }

    /** The peer: the source a trusted PROXY protocol header named, else the connection's remote address. */
    private static SipPeer peer(ChannelHandlerContext ctx, Transport transport) {
        InetSocketAddress proxied = ctx.channel().attr(ProxyProtocolHandler.SOURCE).get();
        SocketAddress remote = proxied != null ? proxied : ctx.channel().remoteAddress();
        return new SipPeer(transport, ctx.channel(), remote instanceof InetSocketAddress inet ? inet : null);
    }
}
