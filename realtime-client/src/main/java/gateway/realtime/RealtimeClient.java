package gateway.realtime;

import gateway.time.CallTimeline;
import gateway.transport.CallLogContext;
import gateway.transport.CallLogContextHandler;
import gateway.transport.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLException;

/**
 * Opens Realtime WebSockets ({@code ws://} or {@code wss://}) for calls. TLS trusts the JDK's default trust store,
 * or only the CA certificates of a file ({@link #trusting}), sends SNI and verifies the host name. The API key, when
 * given, goes only into {@code Authorization: Bearer}; logs show the URL with query values other than
 * {@code model}/{@code intent} masked, and "key: set/none".
 *
 * <p>Threading: {@link #connect} may be called from any thread. The socket is registered on the given event loop,
 * so the future completes and every listener callback runs there. The channel class follows the loop's I/O type:
 * epoll for an epoll loop, NIO otherwise. Host names are resolved on a small daemon pool, never on the loop.
 */
public final class RealtimeClient {

    private static final Logger LOG = System.getLogger(RealtimeClient.class.getName());
    public static final int DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
    /**
     * A session that sends nothing, not even a pong, for this long is dropped (the service pings about every 20 s,
     * and the gateway pings after half of it).
     */
    public static final int DEFAULT_IDLE_TIMEOUT_MS = 30_000;
    /**
     * Largest frame accepted from the server: its biggest events are audio deltas of a fraction of a second (4 MiB
     * is about 60 s of 24 kHz audio in Base64). A bigger frame is refused before it is buffered (close 1009).
     */
    static final int MAX_FRAME_BYTES = 4 << 20;
    /** Largest message after joining continuation frames: the same bound. */
    static final int MAX_MESSAGE_BYTES = MAX_FRAME_BYTES;
    /** The 101 response is headers only; anything bigger is not a WebSocket upgrade. */
    static final int MAX_HANDSHAKE_RESPONSE_BYTES = 64 << 10;
    /** Send backlog: unwritable above 4 MiB (about 40 s of Base64 audio); the connection is then dropped. */
    static final WriteBufferWaterMark SEND_BACKLOG = new WriteBufferWaterMark(1 << 20, 4 << 20);
    /** Host name lookups in flight at once; calls to one service share a cached answer. */
    private static final int RESOLVER_THREADS = 2;
    private static final long RESOLVER_IDLE_SECONDS = 30;

    private final SslContext ssl;
    private final int connectTimeoutMs;
    private final int idleTimeoutMs;
    private final int inputBatchMs;
    private final ThreadPoolExecutor resolver;
    private final LongAdder malformedEvents = new LongAdder();

    /** A client with JDK default trust and a {@value #DEFAULT_CONNECT_TIMEOUT_MS} ms connect timeout. */
    public RealtimeClient() {
        this(defaultSslContext(), DEFAULT_CONNECT_TIMEOUT_MS);
    }

    /** A client with the given TLS context (shared by all connections) and connect timeout (TCP+TLS+upgrade). */
    public RealtimeClient(SslContext ssl, int connectTimeoutMs) {
        this(ssl, connectTimeoutMs, DEFAULT_IDLE_TIMEOUT_MS);
    }

    /**
     * As above; an open session from which nothing arrives for {@code idleTimeoutMs} is dropped as lost: after half
     * of it without a frame the client pings, and a live server's pong (or any frame) keeps the session.
     */
    public RealtimeClient(SslContext ssl, int connectTimeoutMs, int idleTimeoutMs) {
        this(ssl, connectTimeoutMs, idleTimeoutMs, CallTimeline.FRAME_MS);
    }

    /**
     * As above; each connection sends the caller's audio in batches of {@code inputBatchMs} (a multiple of
     * {@link CallTimeline#FRAME_MS}; that value sends each 20 ms append as it is written; see {@link InputBatch}).
     */
    public RealtimeClient(SslContext ssl, int connectTimeoutMs, int idleTimeoutMs, int inputBatchMs) {
        if (!ssl.isClient()) {
            throw new IllegalArgumentException("need a client SslContext");
        }
        if (idleTimeoutMs < 2) {
            throw new IllegalArgumentException("idleTimeoutMs must be at least 2: " + idleTimeoutMs);
        }
        this.ssl = ssl;
        this.connectTimeoutMs = connectTimeoutMs;
        this.idleTimeoutMs = idleTimeoutMs;
        this.inputBatchMs = InputBatch.checked(inputBatchMs);
        this.resolver = new ThreadPoolExecutor(RESOLVER_THREADS, RESOLVER_THREADS, RESOLVER_IDLE_SECONDS,
                TimeUnit.SECONDS, new LinkedBlockingQueue<>(), new DefaultThreadFactory("realtime-dns", true));
        resolver.allowCoreThreadTimeOut(true);
    }

