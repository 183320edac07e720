package gateway.bridge;

import gateway.bridge.call.EndReason;
import gateway.bridge.metrics.GatewayMetrics;
import gateway.config.GatewayConfig;
import gateway.library.CallLibrary;
import gateway.library.LocalCallStore;
import gateway.qa.AccessPolicy;
import gateway.qa.HttpServer;
import gateway.qa.LiveCalls;
import gateway.storage.ObjectStorage;
import gateway.storage.Retention;
import gateway.transport.NettyTransport;
import io.netty.channel.EventLoopGroup;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A QA-only instance ({@code ./gateway --qa-only}, {@code qa.only: true}): the HTTP listener with health, metrics, the
 * QA API and page over the calls of the bucket, kept current as the gateways upload ({@code
 * storage.s3.index-refresh-seconds}), and of {@code recordings.dir} when it holds any. It opens no SIP listener, no
 * RTP port and no Realtime connection, uploads nothing and deletes nothing unless {@code recordings.retention-days}
 * is set; then retention starts (with its dry run) once the bucket has been listed, so the dry run names the
 * bucket's calls too. {@code /health/ready} answers 200 once the bucket has been listed (without a bucket, once the
 * local index is built).
 *
 * <p>Threads: one HTTP event loop with its "http-io" threads, the "call-index" thread, with a bucket the
 * "storage-refresh" thread that lists it (there is no upload thread: nothing is uploaded here), with a retention
 * period the "retention" thread.
 */
final class QaOnlyGateway implements AutoCloseable {

    private static final Logger LOG = System.getLogger(QaOnlyGateway.class.getName());

    private final EventLoopGroup httpGroup;
    private final ObjectStorage storage;
    private final CallLibrary library;
    private final HttpServer http;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Guarded by this: retention once started, and whether close came first. */
    private Retention retention;
    private boolean stopped;

    private QaOnlyGateway(EventLoopGroup httpGroup, ObjectStorage storage, CallLibrary library, HttpServer http) {
        this.httpGroup = httpGroup;
        this.storage = storage;
        this.library = library;
        this.http = http;
    }

    /** Starts the listener over the stored calls and returns once it serves. */
    static QaOnlyGateway start(GatewayConfig config) throws Exception {
        long t0 = System.nanoTime();
        NettyTransport transport = NettyTransport.best();
        EventLoopGroup httpGroup = transport.newGroup(1, "http");
        ObjectStorage storage = null;
        CallLibrary library = null;
        try {
            // The home of the QA API's own records (.audit, .shares), also when the calls are all in the bucket.
            Files.createDirectories(config.recordings().dir());
            if (config.storage().enabled()) {
                storage = ObjectStorage.reader(Gateway.storageSettings(config.storage()), config.recordings().dir());
                library = CallLibrary.open(storage.store());
                storage.keepIndexCurrent(library, Duration.ofSeconds(config.storage().indexRefreshSeconds()));
            } else {
                library = CallLibrary.open(new LocalCallStore(config.recordings().dir()));
            }
            library.watch(new LocalCallStore(config.recordings().dir()), id -> { });
            GatewayMetrics metrics = new GatewayMetrics(EndReason.labels());
            CallLibrary indexed = library;
            metrics.gauge("gateway_calls_indexed", "Finished calls in the QA API's call index", indexed::size);
            ObjectStorage bucket = storage;
            AccessPolicy access = Gateway.accessPolicy(config);
            HttpServer http = HttpServer.start(config.http().listen(), config.http().port(), httpGroup, access,
                    new HttpServer.Endpoints(() -> notReady(bucket, indexed), metrics::scrape, library,
                            LiveCalls.NONE),
                    new HttpServer.Records(config.recordings().dir(), config.http().shareKey(),
                            InstantSource.system()));
            LOG.log(Level.INFO, "QA API: {0}", access.describe());
            LOG.log(Level.INFO, "QA-only ready in {0} ms: no SIP, no RTP, no Realtime, no uploads; calls from {1}"
                            + "{2}; retention {3}; health, metrics, /api/calls and the QA page on http://{4}:{5},"
                            + " transport {6}", (System.nanoTime() - t0) / 1_000_000,
                    storage == null ? "" : "s3 bucket " + config.storage().bucket() + " (listed "
                            + (config.storage().indexRefreshSeconds() == 0 ? "at start only" : "every "
                            + config.storage().indexRefreshSeconds() + " s") + ") and ",
                    config.recordings().dir().toAbsolutePath(),
                    config.recordings().retains() ? config.recordings().retentionDays() + " days" : "off",
                    config.http().listen(), String.valueOf(http.port()), transport.name());
            QaOnlyGateway qa = new QaOnlyGateway(httpGroup, storage, library, http);
            if (config.recordings().retains()) {
                CompletableFuture<Void> listed = storage == null ? CompletableFuture.completedFuture(null)
                        : storage.firstListing();
                listed.thenRun(() -> qa.startRetention(config.recordings()));
            }
            return qa;
        } catch (Exception | Error e) {
            close(storage, library);
            httpGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Why {@code /health/ready} says no: the bucket not listed yet, or the local index not built; empty when ready. */
    static String notReady(ObjectStorage storage, CallLibrary library) {
        if (storage != null && !storage.listed()) {
            return "the bucket has not been listed yet";
        }
        if (!library.ready()) {
            return "the call index is being built";
        }
        return "";
    }

    /** Starts the retention sweeps, unless the instance has been closed meanwhile. */
    private synchronized void startRetention(GatewayConfig.Recordings recordings) {
        if (!stopped) {
            retention = Retention.start(library, recordings.retentionDays(),
                    Duration.ofMillis(recordings.retentionSweepMs()));
        }
    }

    int httpPort() {
        return http.port();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Gateway.closeQuietly(http);
        synchronized (this) {
            stopped = true;
            Gateway.closeQuietly(retention);
        }
        close(storage, library);
        httpGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        LOG.log(Level.INFO, "Stopped");
    }

    private static void close(AutoCloseable... parts) {
        for (AutoCloseable part : parts) {
            Gateway.closeQuietly(part);
        }
    }
}
