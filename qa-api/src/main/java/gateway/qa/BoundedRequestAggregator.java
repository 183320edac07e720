package gateway.qa;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Gathers a request into one message, up to {@value #MAX_REQUEST_BYTES} bytes of body (a live call action's JSON, or
 * none); a larger one gets a JSON 413 and the connection closes, since the rest of it cannot be skipped safely.
 */
final class BoundedRequestAggregator extends HttpObjectAggregator {

    static final int MAX_REQUEST_BYTES = 8192;

    BoundedRequestAggregator() {
        super(MAX_REQUEST_BYTES);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        FullHttpResponse response = Exchange.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                ErrorCodes.REQUEST_TOO_LARGE, "request bodies are limited to " + MAX_REQUEST_BYTES + " bytes");
        response.headers().set(io.netty.handler.codec.http.HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        HttpUtil.setKeepAlive(response, false);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
