package gateway.sip;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/** Assembles the UDP and TCP pipelines: framing/decoding, admission, parsing, dispatching to the core. */
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
        if (idleTimeout) {
            pipeline.addLast("sip-idle", new IdleStateHandler(0, 0, TCP_IDLE_SECONDS, TimeUnit.SECONDS) {
                @Override
                protected void channelIdle(io.netty.channel.ChannelHandlerContext ctx,
                                           io.netty.handler.timeout.IdleStateEvent evt) {
                    ctx.close();
                }
            });
        }
        pipeline.addLast("sip-framer", new TcpSipFramer());
        pipeline.addLast("sip-admission", admission);
        pipeline.addLast("sip-parser", new SipParserHandler(parser));
        pipeline.addLast("sip-dispatcher", dispatcher);
    }
}
