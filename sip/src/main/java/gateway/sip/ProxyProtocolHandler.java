package gateway.sip;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.ProtocolDetectionResult;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.util.AttributeKey;
import io.netty.util.NetUtil;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.function.Predicate;

/**
 * The PROXY protocol (HAProxy's proxy-protocol.txt, v1 text and v2 binary) at the start of a TCP or TLS connection,
 * in front of everything else. From a trusted address (a load balancer) a header is taken when one comes: its
 * source becomes the connection's caller ({@link #SOURCE}), for access control, logs and call.json; a connection
 * without one is served as a direct one. From any other address a header is refused: the connection is closed, so
 * nobody can claim another's address. Netty's {@link HAProxyMessageDecoder} parses the header; this handler only
 * decides whether it may, from the first bytes, and then leaves the pipeline.
 */
final class ProxyProtocolHandler extends ByteToMessageDecoder {

    /** The source a trusted PROXY header named, on the connection's channel; absent for direct connections. */
    static final AttributeKey<InetSocketAddress> SOURCE = AttributeKey.valueOf("gateway.sip.proxiedSource");

    private static final System.Logger LOG = System.getLogger(ProxyProtocolHandler.class.getName());

    private final Predicate<InetAddress> trusted;

    ProxyProtocolHandler(Predicate<InetAddress> trusted) {
        this.trusted = trusted;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        ProtocolDetectionResult<HAProxyProtocolVersion> detection = HAProxyMessageDecoder.detectProtocol(in);
        switch (detection.state()) {
            case NEEDS_MORE_DATA -> {
                // Wait: these bytes may still become a header (or SIP, once more arrives).
            }
            case INVALID -> ctx.pipeline().remove(this);
            case DETECTED -> {
                SocketAddress remote = ctx.channel().remoteAddress();
                if (remote instanceof InetSocketAddress inet && trusted.test(inet.getAddress())) {
                    ctx.pipeline().addAfter(ctx.name(), "proxy-source", new SourceTaker())
                            .addAfter(ctx.name(), "proxy-decoder", new HAProxyMessageDecoder());
                    ctx.pipeline().remove(this);
                } else {
                    LOG.log(Level.INFO, "PROXY protocol header from {0}, which is not in sip.proxy-protocol.trusted;"
                            + " connection closed", remote);
                    in.skipBytes(in.readableBytes());
                    ctx.close();
                }
            }
            default -> throw new IllegalStateException("unknown detection state " + detection.state());
        }
    }

    /**
     * Takes the decoded header: its source names the caller (a LOCAL command, a health check, names none). A header
     * the decoder cannot read closes the connection here, whatever it threw: netty's {@link HAProxyProtocolException},
     * or, for a v2 TLV whose length runs past the header, an {@link IndexOutOfBoundsException} inside a
     * {@link DecoderException} (netty-codec-haproxy 4.2.18; found by {@code SipStreamFuzzTest}).
     */
    private static final class SourceTaker extends SimpleChannelInboundHandler<HAProxyMessage> {

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!(cause instanceof DecoderException)) {
                ctx.fireExceptionCaught(cause);
                return;
            }
            LOG.log(Level.INFO, "Malformed PROXY protocol header from {0} ({1}); connection closed",
                    ctx.channel().remoteAddress(), cause instanceof HAProxyProtocolException ? cause.getMessage()
                            : String.valueOf(cause.getCause()));
            ctx.close();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HAProxyMessage header) {
            if (header.command() == HAProxyCommand.PROXY && header.sourceAddress() != null) {
                byte[] address = NetUtil.createByteArrayFromIpAddressString(header.sourceAddress());
                if (address != null) {
                    try {
                        ctx.channel().attr(SOURCE).set(new InetSocketAddress(InetAddress.getByAddress(address),
                                header.sourcePort()));
                    } catch (java.net.UnknownHostException e) {
                        throw new IllegalStateException("a 4 or 16 byte address", e);
                    }
                }
            }
            ctx.pipeline().remove(this);
        }
    }
}
