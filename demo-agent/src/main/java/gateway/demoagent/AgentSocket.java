package gateway.demoagent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.HandshakeComplete;
import io.netty.util.ReferenceCountUtil;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The socket side of one demo-agent connection (docs/realtime-protocol.md §1): after the upgrade it checks the key,
 * starts the session ({@link SessionEvents}) and its scripted end ({@link ScriptedFaults}), pings, hands text frames
 * on, refuses binary ones, and runs the WebSocket closing handshake from either side (RFC 6455 §7). It reports how
 * the connection ends to its {@link DemoConnection}.
 *
 * <p>Threading: everything runs on the channel's event loop, timers included.
 */
final class AgentSocket extends ChannelInboundHandlerAdapter implements EventSink {

    private static final Logger LOG = System.getLogger(AgentSocket.class.getName());
    /** What the service closes with when the key is wrong (§1). */
    private static final int CLOSE_INVALID_KEY = 3000;
    /** After its close frame the agent waits this long for the client's (RFC 6455 §7.1.1), then drops the TCP. */
    static final long CLOSE_WAIT_MS = 1000;

    private final DemoAgent agent;
    private final DemoScript script;
    private final DemoConnection view;
    private final ScriptedFaults faults;
    private Channel channel;
    private SessionEvents events;
    private ScheduledFuture<?> pinger;
    private ScheduledFuture<?> closeWait;
    private boolean closing;
    private boolean hung;
    private long pingsSent;

    AgentSocket(DemoAgent agent, DemoScript script, DemoConnection view) {
        this.agent = agent;
        this.script = script;
        this.view = view;
        this.faults = new ScriptedFaults(script, view.number());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof HandshakeComplete handshake) {
            opened(ctx.channel(), handshake);
        }
        super.userEventTriggered(ctx, evt);
    }

    private void opened(Channel ch, HandshakeComplete handshake) {
        channel = ch;
        agent.connectionOpened();
        List<String> model = new QueryStringDecoder(handshake.requestUri()).parameters().get("model");
        String sessionId = DemoEvents.id("sess");
        SessionConfig config = new SessionConfig(DemoEvents.defaultSession(sessionId,
                model == null ? "gpt-realtime" : model.get(0), faults.expiresAt(System.currentTimeMillis())));
        events = new SessionEvents(config, script, view, this, ch.eventLoop(), this::record);
        String key = script.requiredApiKey();
        if (key != null && !("Bearer " + key).equals(handshake.requestHeaders().get(HttpHeaderNames.AUTHORIZATION))) {
            send(DemoEvents.error("invalid_api_key", "Incorrect API key provided. You can find your API key at"
                    + " https://platform.openai.com/account/api-keys.", null, null));
            close(CLOSE_INVALID_KEY, "invalid_request_error.invalid_api_key");
            return;
        }
        view.opened(sessionId, fault -> ch.eventLoop().execute(() -> faults.strike(fault, ch.eventLoop(), this)));
        events.start();
        if (script.pingIntervalMs() > 0) {
            pinger = ch.eventLoop().scheduleAtFixedRate(this::ping, script.pingIntervalMs(), script.pingIntervalMs(),
                    TimeUnit.MILLISECONDS);
        }
        faults.arm(ch.eventLoop(), this);
    }

    /** Starts the closing handshake (RFC 6455 §7.1.2): nothing more is sent; the TCP goes when the client answers. */
    void close(int code, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        view.ending(DemoConnection.How.CLOSE_SENT, code, reason);
        stopTimers();
        channel.writeAndFlush(new CloseWebSocketFrame(code, reason));
        closeWait = channel.eventLoop().schedule(() -> {
            channel.close();
        }, CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
    }

    /** The scripted drop: the TCP connection closes with no close frame. */
    void drop(String reason) {
        if (closing) {
            return;
        }
        closing = true;
        view.ending(DemoConnection.How.DROPPED, -1, reason);
        stopTimers();
        channel.close();
    }

    /** The scripted hang: nothing more is sent or read, and the TCP connection stays open. */
    void hang() {
        if (closing) {
            return;
        }
        hung = true;
        stopTimers();
        channel.config().setAutoRead(false);
    }

    /** The scripted raw frame: {@code text} as one text frame, whatever it holds. */
    void sendText(String text) {
        if (!closing && !hung && channel.isActive()) {
            channel.writeAndFlush(new TextWebSocketFrame(text));
        }
    }

    /** A close frame from the client: the answer to ours, or its own close, which is echoed (RFC 6455 §5.5.1). */
    private void clientClosed(ChannelHandlerContext ctx, CloseWebSocketFrame frame) {
        if (closing) {
            ctx.close();
            return;
        }
        closing = true;
        int code = frame.statusCode();
        view.ending(DemoConnection.How.CLOSE_RECEIVED, code, frame.reasonText());
        stopTimers();
        CloseWebSocketFrame echo = code < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, "");
        ctx.writeAndFlush(echo).addListener(ChannelFutureListener.CLOSE);
    }

    private void stopTimers() {
        if (pinger != null) {
            pinger.cancel(false);
        }
        faults.cancel();
        if (events != null) {
            events.stop();
        }
    }

    private void ping() {
        if (closing) {
            return;
        }
        pingsSent++;
        channel.writeAndFlush(new PingWebSocketFrame(Unpooled.copyLong(pingsSent)));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            switch (msg) {
                case TextWebSocketFrame text -> events.onText(text.text(), !closing);
                case BinaryWebSocketFrame binary -> {
                    record("(binary)", null);
                    refuse(new InvalidEvent("invalid_event", null, "Binary frames are not supported; send JSON"
                            + " text."), null);
                }
                case CloseWebSocketFrame close -> clientClosed(ctx, close);
                case PongWebSocketFrame pong -> {
                    ByteBuf payload = pong.content();
                    if (payload.readableBytes() == Long.BYTES && payload.getLong(payload.readerIndex()) == pingsSent) {
                        agent.pongReceived();
                    }
                }
                case FullHttpRequest request -> {
                    DefaultFullHttpResponse notFound = new DefaultFullHttpResponse(request.protocolVersion(),
                            HttpResponseStatus.NOT_FOUND);
                    notFound.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
                    ctx.writeAndFlush(notFound).addListener(ChannelFutureListener.CLOSE);
                }
                default -> {
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stopTimers();
        if (closeWait != null) {
            closeWait.cancel(false);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.DEBUG, "demo agent connection failed: {0}", cause.toString());
        ctx.close();
    }

    private void record(String type, String frameText) {
        agent.received(type, frameText);
        view.received(type, frameText);
    }

    @Override
    public void send(ObjectNode event) {
        if (closing || hung || !channel.isActive()) {
            return;
        }
        try {
            channel.writeAndFlush(new TextWebSocketFrame(DemoEvents.MAPPER.writeValueAsString(event)));
        } catch (JsonProcessingException e) {
            LOG.log(Level.ERROR, "demo agent cannot encode an event", e);
        }
    }

    /** Also logged: in the demo, a refusal means the gateway sent what the real service would refuse too. */
    @Override
    public void refuse(InvalidEvent refusal, String clientEventId) {
        if (!closing) {
            view.refused(refusal.code());
            LOG.log(Level.WARNING, "demo agent connection {0} refused a client event: {1} (param {2}): {3}",
                    String.valueOf(view.number()), refusal.code(), refusal.param(), refusal.getMessage());
        }
        send(DemoEvents.error(refusal.code(), refusal.getMessage(), refusal.param(), clientEventId));
    }
}
