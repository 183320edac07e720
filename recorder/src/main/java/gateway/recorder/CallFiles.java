package gateway.recorder;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The writer thread's state for one call: its WAV file, stereo window and latest turns. The first IOException
 * marks the call failed (logged once); audio is then ignored, but finishing still tries to write captions and
 * call.json. Writer thread only.
 */
final class CallFiles {

    private static final System.Logger LOG = System.getLogger(CallFiles.class.getName());
    static final String VTT_FILE = "captions.vtt";
    static final String SRT_FILE = "captions.srt";
    static final String JSON_FILE = "call.json";
    static final String PARTIAL_JSON_FILE = "call.json.partial";
    private static final String TEMP_SUFFIX = ".tmp";

    private final CallMetadata meta;
    private final Path dir;
    private final WavFile wav;
    private final StereoWindow window;
    private CallLog log = CallLog.EMPTY;
    private IOException failure;
    private boolean finished;

    private CallFiles(CallMetadata meta, Path dir, WavFile wav, StereoWindow window, IOException failure) {
        this.meta = meta;
        this.dir = dir;
        this.wav = wav;
        this.window = window;
        this.failure = failure;
    }

    /** Opens audio.wav in {@code dir}; on failure the returned state is already failed. */
    static CallFiles open(CallMetadata meta, Path dir, int windowFrames, long maxPosition) {
        try {
            WavFile wav = WavFile.create(dir.resolve(RecordingService.AUDIO_FILE), RecordingService.SAMPLE_RATE);
            return new CallFiles(meta, dir, wav, new StereoWindow(windowFrames, maxPosition, wav), null);
        } catch (IOException e) {
            logFailure(meta, e);
            return new CallFiles(meta, dir, null, null, e);
        }
    }

    /** Places one chunk of one leg. */
    void write(Chunk chunk) {
        if (finished || failure != null) {
            return;
        }
        try {
            window.write(chunk.channel, chunk.position, chunk.samples, 0, chunk.length);
        } catch (IOException e) {
            fail(e);
        }
    }

    /** Makes the header match the frames on disk (periodic crash safety). */
    void sync() {
        if (finished || failure != null) {
            return;
        }
        try {
            wav.sync();
        } catch (IOException e) {
            fail(e);
        }
    }

    /** Keeps {@code latest} and writes call.json.partial so a crash keeps the log. */
    void checkpoint(CallLog latest) {
        if (finished) {
            return;
        }
        log = latest;
        try {
            writeAtomically(PARTIAL_JSON_FILE, CallJson.render(meta, null, null, highWater(), log, stats(0)), false);
        } catch (IOException e) {
            fail(e);
        }
    }

    /**
     * Pads or cuts the audio to {@code summary.endPosition()}, finalises the header, writes the captions and then
     * call.json last; throws the call's first failure, if any, after writing what it could.
     */
    Path finish(CallSummary summary, long droppedChunks) throws IOException {
        finished = true;
        if (failure == null) {
            try {
                window.finish(summary.endPosition());
                wav.finish(summary.endPosition());
            } catch (IOException e) {
                fail(e);
            }
        }
        closeWav();
        try {
            Files.writeString(dir.resolve(VTT_FILE), VttCaptions.format(summary.turns()), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(SRT_FILE), SrtCaptions.format(summary.turns()), StandardCharsets.UTF_8);
            writeAtomically(JSON_FILE, CallJson.render(meta, summary.endedAt(), summary.endReason(),
                    summary.endPosition(), summary.log(), stats(droppedChunks)), true);
            Files.deleteIfExists(dir.resolve(PARTIAL_JSON_FILE));
        } catch (IOException e) {
            fail(e);
        }
        if (failure != null) {
            throw failure;
        }
        return dir;
    }

    /** Closes the WAV and deletes every file of the call and its directory. */
    Path discard() throws IOException {
        finished = true;
        closeWav();
        try (var entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
        return dir;
    }

    /** Highest position written so far: the end used when the service shuts down before the call finished. */
    long highWater() {
        return window == null ? 0 : window.highWater();
    }

    CallLog log() {
        return log;
    }

    boolean finished() {
        return finished;
    }

    private RecorderStats stats(long droppedChunks) {
        if (window == null) {
            return new RecorderStats(0, 0, 0, droppedChunks);
        }
        return new RecorderStats(wav.framesOnDisk(), window.lateSamples(), window.rejectedSamples(), droppedChunks);
    }

    /**
     * Writes a temp file and renames it over {@code name}, so readers never see half a file. {@code durable} also
     * forces it to disk first: for the final call.json, not for the checkpoints, which only guard against a crash
     * of the process and must not stall the writer thread on fsync.
     */
    private void writeAtomically(String name, byte[] content, boolean durable) throws IOException {
        Path target = dir.resolve(name);
        Path temp = dir.resolve(name + TEMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (durable) {
                channel.force(true);
            }
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void fail(IOException e) {
        if (failure == null) {
            failure = e;
            logFailure(meta, e);
            closeWav();
        }
    }

    private void closeWav() {
        if (wav == null) {
            return;
        }
        try {
            wav.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing audio of call {0} failed: {1}", meta.id(), e.toString());
        }
    }

    private static void logFailure(CallMetadata meta, IOException e) {
        LOG.log(Level.WARNING, "recording of call {0} failed; the rest of its audio is dropped: {1}",
                meta.id(), e.toString());
    }
}
