package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.demoagent.DemoScript;
import gateway.testkit.Signals;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The caller talks over the agent's reply (it speaks again once the reply has played for half a second):
 * playout stops at once (the right channel goes silent within a tick), the model is told exactly how much of its
 * item was played, and the reply turn is marked interrupted. The caller hangs up once the reply to its second
 * utterance has played.
 */
@Tag("e2e")
class BargeInIT {

    private static final int RTP_MIN = 31_700;
    /** The caller speaks again once the first reply (3.5 s) has played this long. */
    private static final long BARGE_IN_AFTER_MS = 500;
    /** Deadline for each step of the call (the reply starts some 4.2 s after the ACK); ends a failing test only. */
    private static final Duration STEP_WITHIN = Duration.ofSeconds(30);
    /** The recording's 20 ms activity windows and the agent's detector windows may differ by up to two. */
    private static final long ONSET_EDGE_MS = 40;

    @TempDir
    Path recordings;

    @Test
    void talkingOverTheReplyStopsItTruncatesItAndMarksItInterrupted() throws Exception {
        try (GatewayUnderIT gw = GatewayUnderIT.start(DemoScript.defaults().withRecordFrames(true), RTP_MIN,
                recordings)) {
            RecordedCall call = gw.sippCall(Sipp.scenario("uac_barge_in.xml"), "barge-in", STEP_WITHIN, running -> {
                gw.awaitReplyPlaying(1, BARGE_IN_AFTER_MS, STEP_WITHIN);
                running.cue("the first reply played for " + BARGE_IN_AFTER_MS + " ms");
                LiveRecording.of(recordings, STEP_WITHIN).awaitEchoPlayed(1, STEP_WITHIN);
                running.cue("the reply to the second utterance played to its end");
            });
            CallJson json = call.json();

            List<CallJson.Turn> callerTurns = json.turns("caller");
            List<CallJson.Turn> replies = json.turns("assistant");
            assertEquals(2, callerTurns.size(), "two caller turns: " + json);
            assertEquals(2, replies.size(), "the cut reply and the reply to the second utterance: " + json);
            CallJson.Turn cut = replies.get(0);
            CallJson.Turn second = callerTurns.get(1);
            assertTrue(cut.interrupted(), "the first reply was cut off: " + cut);
            assertTrue(cut.startMs() < second.startMs(), "the reply was playing when the caller spoke again: " + json);
            long playedMs = cut.endMs() - cut.startMs();
            assertTrue(playedMs >= BARGE_IN_AFTER_MS - Echoes.TICK_MS && playedMs < Speech.SPEECH_MS,
                    "part of the reply was played, at least until the caller spoke again: " + cut);

            // The speech_started event carries the onset minus 300 ms of prefix padding: playout went on until the
            // caller spoke. How soon the agent's detection reaches the gateway depends on the machine; that playout
            // stopped the moment it did is what the truncate below shows.
            long speechOnsetMs = second.startMs() + 300;
            assertTrue(cut.endMs() >= speechOnsetMs - ONSET_EDGE_MS,
                    "playout went on until the caller spoke: reply " + cut + ", caller " + second);

            // Nothing of the cut reply follows: the right channel is silent until the next reply starts.
            short[] right = call.assistant();
            int rate = RecordedCall.SAMPLE_RATE;
            long silentUntil = replies.get(1).startMs();
            double rmsAfterCut = Signals.rmsMs(right, rate, cut.endMs() + 20,
                    Math.min(silentUntil, cut.endMs() + 1_500));
            assertEquals(0.0, rmsAfterCut, 1.0, "the queued rest of the reply was dropped");

            // conversation.item.truncate told the model what was heard, in ms of that item's audio, when the caller's
            // speech was detected: the turn ends there, so nothing was played after it. Both count whole 20 ms
            // frames of the item; the turn's ends are frame edges; skipped ticks play nothing.
            JsonNode truncate = truncateSent(gw);
            assertEquals(cut.itemId(), truncate.path("item_id").asText());
            assertEquals(0, truncate.path("content_index").asInt());
            long heard = truncate.path("audio_end_ms").asLong();
            long skipped = Echoes.skippedTicks(gw);
            assertTrue(heard <= playedMs + Echoes.TICK_MS && heard >= playedMs - Echoes.TICK_MS * (1 + skipped),
                    "playout stopped when the caller's speech was detected: truncate audio_end_ms " + heard
                            + ", the turn " + cut + ", " + skipped + " ticks skipped");
        }
    }

    private static JsonNode truncateSent(GatewayUnderIT gw) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        for (String frame : gw.agent().receivedFrames()) {
            if (frame.contains("conversation.item.truncate")) {
                return mapper.readTree(frame);
            }
        }
        throw new AssertionError("no conversation.item.truncate sent; types: " + gw.agent().receivedTypes());
    }
}
