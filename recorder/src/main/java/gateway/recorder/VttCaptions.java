package gateway.recorder;

import gateway.library.Turn;
import java.util.List;

/** Formats turns as WebVTT (W3C WebVTT §4), one cue per turn with a voice span naming the speaker. */
final class VttCaptions {

    private VttCaptions() {
    }

    static String format(List<Turn> turns) {
        StringBuilder out = new StringBuilder("WEBVTT\n");
        for (CaptionCues.Cue cue : CaptionCues.of(turns)) {
            out.append('\n')
                    .append(CaptionCues.timestamp(cue.startMs(), '.'))
                    .append(" --> ")
                    .append(CaptionCues.timestamp(cue.endMs(), '.'))
                    .append('\n')
                    .append("<v ").append(cue.role().label()).append('>')
                    .append(escape(cue.text()))
                    .append('\n');
        }
        return out.toString();
    }

    /** Escapes the characters that would start markup or an entity in cue text (WebVTT §4.2.2). */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
