package gateway.recorder;

import gateway.time.Clock;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Records calls to {@code <dir>/<id>/}: audio.wav (stereo PCM16 at 24 kHz, left caller, right assistant),
 * captions.vtt, captions.srt and call.json. One per process.
 *
 * <p>Threading: event loops (one per call) feed {@link CallRecording}s through a bounded, allocation-free queue;
 * a single daemon thread, "recorder-writer", owns every file and does all I/O, so media never waits on disk. When
 * the queue is full the recorder drops its own copy and counts it ({@link #droppedChunks}). A failure on one call
 * is logged once and affects only that call. {@link #start} and {@link #close} may be called from any thread;
 * start only makes the call directory. A second writer thread could shard calls later; one is enough for now.
 */
public final class RecordingService implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RecordingService.class.getName());
    static final int SAMPLE_RATE = 24_000;
    static final String AUDIO_FILE = "audio.wav";
    /**
     * Reordering tolerated between and within legs: 0.5 s. Both legs arrive within a few packets of real time
     * (caller audio by RTP timestamp, assistant audio at pacer ticks); a small window keeps the crash loss under 1 s.
     */
    static final int DEFAULT_WINDOW_FRAMES = SAMPLE_RATE / 2;
    /** Longest recording: 4 h; positions beyond are treated as corrupt and rejected. */
    static final long MAX_POSITION = 4L * 3600 * SAMPLE_RATE;
    /** How long close() waits for the writer to drain and finish open calls. */
    private static final long CLOSE_TIMEOUT_MILLIS = 10_000;

    private final Path recordingsDir;
    private final AudioHandoff handoff;
    private final RecorderWriter writer;
    private final Thread thread;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Starts the "recorder-writer" daemon thread; {@code queueCapacityChunks} bounds the audio in flight. */
    public RecordingService(Path recordingsDir, int queueCapacityChunks) {
        this(recordingsDir, queueCapacityChunks, DEFAULT_WINDOW_FRAMES, Clock.system(), () -> { }, () -> { });
    }

    /**
     * For tests: a chosen window, a clock for the header rewrite period, and hooks the writer thread runs before each
     * chunk and after each periodic header rewrite.
     */
    RecordingService(Path recordingsDir, int queueCapacityChunks, int windowFrames, Clock clock,
            Runnable beforeChunk, Runnable afterSync) {
        this.recordingsDir = Objects.requireNonNull(recordingsDir, "recordingsDir");
        this.handoff = new AudioHandoff(queueCapacityChunks);
        this.writer = new RecorderWriter(handoff, clock, beforeChunk, afterSync, windowFrames, MAX_POSITION);
        this.thread = new Thread(writer, "recorder-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Creates {@code <dir>/<id>/} (which must not exist yet) and returns the recording to feed. */
    public CallRecording start(CallMetadata meta) throws IOException {
        if (closed.get()) {
            throw new IllegalStateException("recording service is closed");
        }
        Files.createDirectories(recordingsDir);
        Path directory = Files.createDirectory(recordingsDir.resolve(meta.id()));
        CallRecording call = new CallRecording(meta, directory, handoff, writer);
        writer.register(call);
        return call;
    }

    /** Chunks dropped because the queue or pool was full, across all calls. */
    public long droppedChunks() {
        return handoff.droppedChunks();
    }

    /**
     * Chunks queued for the writer at the moment of the call: how far it is behind the calls (a gauge; benchmarks
     * wait on it so they do not outrun the writer).
     */
    public int queuedChunks() {
        return handoff.queued();
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

    AudioHandoff handoff() {
        return handoff;
    }
}
