package gateway.testkit;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DefaultSocketChannelConfig;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketChannelConfig;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;

/**
 * An {@link EmbeddedChannel} that is a TCP connection from {@code remote} to {@code local}, so that a
 * {@code ChannelInitializer<SocketChannel>} builds its real pipeline on it and handlers see the client's address. No
 * operating-system socket is behind it; its socket options are the defaults and cannot be set, and half-closing it
 * closes it.
 */
public final class EmbeddedSocketChannel extends EmbeddedChannel implements SocketChannel {

    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    /** Made on first use: the superclass's constructor may ask for it before this one's fields are set. */
    private SocketChannelConfig config;

    public EmbeddedSocketChannel(InetSocketAddress local, InetSocketAddress remote) {
        super(false, false);
        this.local = local;
        this.remote = remote;
        try {
            register();
        } catch (Exception e) {
            throw new IllegalStateException("an embedded channel could not register", e);
        }
    }

    @Override
    public ServerSocketChannel parent() {
        return null;
    }

    @Override
    public SocketChannelConfig config() {
        if (config == null) {
            config = new DefaultSocketChannelConfig(this, new Socket()) {
                @Override
                public SocketChannelConfig setTcpNoDelay(boolean tcpNoDelay) {
                    return this; // there is no OS socket to set it on (and none is made for it)
                }
            };
        }
        return config;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    protected SocketAddress localAddress0() {
        return local;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return remote;
    }

    @Override
    public boolean isInputShutdown() {
        return !isActive();
    }

    @Override
    public ChannelFuture shutdownInput() {
        return close();
    }

    @Override
    public ChannelFuture shutdownInput(ChannelPromise promise) {
        return close(promise);
    }

    @Override
    public boolean isOutputShutdown() {
        return !isActive();
    }

    @Override
    public ChannelFuture shutdownOutput() {
        return close();
    }

    @Override
    public ChannelFuture shutdownOutput(ChannelPromise promise) {
        return close(promise);
    }

    @Override
    public boolean isShutdown() {
        return !isActive();
    }

    @Override
    public ChannelFuture shutdown() {
        return close();
    }

    @Override
    public ChannelFuture shutdown(ChannelPromise promise) {
        return close(promise);
    }
}
