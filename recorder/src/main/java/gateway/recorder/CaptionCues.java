package gateway.recorder;

import gateway.library.Role;
import gateway.library.Turn;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/** Turns prepared for captions: ordered by start, text on one line, empty turns left out. */
final class CaptionCues {

    private static final Pattern LINE_BREAKS = Pattern.compile("\\s*[\\r\\n]+\\s*");

    private CaptionCues() {
    }

    /** One caption: times in ms since answer, speaker and single-line text. */
    record Cue(long startMs, long endMs, Role role, String text) {
    }

    /**
     * The turns with non-blank text, sorted by start time (stable), with line breaks folded into spaces because a
     * blank line would end a cue in both WebVTT and SRT; an end before the start is moved to the start.
     */
    static List<Cue> of(List<Turn> turns) {
        List<Turn> sorted = new ArrayList<>(turns);
        sorted.sort(Comparator.comparingLong(Turn::startMs));
        List<Cue> cues = new ArrayList<>(sorted.size());
        for (Turn turn : sorted) {
            String text = LINE_BREAKS.matcher(turn.text()).replaceAll(" ").strip();
            if (!text.isEmpty()) {
                long start = Math.max(0, turn.startMs());
                cues.add(new Cue(start, Math.max(start, turn.endMs()), turn.role(), text));
            }
        }
        return cues;
    }

    /** Formats {@code ms} as HH:MM:SS followed by {@code separator} and three millisecond digits. */
    static String timestamp(long ms, char separator) {
        long hours = ms / 3_600_000;
        long minutes = ms / 60_000 % 60;
        long seconds = ms / 1000 % 60;
        long millis = ms % 1000;
        return String.format("%02d:%02d:%02d%c%03d", hours, minutes, seconds, separator, millis);
    }
}
