package gateway.sip;

import gateway.time.Scheduler;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The gateway's SIP user-agent server: UDP and TCP on one port, Netty for I/O, jain-sip only for parsing.
 *
 * <p>Channel classes follow the caller's group: an {@link IoEventLoopGroup} whose I/O type is {@link EpollIoHandler}
 * gets epoll channels, anything else NIO channels.
 *
 * <p>Threading: the UDP channel's event loop is the one SIP loop; all transactions, dialogs, timers and
 * {@link CallHandler}/{@link CallListener} callbacks run there. TCP connections may live on other loops and hand
 * parsed messages to it. UDP responses go to the datagram's source address and port (RFC 3581 style), which is
 * right behind NAT and for every well-behaved client; TCP responses go back on the same connection.
 */
public final class SipServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SipServer.class.getName());
    /** Attempts to find an ephemeral port free for both UDP and TCP before giving up. */
    static final int EPHEMERAL_BIND_ATTEMPTS = 10;

    private final Channel udp;
    private final Channel tcp;
    private final ChannelGroup connections;
    private final SipCore core;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SipServer(Channel udp, Channel tcp, ChannelGroup connections, SipCore core) {
        this.udp = udp;
        this.tcp = tcp;
        this.connections = connections;
        this.core = core;
    }

    /** Binds UDP then TCP on the same port (retrying when port 0 picked a number TCP cannot have) and starts serving. */
    public static CompletableFuture<SipServer> start(SipServerSettings settings, EventLoopGroup group, CallHandler handler) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(handler, "handler");
        CompletableFuture<SipServer> result = new CompletableFuture<>();
        bind(settings, group, handler, EPHEMERAL_BIND_ATTEMPTS, result);
        return result;
    }

    private static void bind(SipServerSettings settings, EventLoopGroup group, CallHandler handler, int attemptsLeft,
                             CompletableFuture<SipServer> result) {
        boolean epoll = group instanceof IoEventLoopGroup io && io.isIoType(EpollIoHandler.class);
        Class<? extends DatagramChannel> datagramClass = epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
        Class<? extends ServerChannel> serverClass = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        SipMessageParser parser = new SipMessageParser();
        SipCore[] coreHolder = new SipCore[1];

        Bootstrap udpBootstrap = new Bootstrap().group(group).channel(datagramClass)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        SipCore core = new SipCore(settings, handler, Scheduler.on(ch.eventLoop()), ch.eventLoop(),
                                () -> ((InetSocketAddress) ch.localAddress()).getPort(), TcpConnector.NONE);
                        coreHolder[0] = core;
                        SipPipelines.udp(ch.pipeline(), parser, new SipDispatcher(core));
                    }
                });
        ChannelFuture udpBind = udpBootstrap.bind(new InetSocketAddress(settings.listenAddress(), settings.port()));
        udpBind.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
                return;
            }
            Channel udp = udpBind.channel();
            SipCore core = coreHolder[0];
            SipDispatcher dispatcher = new SipDispatcher(core);
            int port = ((InetSocketAddress) udp.localAddress()).getPort();
            ChannelGroup connections = new DefaultChannelGroup(udp.eventLoop());
            ServerBootstrap tcpBootstrap = new ServerBootstrap().group(group).channel(serverClass)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            connections.add(ch);
                            SipPipelines.tcp(ch.pipeline(), parser, dispatcher, true);
                        }
                    });
            ChannelFuture tcpBind = tcpBootstrap.bind(new InetSocketAddress(settings.listenAddress(), port));
            tcpBind.addListener(t -> {
                if (t.isSuccess()) {
                    LOG.log(System.Logger.Level.INFO, "SIP listening on {0} port {1} (UDP+TCP)", settings.listenAddress(), String.valueOf(port));
                    result.complete(new SipServer(udp, tcpBind.channel(), connections, core));
                    return;
                }
                udp.close();
                if (settings.port() == 0 && attemptsLeft > 1) {
                    bind(settings, group, handler, attemptsLeft - 1, result);
                } else {
                    result.completeExceptionally(t.cause());
                }
            });
        });
    }

    /** The bound UDP port. */
    public int udpPort() {
        return ((InetSocketAddress) udp.localAddress()).getPort();
    }

    /** The bound TCP port (equal to {@link #udpPort()}). */
    public int tcpPort() {
        return ((InetSocketAddress) tcp.localAddress()).getPort();
    }

    /** Stops listening, ends all calls locally (listeners get onTerminated) and closes the channels; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        core.onLoop(core::close);
        tcp.close();
        connections.close();
        udp.close();
    }
}
