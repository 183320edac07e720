package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import gateway.library.TranscriptRedactor;
import gateway.realtime.ServerEvent;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ListenEventsTest {

    private static final TranscriptRedactor CARDS = new TranscriptRedactor(true, List.of());
    private static final UnaryOperator<String> MASKED = text -> CARDS.redact(text, true).text();

    @Test
    void liveCaptionsCarryTheMaskedTextOfBothSides() {
        assertEquals("{\"type\":\"transcript\",\"at_ms\":1200,\"role\":\"caller\",\"text\":\"it's [redacted:card]\"}",
                ListenEvents.of(new ServerEvent.InputTranscriptionCompleted("u1", "it's 4111 1111 1111 1111"), 1200,
                        MASKED));
        assertEquals("{\"type\":\"transcript\",\"at_ms\":1300,\"role\":\"assistant\",\"text\":\"[redacted:card]?\"}",
                ListenEvents.of(new ServerEvent.OutputAudioTranscriptDone("r1", "a1", "5555555555554444?"), 1300,
                        MASKED));
    }

    @Test
    void theDeltasOfAReplyAreNeverToldOnlyItsWholeText() {
        assertNull(ListenEvents.of(new ServerEvent.OutputAudioTranscriptDelta("r1", "a1", "4111 1111 "), 5, MASKED),
                "a delta may hold half a card number: listeners get the reply's text once it is whole");
        assertEquals("{\"type\":\"caller_speech_started\",\"at_ms\":5}",
                ListenEvents.of(new ServerEvent.SpeechStarted(0, "u1"), 5, MASKED));
    }
}
