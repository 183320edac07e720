package gateway.library;

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

    private TranscriptText() {
    }

    /** One line per turn (each ending in a newline); empty for a call without turns. */
    public static String render(byte[] callJson) throws IOException {
        List<Turn> sorted = new ArrayList<>(CallJson.read(callJson).log().turns());
        sorted.sort(Comparator.comparingLong(Turn::startMs));
        StringBuilder out = new StringBuilder();
        for (Turn turn : sorted) {
            String text = SPACES.matcher(turn.text()).replaceAll(" ").strip();
            out.append('[').append(time(turn.startMs())).append(" - ").append(time(turn.endMs())).append("] ")
                    .append(turn.role().label()).append(": ").append(text.isEmpty() ? NO_TEXT : text);
            if (turn.interrupted()) {
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
