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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Object storage for finished calls, as the gateway uses it: the {@link #store() call store} the QA API and the
 * index read (local disk, then the bucket), the upload spool fed by {@link #callFinished}, and the
 * {@link #keepIndexCurrent refresh} that brings other instances' calls into the index. Threading: one
 * "storage-upload" thread does every upload and every refresh; {@link #callFinished} only queues.
 */
public final class ObjectStorage implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ObjectStorage.class.getName());
    /** How long close waits for an upload in flight before leaving it to the next start. */
    static final long CLOSE_WAIT_SECONDS = 5;

    private final ObjectStore objects;
    private final TieredCallStore store;
    private final Uploader uploader;
    private final StorageStats stats;
    private final ScheduledExecutorService thread;
    private final Parts parts;
    private volatile BucketRefresh refresh;

    /** What the index refresh is built from. */
    private record Parts(ObjectKeys keys, LocalCallStore local, Scheduler scheduler, StorageSettings config,
                         RandomGenerator random) {
    }

    private ObjectStorage(ObjectStore objects, TieredCallStore store, Uploader uploader, StorageStats stats,
                          ScheduledExecutorService thread, Parts parts) {
        this.objects = objects;
        this.store = store;
        this.uploader = uploader;
        this.stats = stats;
        this.thread = thread;
        this.parts = parts;
    }

    /**
     * Opens the bucket of {@code config} for the calls under {@code recordingsDir} and starts uploading what is
     * pending there; {@code uploaded} hears of each call uploaded (its call.json changed), on the upload thread.
     */
    public static ObjectStorage start(StorageSettings config, Path recordingsDir, boolean keepLocal,
                                      Consumer<String> uploaded) {
        ScheduledExecutorService thread = newThread();
        ObjectStorage storage = assemble(S3ObjectStore.open(config), config, recordingsDir, keepLocal, true,
                Scheduler.on(thread), RandomGenerator.getDefault(), InstantSource.system(), uploaded, thread);
        LOG.log(Level.INFO, "Object storage: {0}; local audio {1} after upload", config,
                keepLocal ? "kept" : "removed");
        return storage;
    }

    /**
     * Opens the bucket of {@code config} to read calls only (a QA-only instance): nothing under
     * {@code recordingsDir} is uploaded, nothing local is removed.
     */
    public static ObjectStorage reader(StorageSettings config, Path recordingsDir) {
        ScheduledExecutorService thread = newThread();
        ObjectStorage storage = assemble(S3ObjectStore.open(config), config, recordingsDir, true, false,
                Scheduler.on(thread), RandomGenerator.getDefault(), InstantSource.system(), id -> { }, thread);
        LOG.log(Level.INFO, "Object storage: {0}; read only, no uploads", config);
        return storage;
    }

    private static ScheduledExecutorService newThread() {
        return Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "storage-upload");
            t.setDaemon(true);
            return t;
        });
    }

    /** Wires the parts; tests pass their own store, scheduler and randomness. */
    static ObjectStorage assemble(ObjectStore objects, StorageSettings config, Path recordingsDir,
                                  boolean keepLocal, boolean uploads, Scheduler scheduler, RandomGenerator random,
                                  InstantSource wallClock, Consumer<String> uploaded,
                                  ScheduledExecutorService thread) {
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
        return new ObjectStorage(objects, store, uploads ? uploader : null, stats, thread,
                new Parts(keys, local, scheduler, config, random));
    }

    /**
     * Brings the calls other instances upload into {@code library}'s index: a refresh now and then every
     * {@code period} (zero: only now, retried until one listing succeeds), on the storage thread.
     */
    public void keepIndexCurrent(CallLibrary library, Duration period) {
        BucketRefresh started = new BucketRefresh(objects, parts.keys(), parts.local(), library, parts.scheduler(),
                period.toNanos(), new Backoff(parts.config().retryMinMs(), parts.config().retryMaxMs(),
                parts.random()));
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
        if (thread != null) {
            thread.shutdownNow();
            try {
                if (!thread.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    LOG.log(Level.WARNING, "an upload was still running at close; it is redone at the next start");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        objects.close();
    }
}
