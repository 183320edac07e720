package gateway.storage;

import gateway.library.CallFile;
import gateway.library.CallId;
import gateway.library.CallLibrary;
import gateway.library.CallStatus;
import gateway.library.LocalCallStore;
import gateway.library.StoreChanges;
import gateway.time.Cancellable;
import gateway.time.Scheduler;
import gateway.time.Throttle;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a {@link CallLibrary} current with the calls other instances upload to the shared bucket. Each refresh lists
 * the objects under the prefix (one request per thousand objects), reads the call.json of each call it does not
 * know yet or whose call.json changed (its ETag in the listing), at most {@value #MAX_READS_PER_REFRESH} per refresh,
 * notes which calls have a legal hold file, and hands the library what changed, including the calls gone from the
 * bucket. Calls that are on local disk are the library's own (indexed from their local call.json) and are skipped.
 * A refresh that left calls unread is followed by another at once; otherwise the next comes after the period (never,
 * with period 0, once one listing succeeded).
 *
 * <p>When the bucket cannot be listed the index keeps what it has: the outage is logged once when it starts, then
 * once an hour while it lasts, and once when it ends; refreshes are retried with the upload back-off (at most a
 * period apart), so the index catches up as soon as the bucket is back.
 *
 * <p>Threading: every refresh runs on the scheduler's thread (the "storage-refresh" thread, beside the uploads'
 * own), never on an event loop; the library takes the changes on its own index thread.
 */
