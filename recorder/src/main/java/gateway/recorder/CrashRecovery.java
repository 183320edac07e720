package gateway.recorder;

import gateway.library.CallJson;
import gateway.library.CallLog;
import gateway.library.CallMetadata;
import gateway.library.CallRecord;
import gateway.library.MissingRange;
import gateway.library.RecorderStats;
import gateway.library.RecordingFormat;
import gateway.library.RecordingStatus;
import gateway.library.Role;
import gateway.time.CallTimeline;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finishes the calls a crash of the gateway (kill -9, power loss) left behind: a call directory with audio.wav or
 * call.json.partial but no call.json. For each it
 * <ul>
 *   <li>cuts audio.wav to the whole frames on disk and makes its RIFF and data sizes say so (creating an empty one
 *       if there was none);</li>
 *   <li>writes call.json from the last checkpoint (metadata, turns, holds, Realtime sessions, losses so far) with
 *       {@code end_reason: gateway_crash}, {@code duration_ms} from the frames on disk, {@code ended_at} = the
 *       last-modified time of audio.wav or call.json.partial, whichever is later (the last time the gateway wrote
 *       for the call), and {@code recording.complete: false} with both channels missing from the last frame on
 *       to the call's unknown end;</li>
 *   <li>writes the captions, removes call.json.partial and the temp files, and logs one line.</li>
 * </ul>
 * Runs on the thread that calls {@link RecordingService#recover}, before any call starts.
 */
final class CrashRecovery {

    private static final System.Logger LOG = System.getLogger(CrashRecovery.class.getName());

    private CrashRecovery() {
    }

    /** Recovers every unfinished call under {@code recordingsDir}; returns their ids. */
    static List<String> recover(Path recordingsDir, FileOpener opener) throws IOException {
        List<String> recovered = new ArrayList<>();
        if (!Files.isDirectory(recordingsDir)) {
            return recovered;
        }
        List<Path> dirs;
        try (Stream<Path> entries = Files.list(recordingsDir)) {
            dirs = entries.filter(Files::isDirectory)
                    .filter(d -> !d.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        }
        for (Path dir : dirs) {
            Path partial = dir.resolve(RecordingFormat.PARTIAL_JSON_FILE);
            Path wav = dir.resolve(RecordingFormat.AUDIO_FILE);
            if (Files.exists(dir.resolve(RecordingFormat.CALL_JSON_FILE))) {
                // Finished; a crash between writing call.json and removing the checkpoint leaves only litter.
                Files.deleteIfExists(partial);
                continue;
            }
            if (!Files.exists(partial) && !Files.exists(wav)) {
                continue;
            }
            try {
                recovered.add(recoverCall(dir, opener));
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "cannot recover the interrupted call in {0}: {1}", dir, e.toString());
            }
        }
        return recovered;
    }

    private static String recoverCall(Path dir, FileOpener opener) throws IOException {
        Path partialPath = dir.resolve(RecordingFormat.PARTIAL_JSON_FILE);
        Path wavPath = dir.resolve(RecordingFormat.AUDIO_FILE);
        Optional<CallRecord> partial = readPartial(partialPath);
        Instant endedAt = latest(lastModified(wavPath), lastModified(partialPath));
        long frames = WavFile.repairAfterCrash(opener, wavPath);

        CallMetadata meta = partial.isPresent() ? partial.get().meta()
                : new CallMetadata(dir.getFileName().toString(), null, null, null, createdAt(dir), null);
        CallLog log = partial.map(CallRecord::log).orElse(CallLog.EMPTY);
        RecordingStatus before = partial.map(CallRecord::recording).orElse(RecordingStatus.COMPLETE);
        List<MissingRange> missing = new ArrayList<>();
        boolean audioFailed = false;
        for (MissingRange range : before.missing()) {
            audioFailed |= range.cause() == MissingRange.Cause.WRITE_FAILED;
            long end = Math.min(range.endSample(), frames);
            if (end > range.startSample()) {
                missing.add(new MissingRange(range.channel(), range.startSample(), end, range.cause()));
            }
        }
        MissingRange.Cause tail = audioFailed ? MissingRange.Cause.WRITE_FAILED : MissingRange.Cause.GATEWAY_CRASH;
        for (Role channel : Role.values()) {
            missing.add(new MissingRange(channel, frames, MissingRange.UNKNOWN_END, tail));
        }
        RecorderStats counted = partial.map(CallRecord::stats).orElse(new RecorderStats(0, 0, 0, 0, 0));
        RecorderStats stats = new RecorderStats(frames, counted.lateSamples(), counted.rejectedSamples(),
                counted.lostSamples(), counted.droppedWrites());
        byte[] json = CallJson.write(new CallRecord(meta, endedAt, RecordingFormat.CRASH_END_REASON,
                CallTimeline.samplesToMs(frames), log, stats, RecordingStatus.of(before.failure(), missing)));

        AtomicFile.write(opener, dir, RecordingFormat.VTT_FILE,
                VttCaptions.format(log.turns()).getBytes(StandardCharsets.UTF_8), false);
        AtomicFile.write(opener, dir, RecordingFormat.SRT_FILE,
                SrtCaptions.format(log.turns()).getBytes(StandardCharsets.UTF_8), false);
        AtomicFile.write(opener, dir, RecordingFormat.CALL_JSON_FILE, json, true);
        Files.deleteIfExists(partialPath);
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                if (p.getFileName().toString().endsWith(AtomicFile.TEMP_SUFFIX)) {
                    Files.deleteIfExists(p);
                }
            }
        }
        LOG.log(Level.INFO, "recovered call {0}, interrupted by a gateway crash: {1} ms of audio on disk, {2} turns;"
                        + " call.json written with end_reason gateway_crash", meta.id(),
                String.valueOf(CallTimeline.samplesToMs(frames)), log.turns().size());
        return meta.id();
    }

    /** The last checkpoint; empty when there is none or it cannot be read (then the call is recovered without it). */
    private static Optional<CallRecord> readPartial(Path partial) {
        if (!Files.exists(partial)) {
            return Optional.empty();
        }
        try {
            return Optional.of(CallJson.read(Files.readAllBytes(partial)));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "{0} is unreadable, recovering without it: {1}", partial, e.toString());
            return Optional.empty();
        }
    }

    /** When the call's directory was made (its answer): the start of a call whose checkpoint is gone. */
    private static Instant createdAt(Path dir) throws IOException {
        return Files.readAttributes(dir, BasicFileAttributes.class).creationTime().toInstant();
    }

    private static Instant lastModified(Path file) throws IOException {
        return Files.exists(file) ? Files.getLastModifiedTime(file).toInstant() : FileTime.fromMillis(0).toInstant();
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
