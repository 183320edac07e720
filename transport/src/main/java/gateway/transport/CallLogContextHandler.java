package gateway.transport;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;

/**
 * The first handler of a channel that serves one call (a Realtime socket): every inbound event, and whatever the
 * handlers after it log while handling it, runs with the call's {@link CallLogContext} ids. Allocates nothing per
 * event. Threading: the channel's event loop.
 */
public final class CallLogContextHandler extends ChannelDuplexHandler {

    private final CallLogContext.Ids ids;

    public CallLogContextHandler(CallLogContext.Ids ids) {
        this.ids = ids;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        CallLogContext.Ids previous = CallLogContext.enter(ids);
        try {
            ctx.fireChannelActive();
        } finally {
            CallLogContext.exit(previous);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        CallLogContext.Ids previous = CallLogContext.enter(ids);
        try {
            ctx.fireChannelRead(msg);
        } finally {
            CallLogContext.exit(previous);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        CallLogContext.Ids previous = CallLogContext.enter(ids);
        try {
            ctx.fireChannelReadComplete();
        } finally {
            CallLogContext.exit(previous);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        CallLogContext.Ids previous = CallLogContext.enter(ids);
        try {
            ctx.fireUserEventTriggered(evt);
        } finally {
            CallLogContext.exit(previous);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        CallLogContext.Ids previous = CallLogContext.enter(ids);
        try {
            ctx.fireChannelInactive();
        } finally {
            CallLogContext.exit(previous);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        CallLogContext.Ids previous = CallLogContext.enter(ids);
        try {
            ctx.fireExceptionCaught(cause);
        } finally {
            CallLogContext.exit(previous);
        }
    }
}
