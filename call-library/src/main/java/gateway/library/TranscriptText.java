package gateway.library;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A call's transcript as plain text, rendered from its call.json: one line per turn in time order, with the times
 * since answer, the speaker and the text, e.g. {@code [00:00:01.200 - 00:00:03.480] Caller: Hello.}. A turn without
 * text reads {@value #NO_TEXT}; an assistant turn cut off by barge-in ends with {@value #INTERRUPTED}.
 */
public final class TranscriptText {

    static final String NO_TEXT = "[no transcript]";
    static final String INTERRUPTED = " [interrupted]";
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TranscriptText() {
    }

    /** One line per turn (each ending in a newline); empty for a call without turns. */
    public static String render(byte[] callJson) throws IOException {
        JsonNode turns = MAPPER.readTree(callJson).path("turns");
        List<JsonNode> sorted = new ArrayList<>();
        turns.forEach(sorted::add);
        sorted.sort(Comparator.comparingLong(t -> t.path("start_ms").asLong(0)));
        StringBuilder out = new StringBuilder();
        for (JsonNode turn : sorted) {
            String text = SPACES.matcher(turn.path("text").asText("")).replaceAll(" ").strip();
            out.append('[').append(time(turn.path("start_ms").asLong(0)))
                    .append(" - ").append(time(turn.path("end_ms").asLong(0))).append("] ")
                    .append(CallJsonReader.label(turn.path("role").asText(""))).append(": ")
                    .append(text.isEmpty() ? NO_TEXT : text);
            if (turn.path("interrupted").asBoolean(false)) {
                out.append(INTERRUPTED);
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** HH:MM:SS.mmm since the answer. */
    static String time(long ms) {
        long t = Math.max(0, ms);
        return String.format("%02d:%02d:%02d.%03d", t / 3_600_000, t / 60_000 % 60, t / 1000 % 60, t % 1000);
    }
}