    /** A client TLS context: JDK default trust managers, host name verification on. */
    public static SslContext defaultSslContext() {
        try {
            return SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS").build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot create the TLS context", e);
        }
    }

    /**
     * A client TLS context that trusts only the CA certificates in {@code caPemFile} (PEM, one or more), instead of
     * the JDK's trust store, for a service behind a private CA; host name verification stays on.
     *
     * @throws IllegalArgumentException if the file holds no usable certificate
     */
    public static SslContext sslContextTrusting(Path caPemFile) {
        try {
            return SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS")
                    .trustManager(caPemFile.toFile()).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot trust the CA certificates of " + caPemFile + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The gateway's client: trusting the JDK's store when {@code caPemFileOrNull} is null, else only that file's
     * CAs ({@link #sslContextTrusting}); a {@value #DEFAULT_CONNECT_TIMEOUT_MS} ms connect timeout.
     */
    public static RealtimeClient trusting(Path caPemFileOrNull) {
        return trusting(caPemFileOrNull, DEFAULT_IDLE_TIMEOUT_MS);
    }

    /** As {@link #trusting(Path)}, dropping a session silent for {@code idleTimeoutMs}. */
    public static RealtimeClient trusting(Path caPemFileOrNull, int idleTimeoutMs) {
        return trusting(caPemFileOrNull, idleTimeoutMs, CallTimeline.FRAME_MS);
    }

    /** As {@link #trusting(Path, int)}, sending the caller's audio in batches of {@code inputBatchMs}. */
    public static RealtimeClient trusting(Path caPemFileOrNull, int idleTimeoutMs, int inputBatchMs) {
        return new RealtimeClient(caPemFileOrNull == null ? defaultSslContext() : sslContextTrusting(caPemFileOrNull),
                DEFAULT_CONNECT_TIMEOUT_MS, idleTimeoutMs, inputBatchMs);
    }

    /** Server frames that were not a JSON event, on every connection since start: each was logged and skipped. */
    public long malformedEvents() {
        return malformedEvents.sum();
    }

    /**
     * Connects and performs the WebSocket upgrade. The future completes on {@code loop} with an open connection, or
     * fails (bad URL, DNS, TCP, TLS, non-101 answer, timeout); {@link RealtimeListener#onClosed} is called only for
     * connections that opened.
     */
    public CompletableFuture<RealtimeConnection> connect(URI url, String apiKeyOrNull, EventLoop loop,
                                                         RealtimeListener listener) {
        CompletableFuture<RealtimeConnection> result = new CompletableFuture<>();
        Target target;
        try {
            target = Target.of(url);
        } catch (IllegalArgumentException e) {
            result.completeExceptionally(e);
            return result;
        }
        boolean keySet = apiKeyOrNull != null && !apiKeyOrNull.isEmpty();
        LOG.log(Level.INFO, "Connecting to {0} (key: {1})", target.redacted(), keySet ? "set" : "none");
        // The socket logs as the call that opens it, from the connect to its last event.
        CallLogContext.Ids ids = CallLogContext.current();
        loop.execute(() -> CallLogContext.run(ids, () -> {
            ScheduledFuture<?> deadline = loop.schedule(() -> {
                result.completeExceptionally(new TimeoutException("no Realtime session within " + connectTimeoutMs
                        + " ms: " + target.redacted()));
            }, connectTimeoutMs, TimeUnit.MILLISECONDS);
            result.whenComplete((c, e) -> deadline.cancel(false));
            resolve(target.host()).whenComplete((address, error) -> loop.execute(() -> CallLogContext.run(ids, () -> {
                if (error != null) {
                    result.completeExceptionally(error);
                } else if (!result.isDone()) {
                    open(target, address, keySet ? apiKeyOrNull : null, loop, listener, result, ids);
                }
            })));
        }));
        return result;
    }

    private CompletableFuture<InetAddress> resolve(String host) {
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
        if (literal != null) {
            try {
                return CompletableFuture.completedFuture(InetAddress.getByAddress(host, literal));
            } catch (UnknownHostException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, resolver);
    }

    private void open(Target target, InetAddress address, String apiKey, EventLoop loop, RealtimeListener listener,
                      CompletableFuture<RealtimeConnection> result, CallLogContext.Ids ids) {
        HttpHeaders headers = new DefaultHttpHeaders();
        if (apiKey != null) {
            headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + apiKey);
        }
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(target.uri())
                .version(WebSocketVersion.V13)
                .customHeaders(headers)
                .maxFramePayloadLength(MAX_FRAME_BYTES)
                .handleCloseFrames(false)
                // Every close frame we send is our own (RealtimeConnection.close, the echo of the server's). Netty's
                // would say 1000 "Bye" whenever the socket is dropped for a fault: a lie to the server about why.
                .sendCloseFrame(null)
                .dropPongFrames(true)
                .handshakeTimeoutMillis(connectTimeoutMs)
                .absoluteUpgradeUrl(false)
                .generateOriginHeader(false)
                // Netty's UTF-8 check walks every byte of every text frame (a tenth of a media loop's time under
                // load); Jackson decodes the same bytes as UTF-8 and rejects a bad frame anyway (ServerEventParser).
                .withUTF8Validator(false)
                .build();
        ChannelFuture connected = new Bootstrap()
                .group(loop)
                .channel(NettyTransport.socketChannel(loop))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMs)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, SEND_BACKLOG)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        // First, so that any bytes from the server, pongs and TLS records included, count as life.
                        p.addLast(new IdleStateHandler(idleTimeoutMs / 2, 0, 0, TimeUnit.MILLISECONDS));
                        if (ids != null) {
                            // Next, so that its idle events too are handled with the call's ids.
                            p.addLast(new CallLogContextHandler(ids));
                        }
                        if (target.tls()) {
                            p.addLast(ssl.newHandler(ch.alloc(), target.host(), target.port()));
                        }
                        p.addLast(new HttpClientCodec());
                        p.addLast(new HttpObjectAggregator(MAX_HANDSHAKE_RESPONSE_BYTES));
                        p.addLast(new WebSocketClientProtocolHandler(config));
                        p.addLast(new WebSocketFrameAggregator(MAX_MESSAGE_BYTES));
                        p.addLast(new RealtimeSocketHandler(result, listener, target.redacted(),
                                idleTimeoutMs, inputBatchMs, malformedEvents));
                    }
                })
                .connect(new InetSocketAddress(address, target.port()));
        Channel channel = connected.channel();
        connected.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
            }
        });
        result.whenComplete((c, e) -> {
            if (e != null) {
                channel.close();
            }
        });
    }

    /** A parsed Realtime URL. */
    record Target(URI uri, boolean tls, String host, int port, String redacted) {

        private static final int WS_PORT = 80;
        private static final int WSS_PORT = 443;

        static Target of(URI url) {
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!scheme.equals("ws") && !scheme.equals("wss")) {
                throw new IllegalArgumentException("Realtime URL must be ws:// or wss://, got scheme '" + scheme + "'");
            }
            String host = url.getHost();
            if (host == null || host.isEmpty()) {
                throw new IllegalArgumentException("Realtime URL has no host");
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            boolean tls = scheme.equals("wss");
            int port = url.getPort() > 0 ? url.getPort() : tls ? WSS_PORT : WS_PORT;
            return new Target(url, tls, host, port, redact(url));
        }

        /** The URL without user info or fragment, with query values other than model and intent masked. */
        static String redact(URI url) {
            StringBuilder s = new StringBuilder().append(url.getScheme()).append("://").append(url.getHost());
            if (url.getPort() > 0) {
                s.append(':').append(url.getPort());
            }
            s.append(url.getRawPath() == null ? "" : url.getRawPath());
            String query = url.getRawQuery();
            if (query != null && !query.isEmpty()) {
                char sep = '?';
                for (String pair : query.split("&")) {
                    int eq = pair.indexOf('=');
                    String name = eq < 0 ? pair : pair.substring(0, eq);
                    boolean shown = name.equals("model") || name.equals("intent");
                    s.append(sep).append(name);
                    if (eq >= 0) {
                        s.append('=').append(shown ? pair.substring(eq + 1) : "***");
                    }
                    sep = '&';
                }
            }
            return s.toString();
        }
    }
}
