package gateway.recorder;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The recording of one call, fed from the call's event loop.
 *
 * <p>Threading: every method is called from one thread per call (its event loop). {@link #caller} and
 * {@link #assistant} copy the samples into pooled chunks and offer them to the service's bounded queue; they never
 * block and, once the pool is warm, never allocate. When there is no room the recorder drops its own copy and counts
 * it. {@link #checkpoint} and {@link #finish} queue small commands for the writer thread, which does all file I/O.
 * Positions are sample indexes on the call's 24 kHz timeline, sample 0 being the answer.
 */
public final class CallRecording {

    private final CallMetadata meta;
    private final Path directory;
    private final AudioHandoff handoff;
    private final RecorderWriter writer;
    private final CompletableFuture<Path> completion = new CompletableFuture<>();
    private boolean finishRequested;
    /** Written by the producer thread only; read by the writer when it finishes the call. */
    private volatile long droppedChunks;
    /** Writer thread only. */
    CallFiles files;

    CallRecording(CallMetadata meta, Path directory, AudioHandoff handoff, RecorderWriter writer) {
        this.meta = meta;
        this.directory = directory;
        this.handoff = handoff;
        this.writer = writer;
    }

    /** Records caller audio (left channel) at {@code position}. */
    public void caller(long position, short[] samples, int offset, int length) {
        write(StereoWindow.CALLER, position, samples, offset, length);
    }

    /** Records assistant audio (right channel) at {@code position}. */
    public void assistant(long position, short[] samples, int offset, int length) {
        write(StereoWindow.ASSISTANT, position, samples, offset, length);
    }

    /** Has the writer save the log so far in call.json.partial, so a crash keeps it. */
    public void checkpoint(CallLog log) {
        if (!finishRequested) {
            writer.submit(new WriterCommand.Checkpoint(this, Objects.requireNonNull(log, "log")));
        }
    }

    /**
     * Queues the end of the call: the writer pads silence up to {@code summary.endPosition()}, finalises audio.wav,
     * writes the captions and then call.json last. The future completes, on the writer thread, with the call
     * directory (or exceptionally if the call failed); a second call returns the same future.
     */
    public CompletableFuture<Path> finish(CallSummary summary) {
        Objects.requireNonNull(summary, "summary");
        if (!finishRequested) {
            finishRequested = true;
            writer.submit(new WriterCommand.Finish(this, summary));
        }
        return completion;
    }

    /**
     * Deletes what was recorded, instead of finishing it: for a call whose answer never reached the caller (a CANCEL
     * won the race). Completes with the deleted directory.
     */
    public CompletableFuture<Path> discard() {
        if (!finishRequested) {
            finishRequested = true;
            writer.submit(new WriterCommand.Discard(this));
        }
        return completion;
    }

    public String id() {
        return meta.id();
    }

    /** The directory holding this call's files. */
    public Path directory() {
        return directory;
    }

    CallMetadata metadata() {
        return meta;
    }

    CompletableFuture<Path> completion() {
        return completion;
    }

    long droppedChunks() {
        return droppedChunks;
    }

    private void write(int channel, long position, short[] samples, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, samples.length);
        if (finishRequested) {
            return;
        }
        while (length > 0) {
            int n = Math.min(length, Chunk.CAPACITY);
            if (!handoff.submit(this, channel, position, samples, offset, n)) {
                droppedChunks = droppedChunks + 1;
            }
            position += n;
            offset += n;
            length -= n;
        }
    }
}
