package gateway.bridge.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A recording's call.json read as a Jackson tree, with typed access to the fields the tests assert on. */
record CallJson(JsonNode root) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One entry of {@code turns}. */
    record Turn(String role, long startMs, long endMs, String text, String itemId, boolean interrupted) {
    }

    static CallJson read(Path file) throws IOException {
        return new CallJson(MAPPER.readTree(file.toFile()));
    }

    /** A required text field. */
    String text(String field) {
        JsonNode node = root.get(field);
        if (node == null || !node.isTextual()) {
            throw new AssertionError("call.json field " + field + " is not text: " + node + " in " + root);
        }
        return node.asText();
    }

    /** A required integer field. */
    long number(String field) {
        JsonNode node = root.get(field);
        if (node == null || !node.isIntegralNumber()) {
            throw new AssertionError("call.json field " + field + " is not an integer: " + node + " in " + root);
        }
        return node.asLong();
    }

    long durationMs() {
        return number("duration_ms");
    }

    List<Turn> turns() {
        List<Turn> turns = new ArrayList<>();
        for (JsonNode t : root.path("turns")) {
            turns.add(new Turn(t.path("role").asText(), t.path("start_ms").asLong(), t.path("end_ms").asLong(),
                    t.path("text").asText(""), t.path("item_id").asText(""), t.path("interrupted").asBoolean()));
        }
        return turns;
    }

    List<Turn> turns(String role) {
        return turns().stream().filter(t -> t.role().equals(role)).toList();
    }

    @Override
    public String toString() {
        return root.toPrettyString();
    }
}
