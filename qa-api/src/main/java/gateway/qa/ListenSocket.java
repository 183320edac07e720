package gateway.qa;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;

/**
 * The listen socket of one supervisor (RFC 6455), after the upgrade of {@code GET /api/calls/{id}/listen}: every
 * {@value #DRAIN_MS} ms it sends what the call's {@link ListenFeed} queued, each audio chunk as a binary frame and
 * each turn event as a text frame (JSON), plus a {@code stats} event every second. A listener whose socket cannot
 * take more is not drained, so the call's queue drops (and counts) its frames; the call never waits for it. When the
 * call ends the socket says {@code {"type":"ended"}} and closes (1000). Its channel's event loop only.
 *
 * <p>A binary frame: byte 0 the channel (0 caller, 1 assistant), bytes 4-7 the sample count, 8-15 the recording
 * position in samples, 16-23 the wall-clock time in ms when the call carried it, all little-endian; then the samples,
 * PCM16 little-endian, mono at 24 kHz.
 */
final class ListenSocket extends ChannelInboundHandlerAdapter {

    private static final System.Logger LOG = System.getLogger(ListenSocket.class.getName());
    /** The subprotocol the page asks for and the server selects. */
    static final String SUBPROTOCOL = "gateway.listen.v1";
    static final int HEADER_BYTES = 24;
    static final long DRAIN_MS = 20;
    private static final int STATS_EVERY = 50;
    private static final int MAX_FRAME_BYTES = 64 * 1024;

    private final ListenFeed feed;
    private final String callId;
    private ScheduledFuture<?> drainer;
    private int drains;
    private long framesSent;
    private boolean ended;

    private ListenSocket(ListenFeed feed, String callId) {
        this.feed = feed;
        this.callId = callId;
    }

    /** Answers the upgrade of {@code exchange} and starts sending {@code feed}; closes the feed if it fails. */
    static void upgrade(Exchange exchange, ListenFeed feed, String callId) {
        Channel channel = exchange.channel();
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                exchange.rawPath(), io.netty.buffer.Unpooled.EMPTY_BUFFER, exchange.headers(),
                EmptyHttpHeaders.INSTANCE);
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                "ws://" + exchange.headers().get(HttpHeaderNames.HOST) + exchange.rawPath(), SUBPROTOCOL, false,
                MAX_FRAME_BYTES).newHandshaker(request);
        if (handshaker == null) {
            feed.close();
            exchange.sendError(io.netty.handler.codec.http.HttpResponseStatus.UPGRADE_REQUIRED,
                    ErrorCodes.BAD_REQUEST, "WebSocket version 13 is required");
            return;
        }
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.remove(ExchangeSequencer.class);
        pipeline.remove(AccessGuard.class);
        pipeline.remove(RequestRouter.class);
        handshaker.handshake(channel, request).addListener(done -> {
            if (done.isSuccess()) {
                pipeline.addLast(new ListenSocket(feed, callId));
            } else {
                feed.close();
                channel.close();
            }
        });
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        LOG.log(Level.INFO, "call {0}: a supervisor listens from {1}", callId, ctx.channel().remoteAddress());
        drainer = ctx.executor().scheduleAtFixedRate(() -> drain(ctx), DRAIN_MS, DRAIN_MS, TimeUnit.MILLISECONDS);
        feed.ended().thenRunAsync(() -> end(ctx), ctx.executor());
        ctx.channel().closeFuture().addListener(f -> stop());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof CloseWebSocketFrame close) {
            ctx.writeAndFlush(close.retainedDuplicate()).addListener(ChannelFutureListener.CLOSE);
        } else if (msg instanceof PingWebSocketFrame ping) {
            ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
        }
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.DEBUG, "listen socket {0} closed: {1}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private void drain(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive() || !ctx.channel().isWritable()) {
            return;
        }
        feed.drain((channel, position, capturedAtMs, pcm, offset, length) -> {
            ByteBuf buf = ctx.alloc().buffer(HEADER_BYTES + 2 * length);
            buf.writeByte(channel).writeZero(3).writeIntLE(length).writeLongLE(position).writeLongLE(capturedAtMs);
            for (int i = 0; i < length; i++) {
                buf.writeShortLE(pcm[offset + i]);
            }
            ctx.write(new BinaryWebSocketFrame(buf));
            framesSent++;
        }, json -> ctx.write(new TextWebSocketFrame(json)));
        if (++drains % STATS_EVERY == 0) {
            ctx.write(new TextWebSocketFrame("{\"type\":\"stats\",\"frames\":" + framesSent + ",\"dropped\":"
                    + feed.dropped() + "}"));
        }
        ctx.flush();
    }

    private void end(ChannelHandlerContext ctx) {
        if (ended || !ctx.channel().isActive()) {
            return;
        }
        ended = true;
        drain(ctx);
        ctx.write(new TextWebSocketFrame("{\"type\":\"ended\",\"frames\":" + framesSent + ",\"dropped\":"
                + feed.dropped() + "}"));
        ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE, "the call ended"))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void stop() {
        if (drainer != null) {
            drainer.cancel(false);
        }
        feed.close();
        LOG.log(Level.INFO, "call {0}: a supervisor stopped listening: {1} frames sent, {2} dropped", callId,
                framesSent, feed.dropped());
    }
}
