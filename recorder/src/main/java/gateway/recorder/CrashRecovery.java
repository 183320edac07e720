package gateway.recorder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.library.Role;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
    static final String END_REASON = "gateway_crash";
    private static final ObjectMapper JSON = new ObjectMapper();

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
            Path partial = dir.resolve(CallFiles.PARTIAL_JSON_FILE);
            Path wav = dir.resolve(RecordingService.AUDIO_FILE);
            if (Files.exists(dir.resolve(CallFiles.JSON_FILE))) {
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
        Path partialPath = dir.resolve(CallFiles.PARTIAL_JSON_FILE);
        Path wavPath = dir.resolve(RecordingService.AUDIO_FILE);
        JsonNode partial = readPartial(partialPath);
        Instant endedAt = latest(lastModified(wavPath), lastModified(partialPath));
        long frames = repairWav(opener, wavPath);

        CallMetadata meta = new CallMetadata(text(partial, "id", dir.getFileName().toString()),
                text(partial, "sip_call_id", null), text(partial, "from", null), text(partial, "to", null),
                startedAt(partial, dir), text(partial, "codec", null));
        CallLog log = new CallLog(turns(partial), holds(partial), sessions(partial), pauses(partial),
                text(partial, "codec", null));
        String failure = text(partial.path("recording"), "failure", null);
        List<MissingRange> missing = new ArrayList<>();
        boolean audioFailed = false;
        for (JsonNode node : partial.path("recording").path("missing")) {
            MissingRange.Cause cause = MissingRange.Cause.valueOf(node.path("cause").asText().toUpperCase(Locale.ROOT));
            audioFailed |= cause == MissingRange.Cause.WRITE_FAILED;
            long start = node.path("start_sample").asLong();
            long end = Math.min(node.path("end_sample").asLong(MissingRange.UNKNOWN_END), frames);
            if (end > start) {
                missing.add(new MissingRange(role(node.path("channel").asText()), start, end, cause));
            }
        }
        MissingRange.Cause tail = audioFailed ? MissingRange.Cause.WRITE_FAILED : MissingRange.Cause.GATEWAY_CRASH;
        for (Role channel : Role.values()) {
            missing.add(new MissingRange(channel, frames, MissingRange.UNKNOWN_END, tail));
        }
        JsonNode recorder = partial.path("recorder");
        RecorderStats stats = new RecorderStats(frames, recorder.path("late_samples").asLong(),
                recorder.path("rejected_samples").asLong(), recorder.path("lost_samples").asLong(),
                recorder.path("dropped_chunks").asLong());
        byte[] json = CallJson.render(meta, endedAt, END_REASON, frames, log, stats,
                new RecordingStatus(failure, missing));

        AtomicFile.write(opener, dir, CallFiles.VTT_FILE, VttCaptions.format(log.turns()).getBytes(StandardCharsets.UTF_8),
                false);
        AtomicFile.write(opener, dir, CallFiles.SRT_FILE, SrtCaptions.format(log.turns()).getBytes(StandardCharsets.UTF_8),
                false);
        AtomicFile.write(opener, dir, CallFiles.JSON_FILE, json, true);
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
                String.valueOf(frames / (RecordingService.SAMPLE_RATE / 1000)), log.turns().size());
        return meta.id();
    }

    /** Cuts audio.wav to whole frames and fits its header to them; creates it empty when missing. Returns the frames. */
    private static long repairWav(FileOpener opener, Path wav) throws IOException {
        try (FileChannel channel = opener.open(wav, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long size = channel.size();
            long frames = Math.max(0, (size - WavHeader.SIZE) / WavFile.BYTES_PER_FRAME);
            long maxFrames = WavHeader.MAX_DATA_BYTES / WavFile.BYTES_PER_FRAME;
            frames = Math.min(frames, maxFrames);
            channel.truncate(WavHeader.SIZE + frames * WavFile.BYTES_PER_FRAME);
            ByteBuffer header = ByteBuffer.allocate(WavHeader.SIZE);
            WavHeader.write(header, RecordingService.SAMPLE_RATE, CallAudio.CHANNELS, frames);
            header.flip();
            long position = 0;
            while (header.hasRemaining()) {
                position += channel.write(header, position);
            }
            channel.force(false);
            return frames;
        }
    }

    private static JsonNode readPartial(Path partial) {
        if (!Files.exists(partial)) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode node = JSON.readTree(partial.toFile());
            return node == null || !node.isObject() ? JSON.createObjectNode() : node;
        } catch (IOException e) {
            LOG.log(Level.WARNING, "{0} is unreadable, recovering without it: {1}", partial, e.toString());
            return JSON.createObjectNode();
        }
    }

    private static List<Turn> turns(JsonNode partial) {
        List<Turn> turns = new ArrayList<>();
        for (JsonNode t : partial.path("turns")) {
            turns.add(new Turn(role(t.path("role").asText()), t.path("start_ms").asLong(), t.path("end_ms").asLong(),
                    t.path("text").asText(""), text(t, "item_id", null), t.path("interrupted").asBoolean()));
        }
        return turns;
    }

    private static List<HoldPeriod> holds(JsonNode partial) {
        List<HoldPeriod> holds = new ArrayList<>();
        for (JsonNode h : partial.path("holds")) {
            holds.add(new HoldPeriod(h.path("start_ms").asLong(), h.path("end_ms").asLong()));
        }
        return holds;
    }

    private static List<RecordingPause> pauses(JsonNode partial) {
        List<RecordingPause> pauses = new ArrayList<>();
        for (JsonNode p : partial.path("recording_paused")) {
            pauses.add(new RecordingPause(p.path("start_ms").asLong(), p.path("end_ms").asLong(),
                    text(p, "by", null)));
        }
        return pauses;
    }

    private static List<SessionPeriod> sessions(JsonNode partial) {
        List<SessionPeriod> sessions = new ArrayList<>();
        for (JsonNode s : partial.path("realtime_sessions")) {
            sessions.add(new SessionPeriod(s.path("index").asInt(), text(s, "session_id", null),
                    s.path("start_ms").asLong(), s.path("end_ms").asLong(), text(s, "end_reason", null)));
        }
        return sessions;
    }

    private static Role role(String jsonName) {
        return Role.valueOf(jsonName.toUpperCase(Locale.ROOT));
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : fallback;
    }

    /** started_at from the checkpoint; without one, when the directory was made (the call's answer). */
    private static Instant startedAt(JsonNode partial, Path dir) throws IOException {
        String text = text(partial, "started_at", null);
        if (text != null) {
            return Instant.parse(text);
        }
        return Files.readAttributes(dir, java.nio.file.attribute.BasicFileAttributes.class).creationTime().toInstant();
    }

    private static Instant lastModified(Path file) throws IOException {
        return Files.exists(file) ? Files.getLastModifiedTime(file).toInstant() : FileTime.fromMillis(0).toInstant();
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
