package gateway.recorder;

import gateway.library.CallJson;
import gateway.library.CallLog;
import gateway.library.CallMetadata;
import gateway.library.CallRecord;
import gateway.library.ConversationAnalyzer;
import gateway.library.MissingRange;
import gateway.library.RecordingFormat;
import gateway.library.RecordingStatus;
import gateway.library.Role;
import gateway.time.CallTimeline;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The writer thread's state for one call: its WAV file, its audio buffer, the latest log and what failed. The first
 * I/O error of any file is logged once and counted; an error on audio.wav fits the file to the frames that made it
 * and drops the rest of the call's audio (its blocks are still freed), which call.json then lists as missing, and
 * the checkpoint notes it (in place if need be), so recovery after a crash reports it too. The final call.json is
 * written last; when it or the captions cannot be written (disk full) their bytes are kept so the writer can try
 * again. Writer thread only.
 */
final class CallFiles {

    private static final System.Logger LOG = System.getLogger(CallFiles.class.getName());
    private static final String JSON_FILE = RecordingFormat.CALL_JSON_FILE;
    private static final String PARTIAL_JSON_FILE = RecordingFormat.PARTIAL_JSON_FILE;

    private final CallMetadata meta;
    private final Path dir;
    private final FileOpener opener;
    private final CallAudio audio;
    private final Runnable firstFailure;
    private WavFile wav;
    /** The conversation as the writer sees it go to audio.wav. */
    private final ConversationAnalyzer analyzer;
    private long frames;
    private CallLog log = CallLog.EMPTY;
    private ProducerStats stats = ProducerStats.NONE;
    private IOException failure;
    /** Frames on disk when audio.wav failed; -1 while it works. */
    private long audioLostFrom = -1;
    private boolean finished;
    private boolean complete;
    /** Files of the finished call not written yet, in the order to write them (call.json last). */
    private final Map<String, byte[]> unwritten = new LinkedHashMap<>();

    private CallFiles(CallMetadata meta, Path dir, FileOpener opener, CallAudio audio, long deadAirMs,
                      Runnable firstFailure) {
        this.analyzer = new ConversationAnalyzer(deadAirMs);
        this.meta = meta;
        this.dir = dir;
        this.opener = opener;
        this.audio = audio;
        this.firstFailure = firstFailure;
    }

    /**
     * Creates audio.wav and a call.json.partial with the metadata; a failure is recorded, not thrown.
     * {@code firstFailure} runs once, at the call's first I/O error; {@code deadAirMs} is the analytics' dead-air
     * threshold.
     */
    static CallFiles open(CallMetadata meta, Path dir, FileOpener opener, CallAudio audio, long deadAirMs,
                          Runnable firstFailure) {
        CallFiles files = new CallFiles(meta, dir, opener, audio, deadAirMs, firstFailure);
        try {
            files.wav = WavFile.create(opener, dir.resolve(RecordingFormat.AUDIO_FILE));
        } catch (IOException e) {
            files.audioLostFrom = 0;
            files.noteFailure(e, "cannot create " + RecordingFormat.AUDIO_FILE);
        }
        files.writePartial();
        return files;
    }

    /**
     * Writes the call's frames up to {@code target} to audio.wav; after a failure only frees them. Without
     * {@code recycle} (a shutdown racing the call's event loop) blocks stay where they are.
     */
    void drain(long target, FrameBuffer out, boolean recycle) {
        while (audio.drained() < target) {
            if (wav == null) {
                if (recycle) {
                    audio.discardUntil(target);
                }
                return;
            }
            out.frames.clear();
            int count = audio.drainInto(target, out.frames, out.scratch, recycle);
            analyzer.add(out.frames, count);
            try {
                wav.append(out.packed(count));
                frames = wav.framesOnDisk();
            } catch (IOException e) {
                failAudio(e);
            }
        }
    }

    /** Makes the header match the frames on disk (periodic crash safety). */
    void sync() {
        if (wav == null) {
            return;
        }
        try {
            wav.sync();
        } catch (IOException e) {
            failAudio(e);
        }
    }

    /** Keeps {@code latest} and writes call.json.partial so a crash keeps the log. */
    void checkpoint(CallLog latest, ProducerStats latestStats) {
        log = latest;
        stats = latestStats;
        writePartial();
    }

    /**
     * Writes the rest of the audio up to {@code summary.endPosition()} (silence where there is none, cut if more was
     * written), finalises the header, writes the captions and then call.json last. Returns the directory, or throws
     * the error that kept call.json from being written; the files not written are then kept for
     * {@link #retryUnwritten}.
     */
    Path finish(CallSummary summary, ProducerStats finalStats, FrameBuffer out, boolean recycle) throws IOException {
        finished = true;
        log = summary.log();
        stats = finalStats;
        long end = summary.endPosition();
        drain(end, out, recycle);
        if (wav != null) {
            try {
                wav.finish(end);
                frames = wav.framesOnDisk();
            } catch (IOException e) {
                failAudio(e);
            }
        }
        if (recycle) {
            audio.releaseAll();
        }
        closeWav();
        unwritten.put(RecordingFormat.VTT_FILE, VttCaptions.format(summary.turns()).getBytes(StandardCharsets.UTF_8));
        unwritten.put(RecordingFormat.SRT_FILE, SrtCaptions.format(summary.turns()).getBytes(StandardCharsets.UTF_8));
        IOException captionsFailed = writeUnwritten();
        if (captionsFailed != null) {
            noteFailure(captionsFailed, "cannot write the captions");
        }
        RecordingStatus status = status(end);
        complete = status.complete();
        unwritten.put(JSON_FILE, CallJson.write(new CallRecord(meta, summary.endedAt(), summary.endReason(),
                CallTimeline.samplesToMs(end), log, stats.withFrames(frames), status, analyzer.result())));
        IOException failed = writeUnwritten();
        if (failed != null) {
            noteFailure(failed, "cannot write " + JSON_FILE);
            throw failed;
        }
        Files.deleteIfExists(dir.resolve(PARTIAL_JSON_FILE));
        return dir;
    }

