package gateway.qa;

import gateway.library.CallLibrary;
import gateway.transport.NettyTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The gateway's one HTTP listener: {@code /health}, {@code /metrics}, the QA API {@code /api/calls} (with the active
 * calls API) and the QA page at {@code /}, on an event loop group of its own (never the SIP or media loops).
 *
 * <p>Threading: the event loop parses, checks and routes; reading the store (files, the index) runs on
 * {@value #IO_THREADS} daemon threads "http-io" with a queue of {@value #IO_QUEUE} tasks (beyond that a request
 * gets 503), an export archive on one thread of its own ("http-export"), and responses are written back through the
 * channel.
 */
public final class HttpServer implements AutoCloseable {

    /** Threads reading recordings for the API: the box has two cores and the calls come first. */
    static final int IO_THREADS = 2;
    /** Requests waiting for an I/O thread before new ones are refused with 503. */
    static final int IO_QUEUE = 64;
    private static final long IO_SHUTDOWN_SECONDS = 2;

    /**
     * What the listener serves; {@code notReady} says why the gateway takes no calls now (empty when it does) and
     * must not block: it is asked on the event loop. {@code active}: the calls in progress for the active calls API.
     */
    public record Endpoints(Supplier<String> notReady, Supplier<String> metrics, CallLibrary library, LiveCalls live,
                            ActiveCalls active) {

        /** Endpoints without the active calls API's calls (tests of the stored side). */
        public Endpoints(Supplier<String> notReady, Supplier<String> metrics, CallLibrary library, LiveCalls live) {
            this(notReady, metrics, library, live, ActiveCalls.NONE);
        }
    }

    /**
     * Where the API keeps its own records: the audit log in {@code <dir>/.audit} and the share links' ledger (and
     * generated key, unless {@code shareKey} is set) in {@code <dir>/.shares}, {@code dir} being the recordings
     * directory; {@code clock} times audit events and share-link expiry; {@code scorecard} is the review form and
     * {@code auditRetentionDays} how long audit day files are kept (0: for ever).
     */
    public record Records(Path dir, String shareKey, InstantSource clock, Scorecard scorecard,
                          int auditRetentionDays) {

        /** Records of {@code dir} on the system clock with a generated share key. */
        public Records(Path dir) {
            this(dir, "", InstantSource.system());
        }

        /** Records without a scorecard whose audit files are kept for ever. */
        public Records(Path dir, String shareKey, InstantSource clock) {
            this(dir, shareKey, clock, Scorecard.NONE, 0);
        }

        @Override
        public String toString() {
            return "Records[dir=" + dir + ", shareKey=" + (shareKey.isEmpty() ? "generated" : "set") + "]";
        }
    }

    private final Channel channel;
    private final ThreadPoolExecutor io;
    private final ThreadPoolExecutor export;
    private final AuditLog audit;

    private HttpServer(Channel channel, ThreadPoolExecutor io, ThreadPoolExecutor export, AuditLog audit) {
        this.channel = channel;
        this.io = io;
        this.export = export;
        this.audit = audit;
    }

    /**
     * Binds {@code host:port} and starts serving; blocks the caller (not an event loop) until bound. Reads the share
     * links' ledger (an unreadable ledger or key is an {@link IOException}).
     */
    public static HttpServer start(String host, int port, EventLoopGroup group, AccessPolicy policy,
                                   Endpoints endpoints, Records records) throws InterruptedException, IOException {
        ThreadPoolExecutor io = ioExecutor();
        ThreadPoolExecutor export = exportExecutor();
        AuditLog audit = AuditLog.in(records.dir().resolve(".audit"), records.clock(), records.auditRetentionDays());
        try {
            ShareLinks shares = ShareLinks.open(records.dir().resolve(".shares"), records.shareKey(),
                    records.clock());
            ListenTickets tickets = new ListenTickets(System::nanoTime);
            RequestRouter router = new RequestRouter(new AdminRoutes(endpoints.notReady(), endpoints.metrics()),
                    new CallsApi(endpoints.library(), endpoints.live(),
                            new ActiveCallsApi(endpoints.active(), InstantSource.system(), tickets, audit), audit,
                            shares, io, records.scorecard(), export),
                    new WebRoutes(WebAssets.load()), audit);
            Channel ch = new ServerBootstrap()
                    .group(group)
                    .channel(NettyTransport.serverChannel(group))
                    .childHandler(new HttpPipeline(new AccessGuard(policy, tickets, shares), router))
                    .bind(host, port).sync().channel();
            return new HttpServer(ch, io, export, audit);
        } catch (InterruptedException | IOException | RuntimeException e) {
            io.shutdownNow();
            export.shutdownNow();
            audit.close();
            throw e;
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        io.shutdown();
        export.shutdownNow();
        try {
            io.awaitTermination(IO_SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        audit.close();
    }

    /** The thread writing an export archive: one archive at a time, a second is refused (503) while it runs. */
    private static ThreadPoolExecutor exportExecutor() {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
            Thread t = new Thread(task, "http-export");
            t.setDaemon(true);
            return t;
        });
    }

    private static ThreadPoolExecutor ioExecutor() {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(IO_THREADS, IO_THREADS, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(IO_QUEUE), task -> {
                    Thread t = new Thread(task, "http-io-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }
}
