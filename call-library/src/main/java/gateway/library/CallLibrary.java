package gateway.library;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The finished calls of a {@link CallStore}, indexed in memory for listing and search. The index is rebuilt from
 * every call.json when the library opens (in the background: {@link #list} answers empty until {@link #ready}),
 * then kept current by {@link #callFinished} and {@link #delete}, and by {@link #apply} with what a listing of a
 * shared store (the bucket other gateways upload to) found. A call of its own store whose call.json has no analytics
 * (recorded before them) goes to the {@link AnalyticsBackfill}, which measures it in the background. The files stay
 * the only record, so the index cannot drift from them, and crash-recovered or copied-in calls are found at the next
 * start.
 *
 * <p>Threading: one daemon thread, "call-index", reads the store for the build and for every change, one at a
 * time, so a refresh and a delete of the same call cannot interleave. {@link #list} runs on the caller's thread
 * against the concurrent index; {@link #callFinished} only queues work and returns at once.
 */
public final class CallLibrary implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CallLibrary.class.getName());
    /** Unreadable call.json files logged one by one at start; the rest are only counted. */
    private static final int LOGGED_BAD_FILES = 10;
    /**
     * Calls whose last change by this library is remembered for {@link #apply}: far more than the deletes and holds
     * that fit in the time one listing of a store takes.
     */
    static final int REMEMBERED_CHANGES = 4096;

    /** What the start-up build found, how long it took and how much CPU time its thread used. */
    public record BuildReport(int calls, int unreadable, long millis, long cpuMillis) {
    }

    private final CallStore store;
    private final AnalyticsBackfill backfill;
    private final CallIndex index = new CallIndex();
    private final ExecutorService indexThread = Executors.newSingleThreadExecutor(task -> {
        Thread t = new Thread(task, "call-index");
        t.setDaemon(true);
        return t;
    });
    private final CompletableFuture<BuildReport> built = new CompletableFuture<>();
    /** The watch on the recordings directory, once {@link #watch} started it. */
    private volatile RecordingsWatch watch;
    /** The ids of the indexed calls under legal hold. */
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    /** The {@link StoredFile#version() version} of the call.json each indexed call was last read from. */
    private final Map<String, String> versions = new ConcurrentHashMap<>();
    /** Changes this library made to the store (deletes, holds); written on the index thread, read by any. */
    private final AtomicLong changes = new AtomicLong();
    /** Index thread only: the change number of each call changed lately, oldest first. */
    private final Map<String, Long> changedAt = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > REMEMBERED_CHANGES;
        }
    };

    private CallLibrary(CallStore store, AnalyticsBackfill.Settings backfill) {
        this.store = store;
        this.backfill = AnalyticsBackfill.start(this, backfill);
    }

    /** Opens the library and starts building its index in the background; older calls stay without analytics. */
    public static CallLibrary open(CallStore store) {
        return open(store, AnalyticsBackfill.Settings.OFF);
    }

    /**
     * Opens the library and starts building its index in the background; the calls recorded before the analytics
     * are measured as {@code backfill} says, once the index is built.
     */
    public static CallLibrary open(CallStore store, AnalyticsBackfill.Settings backfill) {
        CallLibrary library = new CallLibrary(store, backfill);
        library.indexThread.execute(library::build);
        return library;
    }

    /** The measuring of calls recorded before the analytics. */
    public AnalyticsBackfill backfill() {
        return backfill;
    }

    public CallStore store() {
        return store;
    }

    /** True once the start-up build is done. */
    public boolean ready() {
        return built.isDone();
    }

    /** Completes when the start-up build is done. */
    public CompletableFuture<BuildReport> built() {
        return built;
    }

    /** Calls in the index. */
    public int size() {
        return index.size();
    }

    /** The page of calls matching {@code query}, or empty while the index is being built. */
    public Optional<CallPage> list(CallQuery query) {
        return ready() ? Optional.of(index.query(query)) : Optional.empty();
    }

    /** The figures of the calls {@code query} covers, or empty while the index is being built. */
    public Optional<CallStats> stats(StatsQuery query) {
        return ready() ? Optional.of(index.stats(query)) : Optional.empty();
    }

    /**
     * Tells the library that a call's files are final (a call finished, a crashed call was recovered): its call.json
     * is read again, or the call dropped from the index when there is none. Any thread; never blocks.
     */
    public void callFinished(String id) {
        CallId.parse(id).ifPresent(callId -> {
            try {
                indexThread.execute(() -> refresh(callId));
            } catch (RejectedExecutionException closed) {
                LOG.log(Level.DEBUG, "library closed; call {0} not indexed", id);
            }
        });
    }

    /**
     * The {@link StoredFile#version() version} of the call.json the index last read for the call, or null when the
     * call is not indexed or came from a {@link #apply listing}. Any thread.
     */
    public String indexedVersion(String id) {
        return versions.get(id);
    }

    /** Deletes a finished call from the store, then from the index. */
    public CompletableFuture<CallStore.DeleteOutcome> delete(CallId id) {
        return onIndexThread(() -> {
            CallStore.DeleteOutcome result = store.delete(id);
            if (result == CallStore.DeleteOutcome.DELETED) {
                index.remove(id.value());
                versions.remove(id.value());
                held.remove(id.value());
                noteChange(id);
            }
            return result;
        });
    }

    /** Whether the call is under legal hold (as the index last read it). Any thread. */
    public boolean held(String id) {
        return held.contains(id);
    }

    /**
     * Places the finished call under {@code hold}, or lifts its hold when {@code hold} is null, in turn with the
     * index's other work (so a delete cannot slip between); completes with the call's status, changed only when
     * {@link CallStatus#FINISHED}.
     */
    public CompletableFuture<CallStatus> hold(CallId id, LegalHold hold) {
        return onIndexThread(() -> {
            CallStatus status = store.write(id, CallFile.LEGAL_HOLD, hold == null ? null : hold.toJson());
            if (status == CallStatus.FINISHED && hold == null) {
                held.remove(id.value());
            } else if (status == CallStatus.FINISHED) {
                held.add(id.value());
            }
            if (status == CallStatus.FINISHED) {
                noteChange(id);
            }
            return status;
        });
    }

    /** The outcome of {@link #review}: the call's status and, when it is finished, its review as now stored. */
    public record ReviewUpdate(CallStatus status, CallReview review) {
    }

    /**
     * Changes the review of a finished call: reads its review.json ({@link CallReview#NONE} when there is none),
     * applies {@code change} and writes the result, then updates the index; all in turn with the index's other work,
     * so two changes of the same call cannot lose one another. {@code change} may refuse by throwing a runtime
     * exception, which completes the future with it and writes nothing.
     */
    public CompletableFuture<ReviewUpdate> review(CallId id, UnaryOperator<CallReview> change) {
        return onIndexThread(() -> {
            CallStatus status = store.status(id);
            if (status != CallStatus.FINISHED) {
                return new ReviewUpdate(status, null);
            }
            CallReview next = change.apply(readReview(store, id));
            status = store.write(id, CallFile.REVIEW, next.toJson());
            if (status == CallStatus.FINISHED) {
                noteChange(id);
                index.review(id.value(), next.summary());
            }
            return new ReviewUpdate(status, next);
        });
    }

    /** The call's review.json, or {@link CallReview#NONE} when it has none. Blocks on I/O. */
    public static CallReview readReview(CallStore store, CallId id) throws IOException {
        Optional<StoredFile> file = store.open(id, CallFile.REVIEW);
        if (file.isEmpty()) {
            return CallReview.NONE;
        }
        try (StoredFile f = file.get()) {
            return CallReview.read(f.readAll());
        }
    }

    /**
     * Writes analytics measured after the call into its call.json, unless it has some by now or is under legal hold
     * (its files stay exactly as they were), and indexes the call again, in turn with the index's other work;
     * completes with whether the store rewrote it.
     */
    CompletableFuture<Boolean> remeasured(CallId id, CallAnalytics analytics) {
        return onIndexThread(() -> {
            if (held.contains(id.value())) {
                return false;
            }
            Optional<byte[]> stored = readCallJson(id);
            if (stored.isEmpty() || CallJson.read(stored.get()).analytics() != null) {
                return false;
            }
            byte[] json = stored.get();
            byte[] measured = CallJson.withAnalytics(json, analytics);
            if (!store.rewriteCallJson(id, measured)) {
                return false;
            }
            noteChange(id);
            index(id, measured);
            return true;
        });
    }

    /** How many changes (deletes, holds) this library has made to its store; any thread. */
    public long changeCount() {
        return changes.get();
    }

    /**
     * Takes what a listing of the store found into the index, in turn with the index's other work; completes with
     * the number of calls added, replaced, re-held or removed. A call this library changed after the listing began is
     * left alone, and an unreadable call.json is logged and skipped.
     */
    public CompletableFuture<Integer> apply(StoreChanges listing) {
        return onIndexThread(() -> {
            int applied = 0;
            for (StoreChanges.Found found : listing.found()) {
                String id = found.id().value();
                if (changedSince(id, listing.after())) {
                    continue;
                }
                if (found.callJson() != null) {
                    try {
                        index(found.id(), found.callJson());
                        versions.remove(id);
                    } catch (IOException e) {
                        LOG.log(Level.WARNING, "call {0}: call.json in storage not indexed: {1}", id, e.getMessage());
                        continue;
                    }
                } else if (!index.contains(id)) {
                    continue;
                }
                if (found.held()) {
                    held.add(id);
                } else {
                    held.remove(id);
                }
                applied++;
            }
            for (CallId id : listing.gone()) {
                if (!changedSince(id.value(), listing.after()) && index.remove(id.value())) {
                    held.remove(id.value());
                    versions.remove(id.value());
                    applied++;
                }
            }
            return applied;
        });
    }

    /** Index thread: remembers that this library just changed the call in its store. */
    private void noteChange(CallId id) {
        changedAt.remove(id.value());
        changedAt.put(id.value(), changes.incrementAndGet());
    }

    /** Index thread: whether this library changed the call after its change number {@code after}. */
    private boolean changedSince(String id, long after) {
        Long at = changedAt.get(id);
        return at != null && at > after;
    }

    /** Runs {@code work} on the index thread, in turn with the build and every other change. */
    private <T> CompletableFuture<T> onIndexThread(StoreWork<T> work) {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        try {
            indexThread.execute(() -> {
                try {
                    outcome.complete(work.run());
                } catch (IOException | RuntimeException e) {
                    outcome.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            outcome.completeExceptionally(e);
        }
        return outcome;
    }

    /** A change to the store made on the index thread. */
    private interface StoreWork<T> {
        T run() throws IOException;
    }

    /**
     * Keeps the index current with the calls other processes finish in {@code local}'s directory (a replay, another
     * instance): {@link RecordingsWatch}, stopped by {@link #close}; {@code finishedElsewhere} hears of each such call
     * once (on the watch's thread; it must not block). Call once.
     */
    public void watch(LocalCallStore local, Consumer<String> finishedElsewhere) {
        watch = RecordingsWatch.start(local, this, finishedElsewhere);
    }

    @Override
    public void close() {
        RecordingsWatch running = watch;
        if (running != null) {
            running.close();
        }
        backfill.close();
        indexThread.shutdownNow();
    }

    private void build() {
        long t0 = System.nanoTime();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        int unreadable = 0;
        try {
            List<CallId> ids = store.ids();
            for (CallId id : ids) {
                if (indexFromStore(id, unreadable < LOGGED_BAD_FILES) == StoreRead.UNREADABLE) {
                    unreadable++;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.ERROR, "cannot list the recordings; the call list holds what was read: {0}", e.toString());
        }
        BuildReport report = new BuildReport(index.size(), unreadable, (System.nanoTime() - t0) / 1_000_000,
                (threads.getCurrentThreadCpuTime() - cpu0) / 1_000_000);
        LOG.log(Level.INFO, "Call index: {0} calls in {1} ms ({2} ms CPU), {3} unreadable call.json files skipped",
                report.calls(), report.millis(), report.cpuMillis(), report.unreadable());
        built.complete(report);
    }

    /**
     * Reads the call again and replaces its entry in place, so a listing meanwhile still shows the old one; drops it
     * when its call.json is gone or unreadable.
     */
    private void refresh(CallId id) {
        if (indexFromStore(id, true) != StoreRead.INDEXED) {
            index.remove(id.value());
            held.remove(id.value());
            versions.remove(id.value());
        }
    }

    /** What {@link #indexFromStore} found. */
    private enum StoreRead { INDEXED, ABSENT, UNREADABLE }

    /** Notes whether the call has a legal hold file. */
    private void readHold(CallId id) throws IOException {
        Optional<StoredFile> hold = store.open(id, CallFile.LEGAL_HOLD);
        if (hold.isPresent()) {
            hold.get().close();
            held.add(id.value());
        } else {
            held.remove(id.value());
        }
    }

    /** The summary of the call's review.json; null when it has none, or (logged) when it is unreadable. */
    private ReviewSummary review(CallId id, boolean logProblem) {
        try {
            return readReview(store, id).summary();
        } catch (IOException e) {
            if (logProblem) {
                LOG.log(Level.WARNING, "call {0}: review.json not indexed: {1}", id, e.getMessage());
            }
            return null;
        }
    }

    /** Indexes a call from its call.json, which must name it; returns what was indexed. */
    private IndexedCall index(CallId id, byte[] json) throws IOException {
        CallDocument document = CallDocument.of(CallJson.read(json), review(id, true));
        if (!document.call().id().equals(id.value())) {
            throw new IOException("call.json names another call: " + document.call().id());
        }
        index.put(document);
        return document.call();
    }

    /** The call's call.json, or empty when it has none. Blocks on I/O. */
    private Optional<byte[]> readCallJson(CallId id) throws IOException {
        Optional<StoredFile> file = store.open(id, CallFile.CALL_JSON);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try (StoredFile f = file.get()) {
            return Optional.of(f.readAll());
        }
    }

    /** Indexes the call (replacing what the index held for it) if it has a readable call.json. */
    private StoreRead indexFromStore(CallId id, boolean logProblem) {
        try {
            Optional<StoredFile> file = store.open(id, CallFile.CALL_JSON);
            if (file.isEmpty()) {
                return StoreRead.ABSENT;
            }
            byte[] json;
            String version;
            try (StoredFile f = file.get()) {
                version = f.version();
                json = f.readAll();
            }
            if (index(id, json).analytics() == null) {
                backfill.offer(id);
            }
            versions.put(id.value(), version);
            readHold(id);
            return StoreRead.INDEXED;
        } catch (IOException e) {
            if (logProblem) {
                LOG.log(Level.WARNING, "call {0}: call.json not indexed: {1}", id, e.getMessage());
            }
            return StoreRead.UNREADABLE;
        }
    }
}
