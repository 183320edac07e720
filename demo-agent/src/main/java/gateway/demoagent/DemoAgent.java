package gateway.demoagent;

import gateway.transport.NettyTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process stand-in for the OpenAI Realtime service on 127.0.0.1 (path {@code /v1/realtime}, any query), used
 * as the demo agent when no API key is configured and as the test double; the gateway reaches it through the same
 * {@code RealtimeClient} as the real service. It listens with {@code ws://}, or with {@code wss://} when started with
 * a TLS context. Behaviour per connection: see {@link AgentSocket} and {@link SessionEvents}; knobs: {@link
 * DemoScript}; what each connection saw: {@link #connection(int)}.
 *
 * <p>Threading: {@link #start} and {@link #close} block briefly (bind, shutdown) and must not run on an event loop;
 * the inspection methods may be called from any thread; sessions run on the agent's event loop group.
 */
public final class DemoAgent implements AutoCloseable {

    static final String PATH = "/v1/realtime";
    /** The upgrade request is headers only. */
    private static final int MAX_REQUEST_BYTES = 64 << 10;
    /** Client appends may be up to 15 MiB (§3). */
    private static final int MAX_FRAME_BYTES = 16 << 20;
    /** Received types and frames kept for inspection: the latest 10 000, so a long demo does not grow. */
    static final int RECORDED_MAX = 10_000;
    /** Connections kept for inspection: the latest 1000, so a long demo or load test does not grow. */
    public static final int CONNECTIONS_KEPT = 1000;
    private static final AttributeKey<Integer> NUMBER = AttributeKey.valueOf(DemoAgent.class, "number");
    private static final long SHUTDOWN_SECONDS = 2;
    /** What {@link DemoScript#refuseConnectionsFrom} answers: the service is overloaded. */
    private static final int SERVICE_UNAVAILABLE = 503;

    private final DemoScript script;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final SslContext tls;
    private final ChannelGroup channels = new DefaultChannelGroup("demo-agent", GlobalEventExecutor.INSTANCE);
    private final ArrayDeque<String> types = new ArrayDeque<>();
    private final ArrayDeque<String> frames = new ArrayDeque<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final Map<Integer, DemoConnection> kept = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, DemoConnection> eldest) {
            return size() > CONNECTIONS_KEPT;
        }
    };
    private final AtomicInteger pongs = new AtomicInteger();
    private Channel server;

    private DemoAgent(DemoScript script, EventLoopGroup group, boolean ownsGroup, SslContext tls) {
        this.script = script;
        this.group = group;
        this.ownsGroup = ownsGroup;
        this.tls = tls;
    }

    /** Starts an agent on its own one-thread NIO event loop group, bound to 127.0.0.1 on a free port. */
    public static DemoAgent start(DemoScript script) {
        return start(script, null);
    }

    /** Starts an agent on {@code groupOrNull} (not shut down by {@link #close}) or, if null, on its own group. */
    public static DemoAgent start(DemoScript script, EventLoopGroup groupOrNull) {
        return start(script, groupOrNull, 0);
    }

    /** Starts an agent on 127.0.0.1:{@code port} (0 = a free port). */
    public static DemoAgent start(DemoScript script, EventLoopGroup groupOrNull, int port) {
        return start(script, groupOrNull, port, null);
    }

    /**
     * Starts an agent that speaks TLS ({@code wss://}) with {@code serverTls}, a server context holding its
     * certificate and key, on its own group and a free port.
     */
    public static DemoAgent startTls(DemoScript script, SslContext serverTls) {
        if (serverTls == null || serverTls.isClient()) {
            throw new IllegalArgumentException("need a server SslContext");
        }
        return start(script, null, 0, serverTls);
    }

    private static DemoAgent start(DemoScript script, EventLoopGroup groupOrNull, int port, SslContext tls) {
        EventLoopGroup group = groupOrNull != null ? groupOrNull
                : NettyTransport.nio().newGroup(1, "demo-agent");
        DemoAgent agent = new DemoAgent(script, group, groupOrNull == null, tls);
        try {
            agent.bind(port);
        } catch (RuntimeException e) {
            agent.close();
            throw e;
        }
        return agent;
    }

    private void bind(int port) {
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(PATH)
                .checkStartsWith(true)
                .maxFramePayloadLength(MAX_FRAME_BYTES)
                // AgentSocket runs the closing handshake itself; closing the channel closes the TCP, no frame
                .handleCloseFrames(false)
                .sendCloseFrame(null)
                .dropPongFrames(false)
                .build();
        server = new ServerBootstrap()
                .group(group)
                .channel(NettyTransport.serverChannel(group))
                .handler(new AcceptOrder())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        DemoConnection view = keep(new DemoConnection(ch.attr(NUMBER).get(), script.recordFrames()));
                        ch.closeFuture().addListener(f -> view.closed());
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_REQUEST_BYTES));
                        DemoFault fault = script.faultOf(view.number());
                        if (script.refuses(view.number())) {
                            ch.pipeline().addLast(new RefuseUpgrade(view, SERVICE_UNAVAILABLE));
                            return;
                        }
                        if (fault instanceof DemoFault.Refuse refuse) {
                            ch.pipeline().addLast(new RefuseUpgrade(view, refuse.status()));
                            return;
                        }
                        if (fault instanceof DemoFault.Hold) {
                            ch.pipeline().addLast(new HoldUpgrade());
                            return;
                        }
                        ch.pipeline().addLast(new WebSocketServerProtocolHandler(config),
                                new WebSocketFrameAggregator(MAX_FRAME_BYTES),
                                new AgentSocket(DemoAgent.this, script, view));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", port))
                .syncUninterruptibly()
                .channel();
    }

    /** Numbers accepted connections in accept order, on the server channel's loop before they are registered. */
    @Sharable
    private final class AcceptOrder extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ((Channel) msg).attr(NUMBER).set(accepted.incrementAndGet());
            ctx.fireChannelRead(msg);
        }
    }

    /** Reads the upgrade request of a held connection ({@link DemoFault.Hold}) and never answers it. */
    private static final class HoldUpgrade extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }

    private DemoConnection keep(DemoConnection view) {
        synchronized (kept) {
            kept.put(view.number(), view);
            kept.notifyAll();
        }
        return view;
    }

    /** {@code ws://127.0.0.1:<port>/v1/realtime?model=gpt-realtime}, or {@code wss://…} when it speaks TLS. */
    public URI url() {
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        return URI.create((tls == null ? "ws" : "wss") + "://127.0.0.1:" + port + PATH + "?model=gpt-realtime");
    }

    /** The samples of a {@link DemoScript.ReplyMode#TONE} reply of {@code ms} milliseconds (24 kHz). */
    public static short[] tone(long ms) {
        return SpokenReply.tone(ms);
    }

    /** The script this agent runs. */
    public DemoScript script() {
        return script;
    }

    /** Types of the client events received on all connections, in arrival order (the latest {@value #RECORDED_MAX}). */
    public List<String> receivedTypes() {
        synchronized (types) {
            return List.copyOf(types);
        }
    }

    /** The text of received client frames when {@link DemoScript#recordFrames()} is on, else empty. */
    public List<String> receivedFrames() {
        synchronized (types) {
            return List.copyOf(frames);
        }
    }

    /** WebSocket upgrades accepted so far (refused ones not counted). */
    public int connections() {
        return connections.get();
    }

    /** TCP connections accepted so far, refused upgrades included: the number of the latest connection. */
    public int accepted() {
        return accepted.get();
    }

    /**
     * What connection {@code n} (1-based, in accept order) saw so far.
     *
     * @throws NoSuchElementException if it was not accepted yet or is no longer kept (the latest
     *                                {@value #CONNECTIONS_KEPT} are)
     */
    public DemoConnection connection(int n) {
        synchronized (kept) {
            DemoConnection view = kept.get(n);
            if (view == null) {
                throw new NoSuchElementException("no connection " + n + ": " + accepted.get() + " accepted, the latest "
                        + CONNECTIONS_KEPT + " kept");
            }
            return view;
        }
    }

    /** As {@link #connection(int)}, waiting up to {@code timeout} for connection {@code n} to be accepted. */
    public DemoConnection awaitConnection(int n, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (kept) {
            while (!kept.containsKey(n)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("connection " + n + " not accepted within " + timeout.toMillis()
                            + " ms (" + accepted.get() + " accepted)");
                }
                TimeUnit.NANOSECONDS.timedWait(kept, left);
            }
            return kept.get(n);
        }
    }

    /** PONGs received that answered the latest PING of their connection. */
    public int pongs() {
        return pongs.get();
    }

    void connectionOpened() {
        connections.incrementAndGet();
    }

    void pongReceived() {
        pongs.incrementAndGet();
    }

    void received(String type, String frameText) {
        synchronized (types) {
            keep(types, type);
            if (script.recordFrames() && frameText != null) {
                keep(frames, frameText);
            }
        }
    }

    private static void keep(ArrayDeque<String> list, String value) {
        if (list.size() == RECORDED_MAX) {
            list.pollFirst();
        }
        list.addLast(value);
    }

    /** Closes every connection and the listening socket; shuts the group down if the agent created it. */
    @Override
    public void close() {
        if (server != null) {
            server.close().awaitUninterruptibly(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        }
        channels.close().awaitUninterruptibly(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        if (ownsGroup) {
            group.shutdownGracefully(0, SHUTDOWN_SECONDS, TimeUnit.SECONDS)
                    .awaitUninterruptibly(SHUTDOWN_SECONDS * 2, TimeUnit.SECONDS);
        }
    }
}
