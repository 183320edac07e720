package gateway.qa;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP pipeline, assembled here only:
 * <pre>
 * codec → idle timeout → aggregator → ExchangeSequencer → AccessGuard → RequestRouter
 * </pre>
 * Bytes become bounded requests, requests become {@link Exchange}s answered one at a time in order, the guard
 * admits or refuses them, and the router hands them to their resource.
 */
final class HttpPipeline extends ChannelInitializer<SocketChannel> {

    /** Request line limit: a 128-character id and a full query fit many times over. */
    static final int MAX_INITIAL_LINE = 4096;
    static final int MAX_HEADER_BYTES = 8192;
    /**
     * A connection with no traffic either way for this long is closed. Output progress counts as traffic (the
     * handler observes it), so a long zero-copy download to a slow player is not cut.
     */
    static final int IDLE_SECONDS = 60;
    private static final boolean OBSERVE_OUTPUT = true;

    private final AccessGuard guard;
    private final RequestRouter router;
    private final IdleConnectionCloser idleCloser = new IdleConnectionCloser();

    HttpPipeline(AccessGuard guard, RequestRouter router) {
        this.guard = guard;
        this.router = router;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        channel.pipeline().addLast(
                new HttpServerCodec(new HttpDecoderConfig()
                        .setMaxInitialLineLength(MAX_INITIAL_LINE)
                        .setMaxHeaderSize(MAX_HEADER_BYTES)),
                new IdleStateHandler(OBSERVE_OUTPUT, 0, 0, IDLE_SECONDS, TimeUnit.SECONDS),
                idleCloser,
                new BoundedRequestAggregator(),
                new ExchangeSequencer(),
                guard,
                router);
    }
}
