package gateway.bridge;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/** The Netty transport for this machine: native epoll on Linux when it loads, else NIO. */
record Transport(String name, IoHandlerFactory ioHandlers, Class<? extends ServerChannel> serverChannel) {

    /** Set {@code -Dgateway.transport=nio} to force NIO. */
    static Transport best() {
        boolean nio = "nio".equalsIgnoreCase(System.getProperty("gateway.transport"));
        if (!nio && Epoll.isAvailable()) {
            return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
        }
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class);
    }

    EventLoopGroup newGroup(int threads, String threadName) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadName, true), ioHandlers);
    }
}
