package gateway.library;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A call's legal hold, stored as {@value RecordingFormat#LEGAL_HOLD_FILE} beside call.json: when it was placed, by
 * whom (a token name) and why (may be empty). While the file exists the call is kept from deletion and retention.
 */
public record LegalHold(Instant heldAt, String by, String reason) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The file's bytes: {@code {"held_at": …, "by": …, "reason": …}}. */
    public byte[] toJson() {
        return (toNode() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The JSON object of the file, for an answer that embeds it. */
    public ObjectNode toNode() {
        return MAPPER.createObjectNode().put("held_at", CallJson.utc(heldAt)).put("by", by).put("reason", reason);
    }

    /** Reads the file's bytes. */
    public static LegalHold read(byte[] json) throws IOException {
        JsonNode root = MAPPER.readTree(json);
        if (root == null || !root.isObject()) {
            throw new IOException(RecordingFormat.LEGAL_HOLD_FILE + " is not a JSON object");
        }
        try {
            return new LegalHold(Instant.parse(root.path("held_at").asText()), root.path("by").asText(""),
                    root.path("reason").asText(""));
        } catch (DateTimeParseException e) {
            throw new IOException(RecordingFormat.LEGAL_HOLD_FILE + " has no valid held_at", e);
        }
    }
}
