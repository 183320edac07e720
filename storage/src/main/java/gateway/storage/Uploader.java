package gateway.storage;

import gateway.library.CallId;
import gateway.time.Cancellable;
import gateway.time.Scheduler;
import gateway.time.Throttle;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The upload spool: finished calls waiting for storage, uploaded one at a time, in the order they came. The queue
 * lives on disk: a finished call (call.json present) without storage.json is pending, so {@link #start} finds every
 * call a crash, a restart or an outage left behind (and calls recovered after a crash, which no one announces);
 * calls that finish while running come through {@link #enqueue}. A failed attempt moves the call to the back of the
 * queue and waits a {@link Backoff} delay before the next attempt; a success resets the delay. No call is ever dropped:
 * a call whose local files cannot be read is retried like one storage refused, and its failures are counted and logged.
 *
 * <p>Threading: {@link #enqueue} from any thread (it only queues); scans and uploads run on the scheduler's thread,
 * one at a time, in production a dedicated "storage-upload" thread, never an event loop.
 */
final class Uploader implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Uploader.class.getName());
    /** During an outage one warning per this interval; the rest are counted in it. */
    static final long WARNING_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    /**
     * How often the recordings are scanned again: finds calls that no one announced (recovered after a crash,
     * copied in) within the hour, for one or two stat calls per call folder.
     */
    static final long RESCAN_PERIOD_NANOS = TimeUnit.HOURS.toNanos(1);

    private final Path root;
    private final Scheduler scheduler;
    private final CallUpload upload;
    private final Backoff backoff;
    private final StorageStats stats;
    private final Consumer<CallId> uploaded;
    private final Throttle warnings;
    /** Guarded by this. */
    private final LinkedHashSet<CallId> queue = new LinkedHashSet<>();
    /** Guarded by this: a drain is queued on the scheduler or waiting out a back-off. */
    private boolean draining;
    private volatile boolean closed;
    private volatile Cancellable rescans;

    Uploader(Path root, Scheduler scheduler, CallUpload upload, Backoff backoff, StorageStats stats,
             Consumer<CallId> uploaded) {
        this.root = root;
        this.scheduler = scheduler;
        this.upload = upload;
        this.backoff = backoff;
        this.stats = stats;
        this.uploaded = uploaded;
        this.warnings = new Throttle(scheduler, WARNING_INTERVAL_NANOS);
    }

    /** Finds the pending calls on disk (on the uploader's thread) now and every {@link #RESCAN_PERIOD_NANOS}. */
    void start() {
        rescans = scheduler.scheduleAtFixedRate(this::scan, 0, RESCAN_PERIOD_NANOS);
    }

    /** Queues a call whose files are final. Any thread; never blocks. */
    void enqueue(CallId id) {
        boolean schedule;
        synchronized (this) {
            if (closed || !queue.add(id)) {
                return;
            }
            stats.pending.set(queue.size());
            schedule = !draining;
            draining = true;
        }
        if (schedule) {
            scheduler.execute(this::drain);
        }
    }

    /** Stops taking and uploading calls; what is pending stays pending on disk. */
    @Override
    public void close() {
        closed = true;
        if (rescans != null) {
            rescans.cancel();
        }
    }

    private void scan() {
        int found = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path dir : entries) {
                String name = dir.getFileName().toString();
                if (CallId.valid(name) && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && upload.pending(dir)) {
                    enqueue(new CallId(name));
                    found++;
                }
            }
        } catch (IOException e) {
            LOG.log(Level.ERROR, "cannot list {0} for calls to upload; new calls are still uploaded: {1}", root,
                    e.toString());
        }
        if (found > 0) {
            LOG.log(Level.INFO, "{0} finished calls wait for upload", found);
        }
    }

    private void drain() {
        while (!closed) {
            CallId id;
            synchronized (this) {
                Iterator<CallId> first = queue.iterator();
                if (!first.hasNext()) {
                    draining = false;
                    return;
                }
                id = first.next();
            }
            try {
                CallUpload.Result result = upload.upload(id);
                done(id);
                if (backoff.failures() > 0) {
                    LOG.log(Level.INFO, "storage works again after {0} failed attempts; {1} calls pending",
                            backoff.failures(), stats.pending());
                }
                backoff.succeeded();
                if (result instanceof CallUpload.Result.Uploaded u) {
                    stats.uploadedCalls.incrementAndGet();
                    stats.uploadedBytes.addAndGet(u.bytes());
                    uploaded.accept(id);
                }
            } catch (IOException | RuntimeException e) {
                stats.failures.incrementAndGet();
                requeueLast(id);
                long waitMs = backoff.failed();
                long held = warnings.tryReport();
                if (held >= 0) {
                    LOG.log(Level.WARNING, "upload of call {0} failed ({1} failures in a row, {2} more warnings"
                                    + " held back); {3} calls pending, next attempt in {4} ms: {5}", id,
                            backoff.failures(), held, stats.pending(), waitMs, e.toString());
                }
                scheduler.schedule(this::drain, TimeUnit.MILLISECONDS.toNanos(waitMs));
                return;
            }
        }
    }

    private synchronized void done(CallId id) {
        queue.remove(id);
        stats.pending.set(queue.size());
    }

    private synchronized void requeueLast(CallId id) {
        if (queue.remove(id)) {
            queue.add(id);
        }
    }
}
