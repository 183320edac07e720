package gateway.transport;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * The Netty transport: native epoll on Linux when it loads, else NIO. The choice is made once, by {@link #best()},
 * when the gateway creates its event loop groups; every channel then takes the class that its own loop's I/O
 * handler drives ({@link #datagramChannel}, {@link #socketChannel}, {@link #serverChannel}), so code handed a NIO
 * group by a test gets NIO channels without asking.
 */
public record NettyTransport(String name, IoHandlerFactory ioHandlers) {

    /** The transport for this machine. Set {@code -Dgateway.transport=nio} to force NIO. */
    public static NettyTransport best() {
        boolean nio = "nio".equalsIgnoreCase(System.getProperty("gateway.transport"));
        if (!nio && Epoll.isAvailable()) {
            return new NettyTransport("epoll", EpollIoHandler.newFactory());
        }
        return nio();
    }

    /** Plain Java NIO, available everywhere. */
    public static NettyTransport nio() {
        return new NettyTransport("nio", NioIoHandler.newFactory());
    }

    /** A group of {@code threads} daemon loops named {@code threadName-…}. */
    public EventLoopGroup newGroup(int threads, String threadName) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadName, true), ioHandlers);
    }

    /**
     * A group of {@code threads} daemon loops named {@code threadName-…} whose threads each ask for real-time
     * scheduling ({@code SCHED_FIFO} at {@code realtimePriority}, see {@link RealtimeScheduling}) as they start, and
     * hand the answer to {@code outcomes} on their own thread; 0 asks for nothing and gives the same group as
     * {@link #newGroup(int, String)}. A loop's thread starts with its first task.
     */
    public EventLoopGroup newGroup(int threads, String threadName, int realtimePriority,
            Consumer<RealtimeScheduling.Outcome> outcomes) {
        if (realtimePriority == 0) {
            return newGroup(threads, threadName);
        }
        ThreadFactory plain = new DefaultThreadFactory(threadName, true);
        ThreadFactory realtime = task -> plain.newThread(() -> {
            outcomes.accept(RealtimeScheduling.requestForCurrentThread(realtimePriority));
            task.run();
        });
        return new MultiThreadIoEventLoopGroup(threads, realtime, ioHandlers);
    }

    /** The UDP channel class for {@code loop}. */
    public static Class<? extends DatagramChannel> datagramChannel(EventLoop loop) {
        return epoll(loop) ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }

    /** The TCP client channel class for {@code loop}. */
    public static Class<? extends SocketChannel> socketChannel(EventLoop loop) {
        return epoll(loop) ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** The TCP listening channel class for the loops of {@code group}. */
    public static Class<? extends ServerChannel> serverChannel(EventLoopGroup group) {
        return epoll(group) ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** True when {@code loop} (a loop or a group) is driven by the native epoll handler. */
    public static boolean epoll(EventLoopGroup loop) {
        return loop instanceof IoEventLoopGroup io && io.isIoType(EpollIoHandler.class);
    }
}
