package gateway.storage;

import gateway.library.CallId;
import gateway.library.CallStore;
import gateway.library.LocalCallStore;
import gateway.time.Scheduler;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Object storage for finished calls, as the gateway uses it: the {@link #store() call store} the QA API and the
 * index read (local disk, then the bucket), and the upload spool fed by {@link #callFinished}. Threading: one
 * "storage-upload" thread does every upload; {@link #callFinished} only queues.
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

    ObjectStorage(ObjectStore objects, TieredCallStore store, Uploader uploader, StorageStats stats,
                  ScheduledExecutorService thread) {
        this.objects = objects;
        this.store = store;
        this.uploader = uploader;
        this.stats = stats;
        this.thread = thread;
    }

    /**
     * Opens the bucket of {@code config} for the calls under {@code recordingsDir} and starts uploading what is
     * pending there; {@code uploaded} hears of each call uploaded (its call.json changed), on the upload thread.
     */
    public static ObjectStorage start(StorageSettings config, Path recordingsDir, boolean keepLocal,
                                      Consumer<String> uploaded) {
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "storage-upload");
            t.setDaemon(true);
            return t;
        });
        S3ObjectStore objects = S3ObjectStore.open(config);
        ObjectStorage storage = assemble(objects, config, recordingsDir, keepLocal, Scheduler.on(thread),
                RandomGenerator.getDefault(), InstantSource.system(), uploaded, thread);
        LOG.log(Level.INFO, "Object storage: {0}; local audio {1} after upload", config,
                keepLocal ? "kept" : "removed");
        return storage;
    }

    /** Wires the parts; tests pass their own store, scheduler and randomness. */
    static ObjectStorage assemble(ObjectStore objects, StorageSettings config, Path recordingsDir,
                                  boolean keepLocal, Scheduler scheduler, RandomGenerator random,
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
        TieredCallStore store = new TieredCallStore(new LocalCallStore(root), objects, keys, locks);
        uploader.start();
        return new ObjectStorage(objects, store, uploader, stats, thread);
    }

    /** The calls on disk and in the bucket, read transparently. */
    public CallStore store() {
        return store;
    }

    /** Queues a call whose files are final. Any thread; never blocks. */
    public void callFinished(String id) {
        CallId.parse(id).ifPresent(uploader::enqueue);
    }

    public StorageStats stats() {
        return stats;
    }

    /** Stops uploading (what is pending stays pending on disk) and closes the client. */
    @Override
    public void close() {
        uploader.close();
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
