package gateway.sip;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

/**
 * Hands parsed messages to the {@link SipCore} on the SIP event loop (a hop for TCP connections living on other
 * loops) and keeps channel errors from killing the server.
 */
@ChannelHandler.Sharable
final class SipDispatcher extends SimpleChannelInboundHandler<ParsedSip> {

    private static final System.Logger LOG = System.getLogger(SipDispatcher.class.getName());

    private final SipCore core;

    SipDispatcher(SipCore core) {
        super(ParsedSip.class);
        this.core = core;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ParsedSip message) {
        core.onLoop(() -> core.receive(message));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "SIP channel error on " + ctx.channel(), cause);
        if (ctx.channel().parent() != null) {
            ctx.close();
        }
    }
}
