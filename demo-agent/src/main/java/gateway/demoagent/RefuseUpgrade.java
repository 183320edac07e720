package gateway.demoagent;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Answers the upgrade request of a refused connection ({@link DemoScript#refuseConnectionsFrom},
 * {@link DemoScript#refuseConnection}) with an HTTP error (503 as an overloaded service, 401 as for a bad key) and
 * closes it.
 *
 * <p>Threading: runs on the connection's event loop.
 */
final class RefuseUpgrade extends SimpleChannelInboundHandler<FullHttpRequest> {

    private final DemoConnection view;
    private final HttpResponseStatus status;

    RefuseUpgrade(DemoConnection view, int status) {
        this.view = view;
        this.status = HttpResponseStatus.valueOf(status);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        view.ending(DemoConnection.How.REFUSED, status.code(), status.reasonPhrase());
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), status);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