    /**
     * Tries the files {@link #finish} could not write again, call.json last; true once they are all written, or
     * there is no directory left to write them in.
     */
    boolean retryUnwritten() {
        if (unwritten.isEmpty() || !Files.isDirectory(dir)) {
            return true;
        }
        IOException failed = writeUnwritten();
        if (failed != null) {
            LOG.log(Level.DEBUG, "call {0}: files still cannot be written: {1}", meta.id(), failed.toString());
            return false;
        }
        try {
            Files.deleteIfExists(dir.resolve(PARTIAL_JSON_FILE));
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "call {0}: cannot remove {1}: {2}", meta.id(), PARTIAL_JSON_FILE, e.toString());
        }
        LOG.log(Level.INFO, "call {0}: call.json written after an earlier failure", meta.id());
        return true;
    }

    /** Writes the unwritten files in order, call.json only if all before it made it; returns the first error. */
    private IOException writeUnwritten() {
        IOException first = null;
        for (Iterator<Map.Entry<String, byte[]>> it = unwritten.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, byte[]> file = it.next();
            boolean json = file.getKey().equals(JSON_FILE);
            if (json && first != null) {
                break;
            }
            try {
                writeAtomically(file.getKey(), file.getValue(), json);
                it.remove();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        return first;
    }

    /** Frees the audio, closes the WAV and deletes every file of the call and its directory. */
    Path discard() throws IOException {
        finished = true;
        audio.releaseAll();
        closeWav();
        try (var entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
        return dir;
    }

    CallAudio audio() {
        return audio;
    }

    CallLog log() {
        return log;
    }

    ProducerStats stats() {
        return stats;
    }

    boolean finished() {
        return finished;
    }

    /** After {@link #finish}: what call.json says, true when audio.wav holds the whole call and no file failed. */
    boolean complete() {
        return complete;
    }

    /** The failure and missing ranges of a recording ending at {@code end}. */
    RecordingStatus status(long end) {
        long audioEnd = audioLostFrom >= 0 ? Math.min(audioLostFrom, end) : end;
        List<MissingRange> missing = new ArrayList<>();
        for (MissingRange range : stats.missing()) {
            long rangeEnd = Math.min(range.endSample(), audioEnd);
            if (rangeEnd > range.startSample()) {
                missing.add(new MissingRange(range.channel(), range.startSample(), rangeEnd, range.cause()));
            }
        }
        if (audioEnd < end) {
            for (Role channel : Role.values()) {
                missing.add(new MissingRange(channel, audioEnd, end, MissingRange.Cause.WRITE_FAILED));
            }
        }
        return RecordingStatus.of(failure == null ? null : describe(failure), missing);
    }

    private void writePartial() {
        long highWater = audio.highWater();
        byte[] json = CallJson.write(new CallRecord(meta, null, null, CallTimeline.samplesToMs(highWater), log,
                stats.withFrames(frames), status(highWater)));
        try {
            writeAtomically(PARTIAL_JSON_FILE, json, false);
        } catch (IOException e) {
            overwritePartial(json);
            noteFailure(e, "cannot write " + PARTIAL_JSON_FILE);
        }
    }

    /**
     * When the temp file of a checkpoint cannot be written (disk full: it needs new blocks), overwrites the last
     * checkpoint in place instead: it is a few KB, so it usually fits the blocks it already has, and a crash before
     * call.json then still leaves the failure for recovery to report. Best-effort.
     */
    private void overwritePartial(byte[] json) {
        try (FileChannel channel = opener.open(dir.resolve(PARTIAL_JSON_FILE), StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(json);
            long position = 0;
            while (buffer.hasRemaining()) {
                position += channel.write(buffer, position);
            }
            channel.truncate(json.length);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "call {0}: cannot overwrite {1} in place either: {2}", meta.id(), PARTIAL_JSON_FILE,
                    e.toString());
        }
    }

    private void writeAtomically(String name, byte[] content, boolean durable) throws IOException {
        AtomicFile.write(opener, dir, name, content, durable);
    }

    /** audio.wav failed: keep what made it to disk, fit the header to it, and drop the rest of the call's audio. */
    private void failAudio(IOException e) {
        if (wav == null) {
            return;
        }
        audioLostFrom = wav.framesOnDisk();
        frames = audioLostFrom;
        noteFailure(e, "cannot write " + RecordingFormat.AUDIO_FILE + " after "
                + CallTimeline.samplesToMs(audioLostFrom) + " ms; the rest of its audio is not recorded");
        try {
            wav.repair();
        } catch (IOException repair) {
            LOG.log(Level.DEBUG, "call {0}: cannot fit the WAV header to the frames on disk: {1}", meta.id(),
                    repair.toString());
        }
        closeWav();
        if (!finished) {
            writePartial();
        }
    }

    /** Logs and counts the call's first failure; later ones go to the debug log. */
    private void noteFailure(IOException e, String what) {
        if (failure == null) {
            failure = e;
            firstFailure.run();
            LOG.log(Level.WARNING, "recording of call {0}: {1}: {2}; the call goes on and call.json will say the"
                    + " recording is incomplete", meta.id(), what, describe(e));
        } else {
            LOG.log(Level.DEBUG, "recording of call {0}: {1}: {2}", meta.id(), what, describe(e));
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
        wav = null;
    }

    /** The exception's type and message, e.g. "IOException: No space left on device". */
    static String describe(IOException e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
