package gateway.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gateway.library.Role;
import gateway.library.Turn;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaptionsTest {

    private final List<Turn> turns = List.of(
            new Turn(Role.ASSISTANT, 3_723_004, 3_725_010, "Fish & <chips>\nor salad?", "item_2", true),
            new Turn(Role.CALLER, 1_000, 2_500, "Hello there", "item_1", false),
            new Turn(Role.CALLER, 2_600, 2_700, "  ", null, false),
            new Turn(Role.ASSISTANT, 2_800, 2_900, null, null, false));

    @Test
    void vttUsesVoiceSpansSortedEscapedAndSkipsEmptyText() {
        assertEquals("""
                WEBVTT

                00:00:01.000 --> 00:00:02.500
                <v Caller>Hello there

                01:02:03.004 --> 01:02:05.010
                <v Assistant>Fish &amp; &lt;chips&gt; or salad?
                """, VttCaptions.format(turns));
    }

    @Test
    void srtNumbersCuesWithCommaMillisAndSpeakerPrefix() {
        assertEquals("""
                1
                00:00:01,000 --> 00:00:02,500
                Caller: Hello there

                2
                01:02:03,004 --> 01:02:05,010
                Assistant: Fish & <chips> or salad?
                """, SrtCaptions.format(turns));
    }

    @Test
    void noTurnsGiveHeaderOnlyVttAndEmptySrt() {
        assertEquals("WEBVTT\n", VttCaptions.format(List.of()));
        assertEquals("", SrtCaptions.format(List.of()));
    }

    @Test
    void endBeforeStartIsClampedToStart() {
        List<CaptionCues.Cue> cues = CaptionCues.of(List.of(new Turn(Role.CALLER, 500, 100, "x", null, false)));
        assertEquals(new CaptionCues.Cue(500, 500, Role.CALLER, "x"), cues.get(0));
    }

    @Test
    void nullTextBecomesEmptyString() {
        assertEquals("", new Turn(Role.CALLER, 0, 1, null, null, false).text());
    }
}
