package gateway.sip;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Assembles the UDP, TCP and TLS pipelines: PROXY header, TLS, framing/decoding, admission, parsing, dispatching to
 * the core.
 */
final class SipPipelines {

    /** A TCP connection idle this long is closed (RFC 3261 §18.3 leaves it to us; no keep-alive expected). */
    static final long TCP_IDLE_SECONDS = 300;

    private SipPipelines() {
    }

    /** UDP: one datagram is one message. */
    static void udp(ChannelPipeline pipeline, AdmissionHandler admission, SipMessageParser parser,
                    SipDispatcher dispatcher) {
        pipeline.addLast("sip-datagram", new UdpSipDecoder());
        pipeline.addLast("sip-admission", admission);
        pipeline.addLast("sip-parser", new SipParserHandler(parser));
        pipeline.addLast("sip-dispatcher", dispatcher);
    }

    /** TCP: a stream framed by Content-Length; idle connections are closed. */
    static void tcp(ChannelPipeline pipeline, AdmissionHandler admission, SipMessageParser parser,
                    SipDispatcher dispatcher, boolean idleTimeout) {
        stream(pipeline, admission, parser, dispatcher, Transport.TCP, idleTimeout,
                new TcpSipFramer(Transport.TCP, ConnectionLimits.DEFAULT_MESSAGE_TIMEOUT.toNanos(), false,
                        admission::timedOut));
    }

    /**
     * An accepted TCP or TLS connection: the PROXY protocol header first when some addresses may send one (before TLS,
     * which the header precedes on the wire), TLS with a bounded handshake, then the stream as {@link #tcp}, whose
     * first message is due within {@code messageTimeout} of the accept.
     */
    static void accepted(Channel channel, AdmissionHandler admission, SipMessageParser parser,
                         SipDispatcher dispatcher, Transport transport, SipSecurity security, boolean proxyProtocol,
                         Duration messageTimeout) {
        ChannelPipeline pipeline = channel.pipeline();
        if (proxyProtocol) {
            pipeline.addLast("proxy-protocol", new ProxyProtocolHandler(security.proxyTrusted()));
        }
        if (transport == Transport.TLS) {
            SslHandler tls = security.tls().server().newHandler(channel.alloc());
            tls.setHandshakeTimeoutMillis(SipTls.HANDSHAKE_TIMEOUT_MILLIS);
            pipeline.addLast("tls", tls);
        }
        stream(pipeline, admission, parser, dispatcher, transport, true,
                new TcpSipFramer(transport, messageTimeout.toNanos(), true, admission::timedOut));
    }

    /** A connection we open for a request of ours: TLS as a client checking the remote's certificate, or TCP. */
    static void connected(SocketChannel channel, AdmissionHandler admission, SipMessageParser parser,
                          SipDispatcher dispatcher, Transport transport, SipSecurity security,
                          InetSocketAddress remote, Duration messageTimeout) {
        if (transport == Transport.TLS) {
            SslHandler tls = security.tls().client().newHandler(channel.alloc(),
                    remote.getAddress().getHostAddress(), remote.getPort());
            tls.setHandshakeTimeoutMillis(SipTls.HANDSHAKE_TIMEOUT_MILLIS);
            channel.pipeline().addLast("tls", tls);
        }
        stream(channel.pipeline(), admission, parser, dispatcher, transport, true,
                new TcpSipFramer(transport, messageTimeout.toNanos(), false, admission::timedOut));
    }

    private static void stream(ChannelPipeline pipeline, AdmissionHandler admission, SipMessageParser parser,
                               SipDispatcher dispatcher, Transport transport, boolean idleTimeout,
                               TcpSipFramer framer) {
        if (idleTimeout) {
            pipeline.addLast("sip-idle", new IdleStateHandler(0, 0, TCP_IDLE_SECONDS, TimeUnit.SECONDS) {
                @Override
                protected void channelIdle(io.netty.channel.ChannelHandlerContext ctx,
                                           io.netty.handler.timeout.IdleStateEvent evt) {
                    ctx.close();
                }
            });
        }
        pipeline.addLast("sip-framer", framer);
        pipeline.addLast("sip-admission", admission);
        pipeline.addLast("sip-parser", new SipParserHandler(parser));
        pipeline.addLast("sip-dispatcher", dispatcher);
    }
}
