package gateway.recorder;

import gateway.library.Turn;
import java.util.List;

/** Formats turns as SubRip: numbered cues, "HH:MM:SS,mmm --> HH:MM:SS,mmm", text as "Caller: text". */
final class SrtCaptions {

    private SrtCaptions() {
    }

    static String format(List<Turn> turns) {
        StringBuilder out = new StringBuilder();
        int number = 1;
        for (CaptionCues.Cue cue : CaptionCues.of(turns)) {
            if (number > 1) {
                out.append('\n');
            }
            out.append(number++).append('\n')
                    .append(CaptionCues.timestamp(cue.startMs(), ','))
                    .append(" --> ")
                    .append(CaptionCues.timestamp(cue.endMs(), ','))
                    .append('\n')
                    .append(cue.role().label()).append(": ").append(cue.text())
                    .append('\n');
        }
        return out.toString();
    }
}
