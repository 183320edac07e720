package gateway.qa;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayDeque;

/**
 * Turns each request into an {@link Exchange} and passes one at a time down the pipeline, the next only when the
 * previous response has been written, so pipelined requests are answered in order (RFC 9112 §9.3.2) even when a
 * response is produced on another thread. A request that could not be decoded gets 400 in its turn and the
 * connection closes. One instance per connection; event loop only.
 */
final class ExchangeSequencer extends ChannelInboundHandlerAdapter {

    /** Requests a client may pipeline ahead of the one being answered; more closes the connection. */
    static final int MAX_PIPELINED = 16;

    private final ArrayDeque<Exchange> waiting = new ArrayDeque<>();
    private boolean busy;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        Exchange exchange;
        try {
            exchange = Exchange.of(ctx.channel(), request);
        } finally {
            request.release();
        }
        exchange.done().whenComplete((v, e) -> ctx.executor().execute(() -> next(ctx)));
        if (!busy) {
            start(ctx, exchange);
        } else if (waiting.size() < MAX_PIPELINED) {
            waiting.add(exchange);
        } else {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        waiting.clear();
        ctx.fireChannelInactive();
    }

    private void start(ChannelHandlerContext ctx, Exchange exchange) {
        busy = true;
        if (exchange.malformed()) {
            exchange.sendError(HttpResponseStatus.BAD_REQUEST, ErrorCodes.BAD_REQUEST, "malformed HTTP request");
        } else {
            ctx.fireChannelRead(exchange);
        }
    }

    private void next(ChannelHandlerContext ctx) {
        busy = false;
        Exchange exchange = waiting.poll();
        if (exchange != null && ctx.channel().isActive()) {
            start(ctx, exchange);
        }
    }
}