final class BucketRefresh implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(BucketRefresh.class.getName());
    /** call.json reads per refresh: a few seconds of GETs, so a refresh's changes reach the index in steps. */
    static final int MAX_READS_PER_REFRESH = 100;
    /** While the bucket stays down, one reminder per this interval. */
    static final long OUTAGE_REMINDER_NANOS = TimeUnit.HOURS.toNanos(1);

    /** What the listings showed of one call: its call.json's version, whether it is local, its hold. */
    private record Known(String version, boolean local, boolean held) {
    }

    /** One call's objects in the current listing. */
    private static final class Listed {
        private ListedObject callJson;
        private boolean held;
    }

    private final ObjectStore objects;
    private final ObjectKeys keys;
    private final LocalCallStore local;
    private final CallLibrary library;
    private final Scheduler scheduler;
    private final long periodNanos;
    private final Backoff backoff;
    private final Throttle reminders;
    /** Scheduler thread only. */
    private final Map<CallId, Known> known = new HashMap<>();
    private final CompletableFuture<Void> firstListing = new CompletableFuture<>();
    private int failedListings;
    private volatile boolean closed;
    private volatile Cancellable next;
    private volatile CompletableFuture<Integer> applied = CompletableFuture.completedFuture(0);

    BucketRefresh(ObjectStore objects, ObjectKeys keys, LocalCallStore local, CallLibrary library,
                  Scheduler scheduler, long periodNanos, Backoff backoff) {
        this.objects = objects;
        this.keys = keys;
        this.local = local;
        this.library = library;
        this.scheduler = scheduler;
        this.periodNanos = periodNanos;
        this.backoff = backoff;
        this.reminders = new Throttle(scheduler, OUTAGE_REMINDER_NANOS);
    }

    /** Refreshes now, on the scheduler's thread, and then as the period says. */
    void start() {
        scheduler.execute(this::refresh);
    }

    /** Completes once a listing of the bucket has succeeded and the library has taken in what it found. */
    CompletableFuture<Void> firstListing() {
        return firstListing;
    }

    /** The library's answer to the last changes handed to it: how many calls changed (for tests). */
    CompletableFuture<Integer> applied() {
        return applied;
    }

    @Override
    public void close() {
        closed = true;
        Cancellable pending = next;
        if (pending != null) {
            pending.cancel();
        }
    }

    private void refresh() {
        if (closed) {
            return;
        }
        long after = library.changeCount();
        Map<CallId, Listed> listing = new HashMap<>();
        try {
            objects.list(keys.prefix(), o -> keys.parse(o.key()).ifPresent(object -> {
                Listed listed = listing.computeIfAbsent(object.id(), id -> new Listed());
                if (object.file() == CallFile.CALL_JSON) {
                    listed.callJson = o;
                } else if (object.file() == CallFile.LEGAL_HOLD) {
                    listed.held = true;
                }
            }));
        } catch (StorageException e) {
            listingFailed(e);
            return;
        }
        listed();
        List<StoreChanges.Found> found = new ArrayList<>();
        boolean more = false;
        int reads = 0;
        for (Map.Entry<CallId, Listed> entry : listing.entrySet()) {
            CallId id = entry.getKey();
            ListedObject callJson = entry.getValue().callJson;
            boolean held = entry.getValue().held;
            if (callJson == null) {
                continue;
            }
            Known was = known.get(id);
            if (was != null && was.version().equals(callJson.version())) {
                if (!was.local() && was.held() != held) {
                    found.add(new StoreChanges.Found(id, null, held));
                    known.put(id, new Known(was.version(), false, held));
                }
                continue;
            }
            if (isLocal(id)) {
                known.put(id, new Known(callJson.version(), true, held));
                continue;
            }
            if (reads == MAX_READS_PER_REFRESH) {
                more = true;
                continue;
            }
            reads++;
            byte[] json;
            try {
                json = read(callJson);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "call {0}: cannot read its call.json from the bucket; tried again at the next"
                        + " refresh: {1}", id, e.getMessage());
                break;
            }
            found.add(new StoreChanges.Found(id, json, held));
            known.put(id, new Known(callJson.version(), false, held));
        }
        List<CallId> gone = new ArrayList<>();
        for (Iterator<Map.Entry<CallId, Known>> it = known.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<CallId, Known> entry = it.next();
            Listed now = listing.get(entry.getKey());
            if (now == null || now.callJson == null) {
                it.remove();
                if (!entry.getValue().local() && !isLocal(entry.getKey())) {
                    gone.add(entry.getKey());
                }
            }
        }
        if (!found.isEmpty() || !gone.isEmpty()) {
            applied = library.apply(new StoreChanges(after, found, gone));
        }
        applied.whenComplete((changed, error) -> firstListing.complete(null));
        if (more) {
            next = scheduler.schedule(this::refresh, 0);
        } else if (periodNanos > 0) {
            next = scheduler.schedule(this::refresh, periodNanos);
        }
    }

    /** Whether the call has a local folder: then the library indexes it from disk, not from the bucket. */
    private boolean isLocal(CallId id) {
        try {
            return local.status(id) != CallStatus.ABSENT;
        } catch (IOException e) {
            return false;
        }
    }

    private byte[] read(ListedObject callJson) throws IOException {
        if (callJson.size() <= 0) {
            throw new IOException(callJson.key() + " is empty");
        }
        try (InputStream in = objects.get(callJson.key(), callJson.etag(), 0, callJson.size() - 1)) {
            return in.readAllBytes();
        }
    }

    /** A listing worked: ends an outage, if there was one. */
    private void listed() {
        if (failedListings > 0) {
            LOG.log(Level.INFO, "the bucket can be listed again after {0} failed attempts; the call list catches up"
                    + " now", failedListings);
            failedListings = 0;
        }
        backoff.succeeded();
    }

    /** The bucket cannot be listed: logged once per outage (and hourly), tried again with back-off. */
    private void listingFailed(StorageException e) {
        failedListings++;
        long held = reminders.tryReport();
        if (failedListings == 1) {
            LOG.log(Level.WARNING, "cannot list the bucket; the call list keeps the {0} calls it has and catches up"
                    + " when the bucket is back: {1}", library.size(), e.getMessage());
        } else if (held >= 0) {
            LOG.log(Level.WARNING, "the bucket still cannot be listed ({0} failed attempts): {1}", failedListings,
                    e.getMessage());
        }
        long waitNanos = TimeUnit.MILLISECONDS.toNanos(backoff.failed());
        if (periodNanos > 0) {
            waitNanos = Math.min(waitNanos, periodNanos);
        }
        next = scheduler.schedule(this::refresh, waitNanos);
    }
}
