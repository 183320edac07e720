package gateway.realtime;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * The last handler of a Realtime socket: completes the connect future when the WebSocket handshake is done, feeds
 * text frames to the parser, answers the server's close frame (RFC 6455 §5.5.1) and reports the end exactly once.
 * Pings are answered by Netty's protocol handler before frames reach here. A server silent for half the idle
 * timeout gets a ping (RFC 6455 §5.5.2); silent for the whole of it, its socket is dropped as lost.
 *
 * <p>Threading: runs on the channel's event loop.
 */
final class RealtimeSocketHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final Logger LOG = System.getLogger(RealtimeSocketHandler.class.getName());
    /** RFC 6455 §7.4.1: the close frame carried no status code. */
    static final int NO_STATUS_RECEIVED = 1005;

    private final CompletableFuture<RealtimeConnection> opened;
    private final RealtimeListener listener;
    private final String target;
    private final int idleTimeoutMs;
    private final int inputBatchMs;
    private final ServerEventParser parser;
    private RealtimeConnection connection;
    private int closeStatus = -1;
    private String closeReason;
    private String failure;
    private boolean reported;

    RealtimeSocketHandler(CompletableFuture<RealtimeConnection> opened, RealtimeListener listener, String target,
                          int idleTimeoutMs, int inputBatchMs, LongAdder malformedEvents) {
        this.opened = opened;
        this.listener = listener;
        this.target = target;
        this.idleTimeoutMs = idleTimeoutMs;
        this.inputBatchMs = inputBatchMs;
        this.parser = new ServerEventParser(malformedEvents);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent idle && connection != null) {
            if (idle.isFirst()) {
                ctx.writeAndFlush(new PingWebSocketFrame());
            } else {
                abort(ctx, "nothing from the server for " + idleTimeoutMs + " ms, not even a pong");
            }
        } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            open(ctx);
        } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            opened.completeExceptionally(new IOException("WebSocket handshake timed out: " + target));
        }
        super.userEventTriggered(ctx, evt);
    }

    private void open(ChannelHandlerContext ctx) {
        if (connection != null) {
            return;
        }
        ChannelHandlerContext encoder = ctx.pipeline().context(WebSocketFrameEncoder.class);
        connection = new RealtimeConnection(encoder == null ? ctx : encoder, parser::audioFormat,
                () -> abort(ctx, "send backlog over " + RealtimeClient.SEND_BACKLOG.high()
                        + " bytes: the server does not keep up"), inputBatchMs);
        if (!opened.complete(connection)) {
            ctx.close();
            return;
        }
        LOG.log(Level.DEBUG, "Realtime socket open: {0}", target);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        open(ctx);
        if (frame instanceof TextWebSocketFrame) {
            if (!reported && !connection.closing()) {
                parser.parse(frame.content(), listener);
            }
        } else if (frame instanceof CloseWebSocketFrame close) {
            closeStatus = close.statusCode() < 0 ? NO_STATUS_RECEIVED : close.statusCode();
            closeReason = close.reasonText();
            connection.closeReceived();
            if (connection.closing()) {
                ctx.close();
            } else {
                int echo = closeStatus == NO_STATUS_RECEIVED ? 1000 : closeStatus;
                ctx.writeAndFlush(new CloseWebSocketFrame(echo, "")).addListener(ChannelFutureListener.CLOSE);
            }
        } else {
            LOG.log(Level.WARNING, "Ignoring a {0} from {1}", frame.getClass().getSimpleName(), target);
        }
    }

    private void abort(ChannelHandlerContext ctx, String why) {
        if (failure == null) {
            failure = why;
        }
        LOG.log(Level.WARNING, "Dropping the Realtime socket {0}: {1}", target, why);
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!opened.completeExceptionally(cause)) {
            abort(ctx, cause.toString());
        } else {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (connection == null) {
            opened.completeExceptionally(
                    new IOException("connection closed before the WebSocket handshake: " + target));
        } else if (!reported) {
            reported = true;
            int status = closeStatus;
            String reason = closeReason;
            if (status < 0 && connection.closing() && failure == null) {
                status = 1000;
                reason = "closed by the gateway";
            } else if (status < 0) {
                reason = failure != null ? failure : "connection lost";
            }
            LOG.log(Level.DEBUG, "Realtime socket closed: {0} ({1} {2})", target, status, reason);
            listener.onClosed(status, reason);
        }
        super.channelInactive(ctx);
    }
}
