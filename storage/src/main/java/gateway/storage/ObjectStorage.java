package gateway.storage;

import gateway.library.CallId;
import gateway.library.CallLibrary;
import gateway.library.CallStore;
import gateway.library.LocalCallStore;
import gateway.time.Scheduler;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Object storage for finished calls, as the gateway uses it: the {@link #store() call store} the QA API and the
 * index read (local disk, then the bucket), the upload spool fed by {@link #callFinished}, and the
 * {@link #keepIndexCurrent refresh} that brings other instances' calls into the index. Threading: the
 * "storage-upload" thread does every upload and the "storage-refresh" thread every listing of the bucket, so a long
 * listing (one request per thousand objects) or a slow one never holds a finished call back from the bucket;
 * {@link #callFinished} only queues.
 */
public final class ObjectStorage implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ObjectStorage.class.getName());
    /** How long close waits for an upload in flight before leaving it to the next start. */
    static final long CLOSE_WAIT_SECONDS = 5;

    private final ObjectStore objects;
    private final TieredCallStore store;
    private final Uploader uploader;
    private final StorageStats stats;
    /** The uploads' and the refreshes' threads, shut down at close (none in tests on a manual scheduler). */
    private final List<ScheduledExecutorService> threads;
    private final Parts parts;
    private volatile BucketRefresh refresh;

    /** What the index refresh is built from. */
    private record Parts(ObjectKeys keys, LocalCallStore local, Scheduler refreshScheduler, StorageSettings config,
                         RandomGenerator random) {
    }

    private ObjectStorage(ObjectStore objects, TieredCallStore store, Uploader uploader, StorageStats stats,
                          List<ScheduledExecutorService> threads, Parts parts) {
        this.objects = objects;
        this.store = store;
        this.uploader = uploader;
        this.stats = stats;
        this.threads = threads;
        this.parts = parts;
    }

    /**
     * Opens the bucket of {@code config} for the calls under {@code recordingsDir} and starts uploading what is
     * pending there; {@code uploaded} hears of each call uploaded (its call.json changed), on the upload thread.
     */
    public static ObjectStorage start(StorageSettings config, Path recordingsDir, boolean keepLocal,
                                      Consumer<String> uploaded) {
        ScheduledExecutorService uploads = newThread("storage-upload");
        ScheduledExecutorService refreshes = newThread("storage-refresh");
        ObjectStorage storage = assemble(S3ObjectStore.open(config), config, recordingsDir, keepLocal, true,
                Scheduler.on(uploads), Scheduler.on(refreshes), RandomGenerator.getDefault(), InstantSource.system(),
                uploaded, List.of(uploads, refreshes));
        LOG.log(Level.INFO, "Object storage: {0}; local audio {1} after upload", config,
                keepLocal ? "kept" : "removed");
        return storage;
    }

    /**
     * Opens the bucket of {@code config} to read calls only (a QA-only instance): nothing under
     * {@code recordingsDir} is uploaded, nothing local is removed.
     */
    public static ObjectStorage reader(StorageSettings config, Path recordingsDir) {
        ScheduledExecutorService refreshes = newThread("storage-refresh");     // nothing to upload: one thread
        Scheduler scheduler = Scheduler.on(refreshes);
        ObjectStorage storage = assemble(S3ObjectStore.open(config), config, recordingsDir, true, false, scheduler,
                scheduler, RandomGenerator.getDefault(), InstantSource.system(), id -> { }, List.of(refreshes));
        LOG.log(Level.INFO, "Object storage: {0}; read only, no uploads", config);
        return storage;
    }

    private static ScheduledExecutorService newThread(String name) {
        return Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Wires the parts; tests pass their own store, schedulers (uploads on {@code scheduler}, listings on
     * {@code refreshScheduler}) and randomness, and the threads to stop at close (none on a manual scheduler).
     */
    static ObjectStorage assemble(ObjectStore objects, StorageSettings config, Path recordingsDir,
                                  boolean keepLocal, boolean uploads, Scheduler scheduler, Scheduler refreshScheduler,
                                  RandomGenerator random, InstantSource wallClock, Consumer<String> uploaded,
                                  List<ScheduledExecutorService> threads) {
        Path root = recordingsDir.toAbsolutePath().normalize();
        CallLocks locks = new CallLocks();
        ObjectKeys keys = new ObjectKeys(config.prefix());
        StorageStats stats = new StorageStats();
        CallUpload upload = new CallUpload(root, objects, config.bucket(), keys, locks, keepLocal, wallClock);
        Uploader uploader = new Uploader(root, scheduler, upload,
                new Backoff(config.retryMinMs(), config.retryMaxMs(), random), stats,
                id -> uploaded.accept(id.value()));
        LocalCallStore local = new LocalCallStore(root);
        TieredCallStore store = new TieredCallStore(local, objects, keys, locks);
        if (uploads) {
            uploader.start();
        }
        return new ObjectStorage(objects, store, uploads ? uploader : null, stats, threads,
                new Parts(keys, local, refreshScheduler, config, random));
    }

    /**
     * Brings the calls other instances upload into {@code library}'s index: a refresh now and then every
     * {@code period} (zero: only now, retried until one listing succeeds), on the refresh thread.
     */
    public void keepIndexCurrent(CallLibrary library, Duration period) {
        Backoff backoff = new Backoff(parts.config().retryMinMs(), parts.config().retryMaxMs(), parts.random());
        BucketRefresh started = new BucketRefresh(objects, parts.keys(), parts.local(), library,
                parts.refreshScheduler(), period.toNanos(), backoff);
        refresh = started;
        started.start();
    }

    /** Whether a listing of the bucket has reached the index (always false before {@link #keepIndexCurrent}). */
    public boolean listed() {
        BucketRefresh r = refresh;
        return r != null && r.firstListing().isDone();
    }

    /** Completes once a listing of the bucket has reached the index; call after {@link #keepIndexCurrent}. */
    public CompletableFuture<Void> firstListing() {
        BucketRefresh r = refresh;
        if (r == null) {
            throw new IllegalStateException("the index refresh has not been started");
        }
        return r.firstListing();
    }

    /** The refresh {@link #keepIndexCurrent} started, or null (for tests). */
    BucketRefresh refresh() {
        return refresh;
    }

    /** The calls on disk and in the bucket, read transparently. */
    public CallStore store() {
        return store;
    }

    /** Queues a call whose files are final. Any thread; never blocks. Ignored by a {@link #reader}. */
    public void callFinished(String id) {
        if (uploader != null) {
            CallId.parse(id).ifPresent(uploader::enqueue);
        }
    }

    public StorageStats stats() {
        return stats;
    }

    /** Stops uploading (what is pending stays pending on disk) and closes the client. */
    @Override
    public void close() {
        if (uploader != null) {
            uploader.close();
        }
        if (refresh != null) {
            refresh.close();
        }
        threads.forEach(ScheduledExecutorService::shutdownNow);
        try {
            for (ScheduledExecutorService thread : threads) {
                if (!thread.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    LOG.log(Level.WARNING, "an upload or a listing was still running at close; an upload is redone at"
                            + " the next start");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        objects.close();
    }
}
