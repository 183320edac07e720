package gateway.recorder;

import gateway.library.CallLog;
import gateway.library.CallMetadata;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The recording of one call, fed from the call's event loop.
 *
 * <p>Threading: every method is called from one thread per call (its event loop). {@link #caller} and
 * {@link #assistant} copy the samples into the call's pooled blocks at their position; they never block and, once
 * the pool is warm, never allocate. The writer thread takes the blocks in bulk a few times a second. When the
 * writer is further behind than the call's buffer holds, the recorder drops its own copy, counts it and lists the
 * range in call.json. {@link #checkpoint} and {@link #finish} queue small commands for the writer thread, which
 * does all file I/O. Positions are sample indexes on the call's 24 kHz timeline, sample 0 being the answer.
 */
public final class CallRecording {

    private final CallMetadata meta;
    private final Path directory;
    private final CallAudio audio;
    private final RecorderWriter writer;
    private final RecorderCounters counters;
    private final CompletableFuture<Path> completion = new CompletableFuture<>();
    private boolean finishRequested;
    /** Writer thread only. */
    CallFiles files;

    CallRecording(CallMetadata meta, Path directory, CallAudio audio, RecorderWriter writer,
                  RecorderCounters counters) {
        this.meta = meta;
        this.directory = directory;
        this.audio = audio;
        this.writer = writer;
        this.counters = counters;
    }

    /** Records caller audio (left channel) at {@code position}. */
    public void caller(long position, short[] samples, int offset, int length) {
        write(CallAudio.CALLER, position, samples, offset, length);
    }

    /** Records assistant audio (right channel) at {@code position}. */
    public void assistant(long position, short[] samples, int offset, int length) {
        write(CallAudio.ASSISTANT, position, samples, offset, length);
    }

    /**
     * The caller channel is written up to {@code position} and nothing more will come before it (its audio arrives in
     * position order). With the assistant channel settled too, the writer takes the audio without waiting out the
     * window kept for late packets, so the call holds less of it.
     */
    public void settleCaller(long position) {
        if (!finishRequested) {
            audio.settle(CallAudio.CALLER, position);
        }
    }

    /** The assistant channel gets nothing more before {@code position} (see {@link #settleCaller}). */
    public void settleAssistant(long position) {
        if (!finishRequested) {
            audio.settle(CallAudio.ASSISTANT, position);
        }
    }

    /** Has the writer save the log so far in call.json.partial, so a crash keeps it. */
    public void checkpoint(CallLog log) {
        if (!finishRequested) {
            writer.submit(new WriterCommand.Checkpoint(this, Objects.requireNonNull(log, "log"),
                    ProducerStats.of(audio)));
        }
    }

    /**
     * Queues the end of the call: the writer writes the rest of the audio, pads silence up to
     * {@code summary.endPosition()}, finalises audio.wav, writes the captions and then call.json last. The future
     * completes, on the writer thread, with the call directory once call.json is written (it then says whether the
     * recording is complete), or exceptionally when even call.json could not be written; a second call returns the
     * same future.
     */
    public CompletableFuture<Path> finish(CallSummary summary) {
        Objects.requireNonNull(summary, "summary");
        if (!finishRequested) {
            finishRequested = true;
            writer.submit(new WriterCommand.Finish(this, summary, ProducerStats.of(audio)));
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

    CallAudio audio() {
        return audio;
    }

    CompletableFuture<Path> completion() {
        return completion;
    }

    private void write(int channel, long position, short[] samples, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, samples.length);
        if (finishRequested) {
            return;
        }
        int lost = audio.write(channel, position, samples, offset, length);
        if (lost > 0) {
            counters.lost(lost);
        }
    }
}
