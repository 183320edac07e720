package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import gateway.demoagent.DemoConnection;
import gateway.demoagent.DemoScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A card number and a configured pattern said on a real call never reach the recording's text: the demo agent says
 * its greeting with the transcript a word per delta, so the card number arrives split across deltas; call.json's
 * turn, the captions and every checkpoint hold the masks, and {@code redactions} says where they sit.
 */
@Tag("e2e")
class TranscriptRedactionIT {

    private static final int RTP_MIN = 42_200;
    private static final String CARD = "4111 1111 1111 1111";
    private static final String MEMBER = "AB-123456";
    private static final String GREETING = "Your card on file is " + CARD + ", member " + MEMBER + ".";
    private static final String STORED = "Your card on file is [redacted:card], member [redacted:member].";
    private static final int GREETING_MS = 1_500;
    private static final Duration STEP_WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path recordings;

    @Test
    void aCardNumberSplitAcrossDeltasAndAPatternAreMaskedInEveryStoredText() throws Exception {
        DemoScript script = DemoScript.defaults().withToneMs(GREETING_MS).withDeltaMs(100);
        List<String> args = List.of("--agent.greeting=" + GREETING,
                "--recordings.redact.patterns=[{\"name\":\"member\",\"regex\":\"AB-\\\\d{6}\"}]");
        try (GatewayUnderIT gw = GatewayUnderIT.start(script, RTP_MIN, recordings, args)) {
            Sipp.Running running = Sipp.scenario("uac_silent_cue.xml").start(gw.sipPort(), "transcript-redaction");
            gw.awaitReplyPlaying(1, GREETING_MS, STEP_WITHIN);
            running.cue("the greeting played");
            Sipp.Result sipp = running.await();
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());

            DemoConnection session = gw.agent().connection(1);
            assertTrue(session.responseRequests().get(0).endsWith(GREETING), "the agent was asked to say it");

            RecordedCall call = RecordedCall.awaitOnly(recordings, STEP_WITHIN);
            CallJson.Turn greeting = call.json().turns("assistant").get(0);
            assertTrue(greeting.text().endsWith(STORED), "the stored turn: " + greeting);
            int at = greeting.text().length() - STORED.length();
            JsonNode redactions = call.json().root().path("redactions");
            assertEquals(2, redactions.size(), redactions.toString());
            assertSpan(redactions.get(0), greeting, "card", at + "Your card on file is ".length());
            assertSpan(redactions.get(1), greeting, "member",
                    at + "Your card on file is [redacted:card], member ".length());
            assertTrue(call.vtt().contains(STORED), call.vtt());
            assertTrue(call.srt().contains(STORED), call.srt());
            try (Stream<Path> files = Files.list(call.dir())) {
                for (Path file : files.filter(f -> !f.getFileName().toString().endsWith(".wav")).toList()) {
                    String text = Files.readString(file);
                    assertFalse(text.contains("4111") || text.contains(MEMBER), file + " holds what was said: "
                            + text);
                }
            }
        }
    }

    private static void assertSpan(JsonNode span, CallJson.Turn turn, String kind, int start) {
        assertEquals(turn.itemId(), span.path("item_id").asText(), span.toString());
        assertEquals(kind, span.path("kind").asText(), span.toString());
        assertEquals(start, span.path("start_char").asInt(), span.toString());
        assertEquals("[redacted:" + kind + "]",
                turn.text().substring(span.path("start_char").asInt(), span.path("end_char").asInt()));
    }
}
