package gateway.sip;

import gateway.time.Cancellable;
import gateway.time.Clock;
import gateway.time.Scheduler;
import gateway.transport.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The gateway's SIP user-agent server: UDP and TCP on one port, TLS on another when configured, Netty for I/O,
 * jain-sip only for parsing. TCP and TLS connections may start with a PROXY protocol header from trusted addresses.
 *
 * <p>Channel classes follow the caller's group: an {@link IoEventLoopGroup} whose I/O type is {@link EpollIoHandler}
 * gets epoll channels, anything else NIO channels.
 *
 * <p>Threading: the UDP channel's event loop is the one SIP loop; all transactions, dialogs, timers and
 * {@link CallHandler}/{@link CallListener} callbacks run there. TCP connections may live on other loops and hand
 * parsed messages to it. UDP responses go to the datagram's source address and port (RFC 3581 style), which is
 * right behind NAT and for every well-behaved client; TCP responses go back on the same connection. Our own
 * requests (BYE) go back on the caller's connection while it is open, else on a new connection to the dialog's
 * next hop, opened on the same group with the same pipeline.
 */
public final class SipServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SipServer.class.getName());
    /** Attempts to find an ephemeral port free for both UDP and TCP before giving up. */
    static final int EPHEMERAL_BIND_ATTEMPTS = 10;
    /**
     * The UDP socket's receive buffer: the kernel queue a flood shares with legitimate callers. At 20,000 INVITEs a
     * second (about 2 KB of kernel memory each) 4 MB holds some 100 ms, so a moment in which the SIP thread does not
     * run (a collection, a busy core) drops nothing; the kernel caps it at net.core.rmem_max.
     */
    static final int UDP_RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;
    /** A TCP connection for our request must be up within timer F (64*T1), the time the request itself gets. */
    static final int CONNECT_TIMEOUT_MILLIS = (int) (SipTimers.TIMEOUT / 1_000_000L);

    private final Channel udp;
    private final Channel tcp;
    private volatile Channel tls;
    private final ChannelGroup connections;
    private final ConnectionCaps caps;
    private final SipCore core;
    private final Cancellable summaries;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SipServer(Channel udp, Channel tcp, ChannelGroup connections, ConnectionCaps caps, SipCore core,
                      Cancellable summaries) {
        this.udp = udp;
        this.tcp = tcp;
        this.connections = connections;
        this.caps = caps;
        this.core = core;
        this.summaries = summaries;
    }

    /**
     * Binds UDP then TCP on the same port (retrying when port 0 picked a number TCP cannot have) and starts serving.
     */
    public static CompletableFuture<SipServer> start(SipServerSettings settings, EventLoopGroup group,
                                                     CallHandler handler) {
        return start(settings, AccessSettings.OPEN, group, handler);
    }

    /** As {@link #start(SipServerSettings, EventLoopGroup, CallHandler)}, admitting requests as {@code access} says. */
    public static CompletableFuture<SipServer> start(SipServerSettings settings, AccessSettings access,
                                                     EventLoopGroup group, CallHandler handler) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(handler, "handler");
        CompletableFuture<SipServer> result = new CompletableFuture<>();
        bind(settings, access, group, handler, EPHEMERAL_BIND_ATTEMPTS, result);
        return result;
    }

    private static void bind(SipServerSettings settings, AccessSettings access, EventLoopGroup group,
                             CallHandler handler, int attemptsLeft, CompletableFuture<SipServer> result) {
        SipMessageParser parser = new SipMessageParser();
        RequestAdmission admission = new RequestAdmission(access, Clock.system());
        EventLoop sipLoop = group.next();
        Class<? extends DatagramChannel> datagramClass = NettyTransport.datagramChannel(sipLoop);
        Class<? extends ServerChannel> serverClass = NettyTransport.serverChannel(group);
        Class<? extends SocketChannel> socketClass = NettyTransport.socketChannel(sipLoop);
        ChannelGroup connections = new DefaultChannelGroup(sipLoop);
        // The dispatcher needs the core and the core needs the connector, whose connections need the dispatcher.
        SipDispatcher[] dispatcher = new SipDispatcher[1];
        AdmissionHandler[] admissionHandler = new AdmissionHandler[1];
        SipSecurity security = settings.security();
        boolean proxyProtocol = security.proxyProtocol();
        ConnectionCaps caps = new ConnectionCaps(settings.connections(),
                proxyProtocol ? security.proxyTrusted() : address -> false);
        Accepted tcpPipeline = new Accepted(connections, caps, admissionHandler, parser, dispatcher, Transport.TCP,
                settings);
        Bootstrap tcpClient = new Bootstrap().group(group).channel(socketClass)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS);
        SipCore[] core = new SipCore[1];
        Bootstrap udpBootstrap = new Bootstrap().group(sipLoop).channel(datagramClass)
                .option(ChannelOption.SO_RCVBUF, UDP_RECEIVE_BUFFER_BYTES)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        core[0] = new SipCore(settings, admission, handler, Scheduler.on(ch.eventLoop()),
                                ch.eventLoop(), () -> ch.localAddress().getPort(),
                                (transport, remote) -> connect(tcpClient, connections, admissionHandler[0], parser,
                                        dispatcher[0], transport, settings, remote));
                        dispatcher[0] = new SipDispatcher(core[0]);
                        admissionHandler[0] = new AdmissionHandler(admission, core[0]);
                        SipPipelines.udp(ch.pipeline(), admissionHandler[0], parser, dispatcher[0]);
                    }
                });
        ChannelFuture udpBind = udpBootstrap.bind(new InetSocketAddress(settings.listenAddress(), settings.port()));
        udpBind.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
                return;
            }
            Channel udp = udpBind.channel();
            int port = ((InetSocketAddress) udp.localAddress()).getPort();
            ServerBootstrap tcpBootstrap = new ServerBootstrap().group(group).channel(serverClass)
                    .childHandler(tcpPipeline);
            ChannelFuture tcpBind = tcpBootstrap.bind(new InetSocketAddress(settings.listenAddress(), port));
            tcpBind.addListener(t -> {
                if (t.isSuccess()) {
                    int receiveBuffer = ((DatagramChannel) udp).config().getReceiveBufferSize();
                    LOG.log(System.Logger.Level.INFO, "SIP listening on {0} port {1} (UDP+TCP), UDP receive buffer {2}"
                                    + " KB{3}", settings.listenAddress(), String.valueOf(port), receiveBuffer / 1024,
                            receiveBuffer < UDP_RECEIVE_BUFFER_BYTES
                                    ? " (capped by net.core.rmem_max; raise it to ride out floods)" : "");
                    long interval = TimeUnit.SECONDS.toNanos(RequestAdmission.SUMMARY_INTERVAL_SECONDS);
                    Cancellable summaries = Scheduler.on(sipLoop).scheduleAtFixedRate(admission::summarise,
                            interval, interval);
                    SipServer server = new SipServer(udp, tcpBind.channel(), connections, caps, core[0], summaries);
                    if (security.tls() == null) {
                        result.complete(server);
                    } else {
                        server.bindTls(settings, group, serverClass, new Accepted(connections, caps,
                                admissionHandler, parser, dispatcher, Transport.TLS, settings), result);
                    }
                    return;
                }
                udp.close();
                if (settings.port() == 0 && attemptsLeft > 1) {
                    bind(settings, access, group, handler, attemptsLeft - 1, result);
                } else {
                    result.completeExceptionally(t.cause());
                }
            });
        });
    }

    /**
     * The pipeline of an accepted connection on the TCP or TLS listener, once the {@link ConnectionCaps} give it a
     * place; beyond a cap the connection is closed at once, before any byte of it is read.
     */
    private static final class Accepted extends ChannelInitializer<SocketChannel> {

        private final ChannelGroup connections;
        private final ConnectionCaps caps;
        private final AdmissionHandler[] admission;
        private final SipMessageParser parser;
        private final SipDispatcher[] dispatcher;
        private final Transport transport;
        private final SipServerSettings settings;

        Accepted(ChannelGroup connections, ConnectionCaps caps, AdmissionHandler[] admission,
                 SipMessageParser parser, SipDispatcher[] dispatcher, Transport transport,
                 SipServerSettings settings) {
            this.connections = connections;
            this.caps = caps;
            this.admission = admission;
            this.parser = parser;
            this.dispatcher = dispatcher;
            this.transport = transport;
            this.settings = settings;
        }

        @Override
        protected void initChannel(SocketChannel ch) {
            InetSocketAddress remote = ch.remoteAddress();
            if (remote == null) {
                ch.close();                 // reset before it was set up: nothing to serve, nothing to count
                return;
            }
            InetAddress source = remote.getAddress();
            if (!caps.take(source)) {
                ch.close();
                admission[0].overCap(source);
                return;
            }
            ch.closeFuture().addListener(f -> caps.release(source));
            connections.add(ch);
            SipSecurity security = settings.security();
            SipPipelines.accepted(ch, admission[0], parser, dispatcher[0], transport, security,
                    security.proxyProtocol(), settings.connections().messageTimeout());
        }
    }

    /** Binds the TLS listener (RFC 3261 §26.2) on its own port once UDP and TCP are up; on failure all close. */
    private void bindTls(SipServerSettings settings, EventLoopGroup group, Class<? extends ServerChannel> serverClass,
                         ChannelInitializer<SocketChannel> pipeline, CompletableFuture<SipServer> result) {
        SipTls config = settings.security().tls();
        ChannelFuture bind = new ServerBootstrap().group(group).channel(serverClass).childHandler(pipeline)
                .bind(new InetSocketAddress(settings.listenAddress(), config.port()));
        bind.addListener(f -> {
            if (!f.isSuccess()) {
                close();
                result.completeExceptionally(f.cause());
                return;
            }
            tls = bind.channel();
            core.onLoop(() -> core.tlsPort(tlsPort()));
            LOG.log(System.Logger.Level.INFO, "SIP listening on {0} port {1} (TLS)", settings.listenAddress(),
                    String.valueOf(tlsPort()));
            result.complete(this);
        });
    }

    /**
     * Opens a TCP or TLS connection for a request of ours (RFC 3261 §18.1.1); responses come back through the
     * dispatcher. A TLS connection counts once its handshake (the remote's certificate checked) is done.
     */
    private static CompletableFuture<SipPeer> connect(Bootstrap client, ChannelGroup connections,
            AdmissionHandler admission, SipMessageParser parser, SipDispatcher dispatcher, Transport transport,
            SipServerSettings settings, InetSocketAddress remote) {
        SipSecurity security = settings.security();
        CompletableFuture<SipPeer> connected = new CompletableFuture<>();
        if (transport == Transport.TLS && security.tls() == null) {
            connected.completeExceptionally(new IllegalStateException("no TLS configured"));
            return connected;
        }
        ChannelFuture future = client.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                connections.add(ch);
                SipPipelines.connected(ch, admission, parser, dispatcher, transport, security, remote,
                        settings.connections().messageTimeout());
            }
        }).connect(remote);
        future.addListener(f -> {
            if (!f.isSuccess()) {
                connected.completeExceptionally(f.cause());
                return;
            }
            SslHandler tls = future.channel().pipeline().get(SslHandler.class);
            if (tls == null) {
                connected.complete(new SipPeer(transport, future.channel(), remote));
                return;
            }
            tls.handshakeFuture().addListener(h -> {
                if (h.isSuccess()) {
                    connected.complete(new SipPeer(transport, future.channel(), remote));
                } else {
                    future.channel().close();
                    connected.completeExceptionally(h.cause());
                }
            });
        });
        return connected;
    }

    /** The bound UDP port. */
    public int udpPort() {
        return ((InetSocketAddress) udp.localAddress()).getPort();
    }

    /** The bound TCP port (equal to {@link #udpPort()}). */
    public int tcpPort() {
        return ((InetSocketAddress) tcp.localAddress()).getPort();
    }

    /** The bound TLS port, or -1 without TLS. */
    public int tlsPort() {
        Channel listener = tls;
        return listener == null ? -1 : ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /**
     * Starts registering with each of {@code registrations} (RFC 3261 §10), refreshing and retrying on the SIP
     * loop for as long as the server runs; their states are in {@link #registrations()}.
     */
    public void register(List<RegistrationSettings> registrations) {
        List<RegistrationSettings> copy = List.copyOf(registrations);
        core.onLoop(() -> core.register(copy, HostResolver.SYSTEM, udp));
    }

    /** Where each registration stands; any thread. */
    public List<RegistrationStatus> registrations() {
        return core.registrations().status();
    }

    /** The TCP and TLS connections callers hold open now (ours to other hosts not counted); any thread. */
    public int openConnections() {
        return caps.open();
    }

    /** The requests refused before they became calls, and what digest authentication decided; any thread. */
    public AdmissionCounters admissionCounters() {
        return core.admission().counters();
    }

    /** Stops listening, ends all calls locally (listeners get onTerminated) and closes the channels; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        summaries.cancel();
        core.onLoop(core::close);
        tcp.close();
        Channel listener = tls;
        if (listener != null) {
            listener.close();
        }
        connections.close();
        udp.close();
    }
}
