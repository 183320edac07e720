package gateway.library;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** A call directory for tests, written with call.json in the recorder's format and the fields a test chooses. */
final class FixtureCall {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter UTC_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** One turn: role, times and text. */
    record FixtureTurn(String role, long startMs, long endMs, String text, boolean interrupted) {
    }

    final String id;
    Instant startedAt;
    long durationMs = 60_000;
    String from = "sip:+15550001111@198.51.100.7";
    String to = "sip:agent@gateway.example.com";
    String endReason = "caller_bye";
    String codec = "PCMU";
    final List<FixtureTurn> turns = new ArrayList<>();
    int holds;
    int sessions = 1;
    long droppedChunks;
    Boolean recordingComplete;

    FixtureCall(String id, Instant startedAt) {
        this.id = id;
        this.startedAt = startedAt;
    }

    FixtureCall turn(String role, long startMs, long endMs, String text) {
        turns.add(new FixtureTurn(role, startMs, endMs, text, false));
        return this;
    }

    FixtureCall interruptedTurn(String role, long startMs, long endMs, String text) {
        turns.add(new FixtureTurn(role, startMs, endMs, text, true));
        return this;
    }

    FixtureCall duration(long ms) {
        durationMs = ms;
        return this;
    }

    FixtureCall from(String uri) {
        from = uri;
        return this;
    }

    FixtureCall to(String uri) {
        to = uri;
        return this;
    }

    FixtureCall endReason(String reason) {
        endReason = reason;
        return this;
    }

    /** call.json as the recorder writes it (pretty-printed), with a {@code recording} object if one was set. */
    byte[] json() throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("id", id);
        root.put("sip_call_id", "call-" + id + "@198.51.100.7");
        root.put("from", from);
        root.put("to", to);
        root.put("started_at", UTC_MILLIS.format(startedAt));
        root.put("ended_at", UTC_MILLIS.format(startedAt.plusMillis(durationMs + 25)));
        root.put("duration_ms", durationMs);
        root.put("codec", codec);
        root.put("end_reason", endReason);
        ArrayNode turnArray = root.putArray("turns");
        for (FixtureTurn t : turns) {
            ObjectNode node = turnArray.addObject();
            node.put("role", t.role());
            node.put("start_ms", t.startMs());
            node.put("end_ms", t.endMs());
            node.put("text", t.text());
            node.put("item_id", "item_" + turnArray.size());
            node.put("interrupted", t.interrupted());
        }
        ArrayNode holdArray = root.putArray("holds");
        for (int i = 0; i < holds; i++) {
            holdArray.addObject().put("start_ms", 1000 * i).put("end_ms", 1000 * i + 500);
        }
        ArrayNode sessionArray = root.putArray("realtime_sessions");
        for (int i = 0; i < sessions; i++) {
            sessionArray.addObject().put("index", i).put("session_id", "sess_" + i).put("start_ms", 0)
                    .put("end_ms", durationMs).put("end_reason", endReason);
        }
        ObjectNode audio = root.putObject("audio");
        audio.put("file", "audio.wav").put("sample_rate", 24_000).put("channels", 2).put("samples", durationMs * 24);
        ObjectNode recorder = root.putObject("recorder");
        recorder.put("late_samples", 0).put("rejected_samples", 0).put("dropped_chunks", droppedChunks);
        if (recordingComplete != null) {
            root.putObject("recording").put("complete", recordingComplete).putArray("missing");
        }
        return MAPPER.writeValueAsString(root).concat("\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Writes {@code <root>/<id>/call.json}; returns the call directory. */
    Path writeTo(Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve(id));
        Files.write(dir.resolve("call.json"), json());
        return dir;
    }
}
