package gateway.library;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TranscriptTextTest {

    @Test
    void oneLinePerTurnInTimeOrderWithSpeakerAndTimes() throws Exception {
        FixtureCall call = new FixtureCall("c1", Instant.parse("2026-11-30T18:01:02.345Z"))
                .turn("assistant", 4_200, 3_723_456, "Sure,\nlet me\tcheck.")
                .turn("caller", 1_200, 3_480, "Hello, I'd like to check my order.")
                .interruptedTurn("assistant", 3_723_500, 3_724_000, "One moment")
                .turn("caller", 3_724_100, 3_725_000, "");
        assertEquals("""
                [00:00:01.200 - 00:00:03.480] Caller: Hello, I'd like to check my order.
                [00:00:04.200 - 01:02:03.456] Assistant: Sure, let me check.
                [01:02:03.500 - 01:02:04.000] Assistant: One moment [interrupted]
                [01:02:04.100 - 01:02:05.000] Caller: [no transcript]
                """, TranscriptText.render(call.json()));
    }

    @Test
    void aCallWithoutTurnsHasAnEmptyTranscript() throws Exception {
        assertEquals("", TranscriptText.render(new FixtureCall("c2", Instant.EPOCH).json()));
    }
}
