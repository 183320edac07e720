package gateway.recorder;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Renders call.json (and call.json.partial, where the end fields are null). The {@code recording} object says
 * whether audio.wav holds the whole call: {@code complete}, the first I/O {@code failure} of the call's files (or
 * null), and the {@code missing} ranges per channel, in milliseconds (start rounded down, end up, so they cover the
 * loss) and exact samples; an end of null means the call went on for an unknown time (a gateway crash).
 */
final class CallJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter UTC_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final long SAMPLES_PER_MS = RecordingService.SAMPLE_RATE / 1000;

    private CallJson() {
    }

    /**
     * The JSON document; {@code endedAt} and {@code endReason} are null for a partial (checkpoint) file, whose
     * duration is the audio recorded so far.
     */
    static byte[] render(CallMetadata meta, Instant endedAt, String endReason, long endPosition, CallLog log,
            RecorderStats stats, RecordingStatus status) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("id", meta.id());
        root.put("sip_call_id", meta.sipCallId());
        root.put("from", meta.from());
        root.put("to", meta.to());
        root.put("started_at", utc(meta.startedAt()));
        root.put("ended_at", endedAt == null ? null : utc(endedAt));
        root.put("duration_ms", endPosition / SAMPLES_PER_MS);
        root.put("codec", log.codec() != null ? log.codec() : meta.codec());
        root.put("end_reason", endReason);
        ArrayNode turnArray = root.putArray("turns");
        List<Turn> sorted = new ArrayList<>(log.turns());
        sorted.sort(Comparator.comparingLong(Turn::startMs));
        for (Turn turn : sorted) {
            ObjectNode node = turnArray.addObject();
            node.put("role", turn.role().jsonName());
            node.put("start_ms", turn.startMs());
            node.put("end_ms", turn.endMs());
            node.put("text", turn.text());
            node.put("item_id", turn.itemId());
            node.put("interrupted", turn.interrupted());
        }
        ArrayNode holds = root.putArray("holds");
        for (HoldPeriod hold : log.holds()) {
            ObjectNode node = holds.addObject();
            node.put("start_ms", hold.startMs());
            node.put("end_ms", hold.endMs());
        }
        ArrayNode sessions = root.putArray("realtime_sessions");
        for (SessionPeriod session : log.sessions()) {
            ObjectNode node = sessions.addObject();
            node.put("index", session.index());
            node.put("session_id", session.sessionId());
            node.put("start_ms", session.startMs());
            node.put("end_ms", session.endMs());
            node.put("end_reason", session.endReason());
        }
        ArrayNode pauses = root.putArray("recording_paused");
        for (RecordingPause pause : log.pauses()) {
            ObjectNode node = pauses.addObject();
            node.put("start_ms", pause.startMs());
            node.put("end_ms", pause.endMs());
            node.put("by", pause.by());
        }
        ObjectNode audio = root.putObject("audio");
        audio.put("file", RecordingService.AUDIO_FILE);
        audio.put("sample_rate", RecordingService.SAMPLE_RATE);
        audio.put("channels", CallAudio.CHANNELS);
        audio.put("samples", stats.frames());
        ObjectNode recording = root.putObject("recording");
        recording.put("complete", status.complete());
        recording.put("failure", status.failure());
        ArrayNode missing = recording.putArray("missing");
        for (MissingRange range : status.missing()) {
            ObjectNode node = missing.addObject();
            node.put("channel", range.channel().jsonName());
            node.put("start_ms", Math.floorDiv(range.startSample(), SAMPLES_PER_MS));
            if (range.openEnded()) {
                node.putNull("end_ms");
            } else {
                node.put("end_ms", Math.floorDiv(range.endSample() + SAMPLES_PER_MS - 1, SAMPLES_PER_MS));
            }
            node.put("start_sample", range.startSample());
            if (range.openEnded()) {
                node.putNull("end_sample");
            } else {
                node.put("end_sample", range.endSample());
            }
            node.put("cause", range.cause().jsonName());
        }
        ObjectNode recorder = root.putObject("recorder");
        recorder.put("late_samples", stats.lateSamples());
        recorder.put("rejected_samples", stats.rejectedSamples());
        recorder.put("dropped_chunks", stats.droppedWrites());
        recorder.put("lost_samples", stats.lostSamples());
        try {
            return MAPPER.writeValueAsString(root).concat("\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree of strings and numbers always serialises", e);
        }
    }

    /** ISO-8601 UTC with exactly three fraction digits, e.g. 2026-11-23T18:01:02.345Z. */
    static String utc(Instant instant) {
        return UTC_MILLIS.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }
}
