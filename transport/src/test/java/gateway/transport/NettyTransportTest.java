package gateway.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class NettyTransportTest {

    @Test
    void nioLoopsGetNioChannels() {
        EventLoopGroup group = NettyTransport.nio().newGroup(1, "nio-test");
        try {
            assertFalse(NettyTransport.epoll(group));
            assertEquals(NioDatagramChannel.class, NettyTransport.datagramChannel(group.next()));
            assertEquals(NioSocketChannel.class, NettyTransport.socketChannel(group.next()));
            assertEquals(NioServerSocketChannel.class, NettyTransport.serverChannel(group));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void epollLoopsGetEpollChannels() {
        Assumptions.assumeTrue(Epoll.isAvailable(), "native epoll not available here");
        NettyTransport best = NettyTransport.best();
        assertEquals("epoll", best.name());
        EventLoopGroup group = best.newGroup(1, "epoll-test");
        try {
            assertTrue(NettyTransport.epoll(group));
            assertTrue(NettyTransport.epoll(group.next()));
            assertEquals(EpollDatagramChannel.class, NettyTransport.datagramChannel(group.next()));
            assertEquals(EpollSocketChannel.class, NettyTransport.socketChannel(group.next()));
            assertEquals(EpollServerSocketChannel.class, NettyTransport.serverChannel(group));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void nioCanBeForced() {
        String before = System.getProperty("gateway.transport");
        System.setProperty("gateway.transport", "nio");
        try {
            assertEquals("nio", NettyTransport.best().name());
        } finally {
            if (before == null) {
                System.clearProperty("gateway.transport");
            } else {
                System.setProperty("gateway.transport", before);
            }
        }
    }
}
