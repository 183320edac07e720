package gateway.library;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures the conversation analytics of calls recorded before the recorder measured them: the index hands it every
 * call whose call.json has no {@code analytics} ({@link #offer}); one low-priority thread, "analytics-backfill",
 * reads each one's audio.wav with the recorder's own {@link ConversationAnalyzer}, and the library writes the result
 * into call.json (marked {@code remeasured}) through its store and updates the index, so filters, sorts,
 * {@code /api/stats} and the call page include the call. It starts once the index is built, measures at most
 * {@link Settings#callsPerSecond} calls a second, and holds at most {@value #MAX_QUEUED} waiting calls (more are
 * counted and left for the next start). Calls under recording are never offered (they have no call.json), and the
 * store rewrites only a finished call.
 *
 * <p>Threading: {@link #offer} from the index thread, never blocks; the measuring runs on the worker thread, off
 * every event loop, and the write in turn with the index's other work.
 */
public final class AnalyticsBackfill implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(AnalyticsBackfill.class.getName());
    /** Calls waiting at most: the index's designed size; each costs a queue node and its id. */
    static final int MAX_QUEUED = 100_000;
    /** Failures logged one by one; the rest go to the debug log and are counted. */
    private static final int LOGGED_FAILURES = 10;

    /**
     * How the backfill runs.
     *
     * @param callsPerSecond calls measured a second at most; 0 = off
     * @param deadAirMs      the dead-air threshold, as the recorder's
     */
    public record Settings(int callsPerSecond, long deadAirMs) {

        /** No backfill: older calls stay without analytics. */
        public static final Settings OFF = new Settings(0, ConversationAnalyzer.DEFAULT_DEAD_AIR_MS);

        public Settings {
            if (callsPerSecond < 0 || deadAirMs <= 0) {
                throw new IllegalArgumentException("bad backfill settings: " + callsPerSecond + "/s, dead air "
                        + deadAirMs + " ms");
            }
        }
    }

    /**
     * What the backfill did so far: calls queued, measured and written, skipped (no audio.wav, measured meanwhile,
     * or not this store's to rewrite), failed (unreadable audio, a write refused) and not queued (the queue was full).
     */
    public record Counts(long queued, long measured, long skipped, long failed, long overflowed) {
    }

    private final CallLibrary library;
    private final Settings settings;
    private final BlockingQueue<CallId> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
    /** The ids in the queue or being measured, so a call indexed twice is measured once. */
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong measured = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong overflowed = new AtomicLong();
    private final Thread worker;
    private volatile boolean closed;

    private AnalyticsBackfill(CallLibrary library, Settings settings) {
        this.library = library;
        this.settings = settings;
        this.worker = new Thread(this::run, "analytics-backfill");
        worker.setDaemon(true);
        worker.setPriority(Thread.MIN_PRIORITY);
    }

    /** A backfill for {@code library}'s calls; its worker starts at once and waits for the index to be built. */
    static AnalyticsBackfill start(CallLibrary library, Settings settings) {
        AnalyticsBackfill backfill = new AnalyticsBackfill(library, settings);
        if (settings.callsPerSecond() > 0) {
            backfill.worker.start();
        }
        return backfill;
    }

    /** Queues a finished call whose call.json has no analytics; counted and dropped when the queue is full. */
    void offer(CallId id) {
        if (settings.callsPerSecond() == 0 || closed || !pending.add(id.value())) {
            return;
        }
        if (queue.offer(id)) {
            queued.incrementAndGet();
        } else {
            pending.remove(id.value());
            if (overflowed.getAndIncrement() == 0) {
                LOG.log(Level.WARNING, "{0} older calls wait for their analytics; the rest are measured after the"
                        + " next start", MAX_QUEUED);
            }
        }
    }

    /** What it did so far. Any thread. */
    public Counts counts() {
        return new Counts(queued.get(), measured.get(), skipped.get(), failed.get(), overflowed.get());
    }

    /** True when no call waits or is being measured. */
    public boolean idle() {
        return pending.isEmpty();
    }

    @Override
    public void close() {
        closed = true;
        worker.interrupt();
    }

    private void run() {
        try {
            library.built().join();
            long interval = TimeUnit.SECONDS.toNanos(1) / settings.callsPerSecond();
            long next = System.nanoTime();
            while (!closed) {
                CallId id = queue.take();
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                next = Math.max(next, System.nanoTime()) + interval;
                try {
                    measure(id);
                } finally {
                    pending.remove(id.value());
                }
                if (queue.isEmpty()) {
                    Counts c = counts();
                    LOG.log(Level.INFO, "Analytics of older calls: {0} measured, {1} skipped, {2} failed, {3} left"
                            + " for the next start", c.measured(), c.skipped(), c.failed(), c.overflowed());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.log(Level.ERROR, "the analytics backfill stopped", e);
            }
        }
    }

    /** Measures one call's audio.wav and has the library write the result; counts the outcome. */
    private void measure(CallId id) throws InterruptedException {
        try {
            Optional<StoredFile> audio = library.store().open(id, CallFile.AUDIO);
            if (audio.isEmpty()) {
                skipped.incrementAndGet();
                return;
            }
            CallAnalytics analytics;
            try (StoredFile file = audio.get()) {
                analytics = ConversationAnalyzer.measure(file, settings.deadAirMs()).asRemeasured();
            }
            (library.remeasured(id, analytics).get() ? measured : skipped).incrementAndGet();
        } catch (IOException | ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            Level level = failed.getAndIncrement() < LOGGED_FAILURES ? Level.WARNING : Level.DEBUG;
            LOG.log(level, "call {0}: analytics not measured: {1}", id, cause.toString());
        }
    }
}
