package gateway.library;

import gateway.time.Cancellable;
import gateway.time.Scheduler;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps a {@link CallLibrary} current with the calls other processes (a {@code ./gateway replay}, a second instance,
 * a copy) finish in its recordings directory, so they are listed within seconds without a restart. A WatchService on
 * the root names the call directories created and removed; a directory is then looked at every pass until its
 * call.json appears (written last, by a rename, so a call being written is never read half done), and the library
 * reads it when its version (size and modification time) is not the one it indexed. A directory removed drops out.
 * Every known call is looked at again in turn (a rewritten call.json is read again), and the root is listed again
 * every {@value #RELIST_EVERY_PASSES} passes, or at once when the watch lost events, as the fallback.
 *
 * <p>Work per pass is bounded: at most {@value #MAX_CHECKS_PER_PASS} attribute reads, new and unfinished directories
 * first. Nothing here touches the audio path: the pass runs on its own low-priority thread, every
 * {@value #PERIOD_MILLIS} ms, and only queues work for the library's index thread.
 *
 * <p>Threading: every pass runs on the scheduler's thread, one at a time; {@link #close} from any thread.
 */
public final class RecordingsWatch implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RecordingsWatch.class.getName());
    /** Time between passes: a replay written beside a running gateway is listed within about this. */
    static final long PERIOD_MILLIS = 2_000;
    /** call.json attribute reads per pass: a few milliseconds of work, whatever the number of calls. */
    static final int MAX_CHECKS_PER_PASS = 2_000;
    /** Passes between two listings of the root when the watch reports nothing lost: five minutes. */
    static final int RELIST_EVERY_PASSES = 150;

    private final LocalCallStore local;
    private final CallLibrary library;
    private final Scheduler scheduler;
    /** Hears of each call another process finished, once, after the library (e.g. to upload it). */
    private final Consumer<String> finishedElsewhere;
    private final Runnable onClose;
    /** Null when the file system offers no watch: then the root is listed every pass. */
    private volatile WatchService watcher;
    /** Scheduler thread only: names looked at every pass (new, or no call.json yet). */
    private final Set<String> watching = new LinkedHashSet<>();
    /** Scheduler thread only: names a listing found that were never looked at. */
    private final Set<String> backlog = new LinkedHashSet<>();
    /** Scheduler thread only: the call.json version last seen of each known name (null: none yet). */
    private final Map<String, String> seen = new HashMap<>();
    /** Scheduler thread only: the known names in the order they are looked at again. */
    private final List<String> rolling = new ArrayList<>();
    private int cursor;
    private int passesSinceListing = RELIST_EVERY_PASSES;
    private volatile Cancellable passes;

    RecordingsWatch(LocalCallStore local, CallLibrary library, Consumer<String> finishedElsewhere, Scheduler scheduler,
                    Runnable onClose) {
        this.local = local;
        this.library = library;
        this.finishedElsewhere = finishedElsewhere;
        this.scheduler = scheduler;
        this.onClose = onClose;
        this.watcher = openWatch(local.root());
    }

    /**
     * Starts watching {@code local}'s directory for {@code library}, on a thread of its own; {@code finishedElsewhere}
     * hears of each call that got its call.json without the library having read it.
     */
    static RecordingsWatch start(LocalCallStore local, CallLibrary library, Consumer<String> finishedElsewhere) {
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "recordings-watch");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
        RecordingsWatch watch = new RecordingsWatch(local, library, finishedElsewhere, Scheduler.on(thread),
                thread::shutdownNow);
        watch.start();
        return watch;
    }

    /** Runs a pass every {@value #PERIOD_MILLIS} ms, the first one period from now. */
    void start() {
        long period = TimeUnit.MILLISECONDS.toNanos(PERIOD_MILLIS);
        passes = scheduler.scheduleAtFixedRate(this::pass, period, period);
    }

    @Override
    public void close() {
        Cancellable running = passes;
        if (running != null) {
            running.cancel();
        }
        onClose.run();
        closeWatch();
    }

    /** One pass: takes the watch's news, lists the root when due, then looks at calls within the budget. */
    void pass() {
        if (!library.ready()) {
            return;
        }
        try {
            boolean lost = drainEvents();
            if (lost || watcher == null || ++passesSinceListing >= RELIST_EVERY_PASSES) {
                relist();
            }
            int budget = MAX_CHECKS_PER_PASS;
            budget = checkAll(watching, budget, true);
            budget = checkAll(backlog, budget, false);
            checkRolling(budget);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot look at the recordings directory; tried again in {0} ms: {1}",
                    PERIOD_MILLIS, e.toString());
        }
    }

    /** Takes the directories created and removed since the last pass; true when events were lost. */
    private boolean drainEvents() {
        if (watcher == null) {
            return true;
        }
        boolean lost = false;
        try {
            for (WatchKey key = watcher.poll(); key != null; key = watcher.poll()) {
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        lost = true;
                    } else if (event.context() instanceof Path name && callName(name.toString())) {
                        watching.add(name.toString());
                    }
                }
                if (!key.reset()) {
                    closeWatch();
                    return true;
                }
            }
        } catch (ClosedWatchServiceException e) {
            watcher = null;
            return true;
        }
        return lost;
    }

    /** Lists the root: names never seen go to the backlog, known names no longer there drop out. */
    private void relist() throws IOException {
        passesSinceListing = 0;
        Set<String> present = new LinkedHashSet<>();
        if (Files.isDirectory(local.root())) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(local.root())) {
                for (Path entry : entries) {
                    String name = entry.getFileName().toString();
                    if (callName(name)) {
                        present.add(name);
                    }
                }
            }
        }
        for (String name : present) {
            if (!seen.containsKey(name) && !watching.contains(name)) {
                backlog.add(name);
            }
        }
        for (String name : new ArrayList<>(seen.keySet())) {
            if (!present.contains(name)) {
                gone(name);
            }
        }
        backlog.retainAll(present);
    }

    /** Looks at the names of {@code names} within the budget; those finished leave it unless {@code keep}. */
    private int checkAll(Set<String> names, int budget, boolean keepUnfinished) throws IOException {
        Iterator<String> it = names.iterator();
        while (budget > 0 && it.hasNext()) {
            String name = it.next();
            budget--;
            CallStatus status = check(name);
            if (!keepUnfinished || status != CallStatus.IN_PROGRESS) {
                it.remove();
            }
        }
        return budget;
    }

    /** Looks again, in turn, at known calls whose call.json another process may have rewritten. */
    private void checkRolling(int budget) throws IOException {
        int turns = Math.min(budget, rolling.size());
        for (int i = 0; i < turns && !rolling.isEmpty(); i++) {
            if (cursor >= rolling.size()) {
                cursor = 0;
            }
            String name = rolling.get(cursor);
            if (!seen.containsKey(name)) {
                rolling.set(cursor, rolling.get(rolling.size() - 1));
                rolling.remove(rolling.size() - 1);
                continue;
            }
            if (check(name) == CallStatus.IN_PROGRESS) {
                watching.add(name);
            }
            cursor++;
        }
    }

    /**
     * Reads the attributes of one call's call.json and has the library read it when its version is new to both;
     * returns the call's status.
     */
    private CallStatus check(String name) throws IOException {
        CallId id = new CallId(name);
        String version = local.callJsonVersion(id);
        CallStatus status = version != null ? CallStatus.FINISHED : local.status(id);
        if (status == CallStatus.ABSENT) {
            forget(name);
            return status;
        }
        boolean known = seen.containsKey(name);
        String before = seen.put(name, version);
        if (!known) {
            rolling.add(name);
        }
        boolean changed = !known || !Objects.equals(before, version);
        if (changed && !Objects.equals(version, library.indexedVersion(name))) {
            library.callFinished(name);
            if (before == null) {
                finishedElsewhere.accept(name);
            }
        }
        return status;
    }

    /** A directory a listing no longer shows: forgotten, and no longer looked at. */
    private void gone(String name) {
        watching.remove(name);
        backlog.remove(name);
        forget(name);
    }

    /**
     * A directory removed: the library reads the call again (it drops it, unless a bucket holds it). The caller takes
     * the name out of the set it is walking, if any.
     */
    private void forget(String name) {
        boolean known = seen.containsKey(name);
        seen.remove(name);
        if (known || library.indexedVersion(name) != null) {
            library.callFinished(name);
        }
    }

    /** A directory name that can be a call: an id, not hidden, not one being deleted. */
    private static boolean callName(String name) {
        return CallId.valid(name) && !name.startsWith(".") && !name.contains(LocalCallStore.DELETING_MARK);
    }

    private static WatchService openWatch(Path root) {
        try {
            WatchService service = root.getFileSystem().newWatchService();
            try {
                root.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE);
                return service;
            } catch (IOException | UnsupportedOperationException e) {
                service.close();
                throw e;
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(Level.INFO, "no file watch on {0} ({1}); the directory is listed every {2} ms instead", root,
                    e.toString(), PERIOD_MILLIS);
            return null;
        }
    }

    private void closeWatch() {
        WatchService service = watcher;
        watcher = null;
        if (service != null) {
            try {
                service.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "closing the watch: {0}", e.toString());
            }
        }
    }
}
