package gateway.library;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a finished call.json into a {@link CallDocument}. Only {@code id} and {@code started_at} are required; any
 * other missing field takes an empty value, so call.json files of older and newer versions (a {@code recording}
 * object, crash-recovered calls) index alike.
 */
final class CallJsonReader {

    /** Longest list excerpt: about two lines of a list page. */
    static final int EXCERPT_CHARS = 160;
    private static final String ELLIPSIS = "…";
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CallJsonReader() {
    }

    /** Parses {@code json}; throws IOException when it is not a call.json. */
    static CallDocument read(byte[] json) throws IOException {
        JsonNode root = MAPPER.readTree(json);
        if (root == null || !root.isObject()) {
            throw new IOException("not a JSON object");
        }
        String id = root.path("id").asText("");
        if (!CallId.valid(id)) {
            throw new IOException("no valid id");
        }
        Instant startedAt = instant(root.path("started_at"));
        if (startedAt == null) {
            throw new IOException("no started_at");
        }
        List<String> texts = new ArrayList<>();
        StringBuilder excerpt = new StringBuilder();
        boolean excerptFull = false;
        JsonNode turns = root.path("turns");
        for (JsonNode turn : turns) {
            String text = turn.path("text").asText("");
            if (text.isBlank()) {
                continue;
            }
            texts.add(text);
            if (!excerptFull) {
                String oneLine = SPACES.matcher(text).replaceAll(" ").strip();
                excerptFull = appendExcerpt(excerpt, label(turn.path("role").asText("")), oneLine);
            }
        }
        String endReason = text(root, "end_reason");
        IndexedCall call = new IndexedCall(id, text(root, "sip_call_id"), text(root, "from"), text(root, "to"),
                startedAt, instant(root.path("ended_at")), root.path("duration_ms").asLong(0),
                text(root, "codec"), endReason, turns.size(), root.path("holds").size(),
                root.path("realtime_sessions").size(), complete(root, endReason), excerpt.toString());
        return new CallDocument(call, texts);
    }

    /** {@code recording.complete} when present; else nothing dropped, late or rejected, and no crash. */
    private static boolean complete(JsonNode root, String endReason) {
        JsonNode flag = root.path("recording").path("complete");
        if (flag.isBoolean()) {
            return flag.booleanValue();
        }
        JsonNode recorder = root.path("recorder");
        return !"gateway_crash".equals(endReason)
                && recorder.path("dropped_chunks").asLong(0) == 0
                && recorder.path("late_samples").asLong(0) == 0
                && recorder.path("rejected_samples").asLong(0) == 0;
    }

    /**
     * Adds "Label: text", cutting at a word boundary and marking the cut when it would pass
     * {@link #EXCERPT_CHARS}; returns true once the excerpt is full.
     */
    private static boolean appendExcerpt(StringBuilder excerpt, String label, String text) {
        if (excerpt.length() > 0) {
            excerpt.append(' ');
        }
        excerpt.append(label).append(": ").append(text);
        if (excerpt.length() <= EXCERPT_CHARS) {
            return excerpt.length() == EXCERPT_CHARS;
        }
        int room = EXCERPT_CHARS - ELLIPSIS.length();
        int cut = excerpt.lastIndexOf(" ", room);
        excerpt.setLength(cut > 0 ? cut : room);
        excerpt.append(ELLIPSIS);
        return true;
    }

    /** "Caller" or "Assistant" for the call.json roles; another role as written. */
    static String label(String role) {
        for (Role r : Role.values()) {
            if (r.jsonName().equals(role)) {
                return r.label();
            }
        }
        return role;
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.path(field);
        return node.isTextual() ? node.textValue() : null;
    }

    private static Instant instant(JsonNode node) {
        if (!node.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(node.textValue());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
