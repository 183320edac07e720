package gateway.storage;

import gateway.library.CallId;
import gateway.library.CallLibrary;
import gateway.library.CallPage;
import gateway.library.CallQuery;
import gateway.library.CallStore;
import gateway.library.IndexedCall;
import gateway.library.ListPosition;
import gateway.time.Cancellable;
import gateway.time.Scheduler;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;

/**
 * Deletes calls that started more than {@code days} days ago, on a schedule, through {@link CallLibrary#delete} (so
 * the local folder, the objects in storage and the index entry all go) with an audit line per call like an API
 * delete. A call under legal hold ({@link CallLibrary#held}) is kept until the hold is lifted. The <b>first sweep
 * after start deletes nothing</b>: it logs a dry-run line listing what it would delete,
 * so a wrong setting is seen a whole period before it costs a recording. A delete that fails (storage down, call
 * still recording) is logged and tried again at the next sweep.
 *
 * <p>Threading: sweeps run on the scheduler's thread, in production a dedicated "retention" thread; each waits
 * for the index to be built and for its deletes, which run on the library's thread.
 */
public final class Retention implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Retention.class.getName());
    /** Ids named in a log line; the rest are counted. Enough to recognise the calls, short enough to read. */
    static final int LISTED_IDS = 20;
    /** Calls fetched from the index per page while collecting expired calls. */
    static final int PAGE = 1000;

    private final CallLibrary library;
    private final int days;
    private final InstantSource wallClock;
    private final Duration period;
    private final Cancellable schedule;
    /** The thread this instance made for itself, or null when the scheduler was given. */
    private final ExecutorService ownThread;
    private boolean dryRunDone;
    private long deleted;

    private Retention(CallLibrary library, int days, Scheduler scheduler, InstantSource wallClock, Duration period,
                      ExecutorService ownThread) {
        if (days <= 0) {
            throw new IllegalArgumentException("retention needs a positive number of days, got " + days);
        }
        this.library = library;
        this.days = days;
        this.wallClock = wallClock;
        this.period = period;
        this.ownThread = ownThread;
        this.schedule = scheduler.scheduleAtFixedRate(this::sweep, 0, period.toNanos());
    }

    /** Sweeps now (the dry run) and then every {@code period}, on {@code scheduler}. */
    public static Retention start(CallLibrary library, int days, Scheduler scheduler, InstantSource wallClock,
                                  Duration period) {
        return new Retention(library, days, scheduler, wallClock, period, null);
    }

    /** As above on a "retention" thread of its own, with the system clock; {@link #close} ends the thread. */
    public static Retention start(CallLibrary library, int days, Duration period) {
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "retention");
            t.setDaemon(true);
            return t;
        });
        return new Retention(library, days, Scheduler.on(thread), InstantSource.system(), period, thread);
    }

    /** Calls deleted since start. Sweep thread, or any thread for a metrics reading. */
    public synchronized long deleted() {
        return deleted;
    }

    @Override
    public void close() {
        schedule.cancel();
        if (ownThread != null) {
            ownThread.shutdownNow();
        }
    }

    private void sweep() {
        try {
            library.built().get();
            Instant cutoff = wallClock.instant().minus(days, ChronoUnit.DAYS);
            List<IndexedCall> expired = expired(cutoff);
            if (!dryRunDone) {
                dryRunDone = true;
                LOG.log(Level.INFO, "retention dry run: {0} calls started before {1} ({2} days) would be deleted{3};"
                                + " nothing is deleted now, deletions start with the next sweep in {4}",
                        expired.size(), cutoff, days, listed(expired), period);
                return;
            }
            int failed = 0;
            int held = 0;
            for (IndexedCall call : expired) {
                if (library.held(call.id())) {
                    held++;
                } else if (!delete(call)) {
                    failed++;
                }
            }
            LOG.log(Level.INFO, "retention sweep: {0} of {1} calls started before {2} deleted, {3} failed (tried again"
                    + " at the next sweep){4}", expired.size() - failed - held, expired.size(), cutoff, failed,
                    held == 0 ? "" : ", " + held + " kept under legal hold");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | RuntimeException e) {
            LOG.log(Level.ERROR, "retention sweep failed; the next one tries again", e);
        }
    }

    /** Every indexed call that started before {@code cutoff}, newest first. */
    private List<IndexedCall> expired(Instant cutoff) {
        List<IndexedCall> calls = new ArrayList<>();
        ListPosition after = null;
        do {
            CallQuery query = new CallQuery(null, cutoff, null, null, 0, null, List.of(), PAGE, after);
            CallPage page = library.list(query).orElseThrow(() -> new IllegalStateException("index not built"));
            calls.addAll(page.calls());
            after = page.next();
        } while (after != null);
        return calls;
    }

    private boolean delete(IndexedCall call) throws InterruptedException {
        try {
            CallStore.DeleteOutcome outcome = library.delete(new CallId(call.id())).get();
            LOG.log(Level.INFO, "audit: DELETE call {0} by retention (started_at {1}, kept {2} days): {3}",
                    call.id(), call.startedAt(), days, outcome.name().toLowerCase(java.util.Locale.ROOT));
            if (outcome == CallStore.DeleteOutcome.DELETED) {
                synchronized (this) {
                    deleted++;
                }
            }
            return outcome != CallStore.DeleteOutcome.IN_PROGRESS && outcome != CallStore.DeleteOutcome.HELD;
        } catch (ExecutionException e) {
            LOG.log(Level.WARNING, "audit: DELETE call {0} by retention (started_at {1}) failed: {2}", call.id(),
                    call.startedAt(), e.getCause().toString());
            return false;
        }
    }

    private static String listed(List<IndexedCall> calls) {
        if (calls.isEmpty()) {
            return "";
        }
        String ids = calls.stream().limit(LISTED_IDS).map(IndexedCall::id).collect(Collectors.joining(", "));
        return ": " + ids + (calls.size() > LISTED_IDS ? " and " + (calls.size() - LISTED_IDS) + " more" : "");
    }
}
