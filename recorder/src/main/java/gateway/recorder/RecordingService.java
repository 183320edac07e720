package gateway.recorder;

import gateway.library.CallMetadata;
import gateway.library.RecordingFormat;
import gateway.time.CallTimeline;
import gateway.time.Clock;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Records calls to {@code <dir>/<id>/} in the {@link RecordingFormat}: audio.wav (stereo PCM16 at 24 kHz, left
 * caller, right assistant), captions.vtt, captions.srt and call.json. One per process.
 *
 * <p>Threading: event loops (one per call) write each call's audio into its own pooled blocks
 * ({@link CallRecording}); a single daemon thread, "recorder-writer", owns every file, takes the blocks in bulk a few
 * times a second and does all I/O, so media never waits on disk. Each call can buffer
 * {@link RecorderSettings#bufferSeconds()} of writer stall; beyond it the recorder drops its own copy, counts it and
 * lists the missing range in call.json. A failure on one call's files is logged once and affects only that call.
 * {@link #start}, {@link #close} and the figures may be called from any thread; start only makes the call directory.
 * {@link #recover} runs once, before the first call, off the event loops.
 */
public final class RecordingService implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RecordingService.class.getName());
    /**
     * Reordering tolerated between and within legs: 0.5 s. Both legs arrive within a few packets of real time
     * (caller audio by RTP timestamp, assistant audio at pacer ticks); a small window keeps the crash loss under 1 s.
     */
    static final int DEFAULT_WINDOW_FRAMES = (int) CallTimeline.msToSamples(500);
    /** Longest recording: 4 h; positions beyond are treated as corrupt and rejected. */
    static final long MAX_POSITION = CallTimeline.msToSamples(4 * 3_600_000L);
    /** How long close() waits for the writer to drain and finish open calls. */
    private static final long CLOSE_TIMEOUT_MILLIS = 10_000;

    private final Path recordingsDir;
    private final RecorderSettings settings;
    private final int windowFrames;
    private final int slotsPerChannel;
    private final FileOpener opener;
    private final BlockPool pool;
    private final RecorderCounters counters = new RecorderCounters();
    private final RecorderWriter writer;
    private final Thread thread;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();

    /** Starts the "recorder-writer" daemon thread. */
    public RecordingService(Path recordingsDir, RecorderSettings settings) {
        this(recordingsDir, settings, DEFAULT_WINDOW_FRAMES, Clock.system(), FileOpener.DEFAULT, WriterHooks.NONE);
    }

    /** For tests: a chosen window, a clock for the writer's passes and header rewrites, a file opener and hooks. */
    RecordingService(Path recordingsDir, RecorderSettings settings, int windowFrames, Clock clock, FileOpener opener,
            WriterHooks hooks) {
        this.recordingsDir = Objects.requireNonNull(recordingsDir, "recordingsDir");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.windowFrames = windowFrames;
        this.slotsPerChannel = settings.slotsPerChannel(windowFrames);
        this.opener = opener;
        this.pool = new BlockPool(Math.multiplyExact(settings.maxCalls(), CallAudio.CHANNELS * slotsPerChannel));
        this.writer = new RecorderWriter(pool, clock, hooks, opener, counters, settings.deadAirMs());
        this.thread = new Thread(writer, "recorder-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Finds the calls a crash of the gateway left unfinished (a directory with audio.wav or call.json.partial but no
     * call.json), fits their WAV headers to the frames on disk and writes their call.json with end reason
     * {@code gateway_crash}. Call it once, before the first {@link #start}; returns the recovered calls' ids.
     */
    public List<String> recover() throws IOException {
        if (started.get()) {
            throw new IllegalStateException("recover() must run before the first call starts");
        }
        List<String> recovered = CrashRecovery.recover(recordingsDir, opener);
        counters.recovered.addAndGet(recovered.size());
        return recovered;
    }

    /** Creates {@code <dir>/<id>/} (which must not exist yet) and returns the recording to feed. */
    public CallRecording start(CallMetadata meta) throws IOException {
        if (closed.get()) {
            throw new IllegalStateException("recording service is closed");
        }
        started.set(true);
        Path directory;
        try {
            Files.createDirectories(recordingsDir);
            directory = Files.createDirectory(recordingsDir.resolve(meta.id()));
        } catch (IOException e) {
            counters.writeFailure();
            throw e;
        }
        CallRecording call = new CallRecording(meta, directory,
                new CallAudio(pool, slotsPerChannel, windowFrames, MAX_POSITION), writer, counters);
        writer.register(call);
        return call;
    }

    public RecorderSettings settings() {
        return settings;
    }

    /** Samples (of either channel) lost because a call's buffer was full. */
    public long lostSamples() {
        return counters.lostSamples.get();
    }

    /** Writes (20 ms packets) that lost some of their samples because a call's buffer was full. */
    public long droppedWrites() {
        return counters.droppedWrites.get();
    }

    /** Calls whose files had an I/O error (disk full, directory gone), counted once per call. */
    public long writeFailures() {
        return counters.writeFailures.get();
    }

    /** Finished recordings whose call.json says they are incomplete. */
    public long incompleteRecordings() {
        return counters.incomplete.get();
    }

    /** Calls recovered after a crash by {@link #recover}. */
    public long recoveredRecordings() {
        return counters.recovered.get();
    }

    /** How far behind the writer is: the time since everything committed was last on disk. */
    public long backlogNanos() {
        return writer.lagNanos();
    }

    /** The most the writer has been behind so far. */
    public long peakBacklogNanos() {
        return writer.peakLagNanos();
    }

    /** Memory holding audio that waits for the writer (or for its window to close). */
    public long bufferedBytes() {
        return (long) pool.inUse() * SampleBlock.BYTES;
    }

    public long peakBufferedBytes() {
        return (long) pool.peakInUse() * SampleBlock.BYTES;
    }

    /** The pool's limit: {@link RecorderSettings#budgetBytes()} with this service's window. */
    public long bufferLimitBytes() {
        return (long) pool.maxBlocks() * SampleBlock.BYTES;
    }

    /** Writes what is queued, finishes open calls with end reason "shutdown" and stops the writer (bounded wait). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        writer.requestStop();
        try {
            thread.join(CLOSE_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.log(Level.WARNING, "recorder writer still busy after {0} s; recordings may be incomplete",
                    TimeUnit.MILLISECONDS.toSeconds(CLOSE_TIMEOUT_MILLIS));
        }
    }

    BlockPool pool() {
        return pool;
    }

    int slotsPerChannel() {
        return slotsPerChannel;
    }
}
