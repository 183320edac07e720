package gateway.bridge.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Serves {@code GET /health} (200 when ready, else 503) and {@code GET /metrics} (Prometheus text). */
public final class AdminHttpServer implements AutoCloseable {

    /** Requests are tiny GETs; anything larger is refused by the aggregator. */
    private static final int MAX_REQUEST_BYTES = 8192;

    private final Channel channel;

    private AdminHttpServer(Channel channel) {
        this.channel = channel;
    }

    /** Binds and starts serving; blocks the caller (not an event loop) until bound. */
    public static AdminHttpServer start(String host, int port, EventLoopGroup group,
                                        Class<? extends ServerChannel> channelType,
                                        BooleanSupplier ready, Supplier<String> metrics) throws InterruptedException {
        Handler handler = new Handler(ready, metrics);
        Channel ch = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_REQUEST_BYTES), handler);
                    }
                })
                .bind(host, port).sync().channel();
        return new AdminHttpServer(ch);
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }

    @ChannelHandler.Sharable
    static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final BooleanSupplier ready;
        private final Supplier<String> metrics;

        Handler(BooleanSupplier ready, Supplier<String> metrics) {
            this.ready = ready;
            this.metrics = metrics;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String path = new QueryStringDecoder(request.uri()).path();
            FullHttpResponse response;
            if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
                response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed\n", "text/plain");
                response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            } else if (path.equals("/health")) {
                response = ready.getAsBoolean()
                        ? text(HttpResponseStatus.OK, "ok\n", "text/plain")
                        : text(HttpResponseStatus.SERVICE_UNAVAILABLE, "starting or stopping\n", "text/plain");
            } else if (path.equals("/metrics")) {
                response = text(HttpResponseStatus.OK, metrics.get(), "text/plain; version=0.0.4; charset=utf-8");
            } else {
                response = text(HttpResponseStatus.NOT_FOUND, "not found\n", "text/plain");
            }
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpUtil.setKeepAlive(response, keepAlive);
            if (keepAlive) {
                ctx.writeAndFlush(response);
            } else {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        private static FullHttpResponse text(HttpResponseStatus status, String body, String contentType) {
            ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
            return r;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
