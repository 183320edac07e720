package gateway.recorder;

import gateway.time.Clock;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The body of the "recorder-writer" thread: owns every file handle. Every {@link #PASS_NANOS} it drains each open
 * call's committed audio into its WAV file in bulk (one positional write per call per pass); every
 * {@link #HEADER_SYNC_NANOS} it rewrites the headers. Commands from the event loops (open, checkpoint, finish,
 * discard) run as they arrive. Any failure is confined to its call; the loop itself only ends on
 * {@link #requestStop}.
 *
 * <p>Its backlog is the time since it last caught up: everything committed when its last pass began is on disk.
 * That is normally under {@code PASS_NANOS} plus a pass; a call loses audio only once it passes the call's buffer
 * ({@code recordings.buffer-seconds}), and the gateway refuses new calls long before.
 */
final class RecorderWriter implements Runnable {

    private static final System.Logger LOG = System.getLogger(RecorderWriter.class.getName());
    /**
     * How often the writer drains every call: four times a second keeps about 0.25 s of audio per call in memory
     * beyond the window, and costs one write per call per pass.
     */
    static final long PASS_NANOS = 250_000_000L;
    /** Header rewrite period: a crash leaves a header at most this old (recovery fits it to the data anyway). */
    static final long HEADER_SYNC_NANOS = 500_000_000L;
    /** How often a final call.json that could not be written (disk full) is tried again. */
    static final long JSON_RETRY_NANOS = 10_000_000_000L;
    /** Longest nap between looks at the clock; commands wake the writer at once. */
    private static final long MAX_PARK_NANOS = 50_000_000L;
    /**
     * Final call.json documents kept for another try, a few KB each. Beyond, the oldest is given up: its call
     * keeps call.json.partial and is recovered at the next start.
     */
    static final int MAX_UNWRITTEN = 1_000;
    /** Free blocks kept beyond the last period's peak when trimming the pool after a backlog: 64 blocks, 300 KB. */
    private static final int SPARE_BLOCKS = 64;

    private final BlockPool pool;
    private final Clock clock;
    private final WriterHooks hooks;
    private final FileOpener opener;
    private final RecorderCounters counters;
    private final ConcurrentLinkedQueue<WriterCommand> commands = new ConcurrentLinkedQueue<>();
    private final Map<String, CallRecording> active = new ConcurrentHashMap<>();
    private final List<CallFiles> open = new ArrayList<>();
    private final List<CallFiles> unwritten = new ArrayList<>();
    private final FrameBuffer out = new FrameBuffer();
    private volatile boolean stopRequested;
    private volatile boolean terminated;
    private volatile Thread thread;
    private volatile long lastPassStart;
    private volatile long peakLagNanos;
    private long nextPass;
    private long lastSync;
    private long nextRetry;

    /** The silence the conversation analytics count as dead air. */
    private final long deadAirMs;

    RecorderWriter(BlockPool pool, Clock clock, WriterHooks hooks, FileOpener opener, RecorderCounters counters,
                   long deadAirMs) {
        this.deadAirMs = deadAirMs;
        this.pool = pool;
        this.clock = clock;
        this.hooks = hooks;
        this.opener = opener;
        this.counters = counters;
        long start = clock.nanoTime();
        this.lastPassStart = start;
        this.nextPass = start + PASS_NANOS;
        this.lastSync = start;
    }

    /** Registers a started call so shutdown can finish it, and has its files opened. Any thread. */
    void register(CallRecording call) {
        active.put(call.id(), call);
        submit(new WriterCommand.Open(call));
    }

    /** Queues a command; it fails at once if the writer has already stopped. Any thread. */
    void submit(WriterCommand command) {
        commands.add(command);
        wake();
        if (terminated) {
            rejectPending();
        }
    }

    /** Asks the loop to finish the queued work, end open calls as "shutdown" and stop. Any thread. */
    void requestStop() {
        stopRequested = true;
        wake();
    }

    /** Time since the writer last caught up with every call. Any thread. */
    long lagNanos() {
        return Math.max(0, clock.nanoTime() - lastPassStart);
    }

    /** The longest the writer has been behind, measured when it caught up again. Any thread. */
    long peakLagNanos() {
        return peakLagNanos;
    }

    private void wake() {
        Thread writerThread = thread;
        if (writerThread != null) {
            LockSupport.unpark(writerThread);
        }
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        try {
            while (true) {
                boolean worked = runCommands();
                long now = clock.nanoTime();
                if (now - nextPass >= 0) {
                    pass();
                    worked = true;
                }
                if (now - lastSync >= HEADER_SYNC_NANOS) {
                    lastSync = now;
                    syncHeaders();
                }
                if (!unwritten.isEmpty() && now - nextRetry >= 0) {
                    nextRetry = now + JSON_RETRY_NANOS;
                    unwritten.removeIf(CallFiles::retryUnwritten);
                }
                if (stopRequested && commands.isEmpty()) {
                    break;
                }
                if (!worked) {
                    long untilPass = nextPass - clock.nanoTime();
                    LockSupport.parkNanos(this, Math.max(TimeUnit.MICROSECONDS.toNanos(100),
                            Math.min(untilPass, MAX_PARK_NANOS)));
                }
            }
            finishAll("shutdown");
            unwritten.removeIf(CallFiles::retryUnwritten);
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "recorder writer stopped unexpectedly", e);
            throw e;
        } finally {
            terminated = true;
            rejectPending();
        }
    }

    /** Writes every call's committed audio. */
    private void pass() {
        hooks.beforePass().run();
        long start = clock.nanoTime();
        for (CallFiles files : open) {
            try {
                files.drain(files.audio().committed(), out, true);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "unexpected error writing audio of a call", e);
            }
        }
        long lag = clock.nanoTime() - lastPassStart;
        if (lag > peakLagNanos) {
            peakLagNanos = lag;
        }
        lastPassStart = start;
        nextPass = start + PASS_NANOS;
        hooks.afterPass().run();
    }

    private void syncHeaders() {
        for (CallFiles files : open) {
            files.sync();
        }
        pool.trim(SPARE_BLOCKS);
        hooks.afterSync().run();
    }

    private boolean runCommands() {
        boolean worked = false;
        WriterCommand command;
        while ((command = commands.poll()) != null) {
            handle(command);
            worked = true;
        }
        return worked;
    }

    private void handle(WriterCommand command) {
        CallRecording call = command.call();
        try {
            if (command instanceof WriterCommand.Open) {
                filesOf(call);
            } else if (command instanceof WriterCommand.Checkpoint checkpoint) {
                CallFiles files = filesOf(call);
                if (!files.finished()) {
                    files.drain(files.audio().committed(), out, true);
                    files.checkpoint(checkpoint.log(), checkpoint.stats());
                }
            } else if (command instanceof WriterCommand.Finish finish) {
                finish(call, finish.summary(), finish.stats(), true);
            } else if (command instanceof WriterCommand.Discard) {
                discard(call);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "unexpected error recording call " + call.id(), e);
            call.completion().completeExceptionally(e);
        }
    }

    private void finish(CallRecording call, CallSummary summary, ProducerStats stats, boolean recycle) {
        CallFiles files = filesOf(call);
        if (files.finished()) {
            return;
        }
        open.remove(files);
        active.remove(call.id(), call);
        try {
            Path dir = files.finish(summary, stats, out, recycle);
            call.completion().complete(dir);
        } catch (IOException e) {
            keepForRetry(files);
            call.completion().completeExceptionally(e);
        } finally {
            if (!files.complete()) {
                counters.incomplete.incrementAndGet();
            }
        }
    }

    private void keepForRetry(CallFiles files) {
        if (unwritten.size() >= MAX_UNWRITTEN) {
            unwritten.remove(0);
        }
        if (unwritten.isEmpty()) {
            nextRetry = clock.nanoTime() + JSON_RETRY_NANOS;
        }
        unwritten.add(files);
    }

    private void discard(CallRecording call) {
        CallFiles files = filesOf(call);
        open.remove(files);
        active.remove(call.id(), call);
        try {
            call.completion().complete(files.discard());
        } catch (IOException e) {
            call.completion().completeExceptionally(e);
        }
    }

    /**
     * Ends the calls still open at shutdown at the highest position written. Their event loops may still be
     * writing, so blocks are left where they are rather than returned to the pool.
     */
    private void finishAll(String reason) {
        for (CallRecording call : List.copyOf(active.values())) {
            CallFiles files = filesOf(call);
            try {
                finish(call, new CallSummary(Instant.now(), files.audio().highWater(), reason, files.log()),
                        files.stats(), false);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "unexpected error finishing call " + call.id(), e);
                call.completion().completeExceptionally(e);
            }
        }
    }

    private CallFiles filesOf(CallRecording call) {
        CallFiles files = call.files;
        if (files == null) {
            files = CallFiles.open(call.metadata(), call.directory(), opener, call.audio(), deadAirMs,
                    counters::writeFailure);
            call.files = files;
            open.add(files);
        }
        return files;
    }

    private void rejectPending() {
        WriterCommand command;
        while ((command = commands.poll()) != null) {
            command.call().completion().completeExceptionally(
                    new IllegalStateException("recording service is closed"));
        }
    }
}
