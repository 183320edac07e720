package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.testkit.Signals;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The caller hangs up once the agent's reply (3.5 s) has played for a second: the call ends there and the reply turn
 * is cut at the BYE.
 */
@Tag("e2e")
class ByeMidReplyIT {

    private static final int RTP_MIN = 31_200;
    /** How long the reply plays before the caller hangs up. */
    private static final long PLAYING_MS = 1_000;
    /** Deadline for each step of the call (the reply starts some 4.2 s after the ACK); ends a failing test only. */
    private static final Duration STEP_WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path recordings;

    @Test
    void byeDuringTheReplyEndsTheCallAndCutsTheReply() throws Exception {
        try (GatewayUnderIT gw = GatewayUnderIT.start(RTP_MIN, recordings)) {
            Sipp.Running running = Sipp.scenario("uac_bye_mid_reply.xml").start(gw.sipPort(), "bye-mid-reply");
            gw.awaitReplyPlaying(1, PLAYING_MS, STEP_WITHIN);
            running.cue("the reply played for " + PLAYING_MS + " ms");
            Sipp.Result sipp = running.await();
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
            RecordedCall call = RecordedCall.awaitOnly(recordings, STEP_WITHIN);
            CallJson json = call.json();
            long end = json.durationMs();

            assertEquals("caller_bye", json.text("end_reason"), json.toString());
            CallIsAnsweredAndRecordedIT.assertWavShape(call);

            List<CallJson.Turn> replies = json.turns("assistant");
            assertFalse(replies.isEmpty(), json.toString());
            CallJson.Turn reply = replies.get(replies.size() - 1);
            long playedMs = end - reply.startMs();
            assertTrue(playedMs >= PLAYING_MS - Echoes.TICK_MS, "BYE came after the reply had played "
                    + PLAYING_MS + " ms: " + reply + ", call " + end + " ms");
            assertTrue(reply.endMs() <= end, "the reply ends no later than the call: " + reply);
            assertEquals(end, reply.endMs(), 60, "the reply turn is cut at the BYE, not at its natural end: " + reply);
            assertTrue(reply.interrupted(), "audio still queued at the BYE marks the reply interrupted: " + reply);

            int rate = RecordedCall.SAMPLE_RATE;
            short[] right = call.assistant();
            List<Signals.Segment> active = Signals.activity(right, rate, 20, CallIsAnsweredAndRecordedIT.SPEECH_RMS,
                    0);
            assertFalse(active.isEmpty(), "the reply was played");
            Signals.Segment last = active.get(active.size() - 1);
            assertTrue(last.endMs() >= end - 600, "the reply was still playing shortly before the BYE: " + active);
            // What the caller heard until the BYE is its own words from their start, sample for sample (a stalled
            // loop's skipped ticks aside), beginning with the turn.
            Signals.Segment utterance = Signals.activity(call.caller(), rate, 20,
                    CallIsAnsweredAndRecordedIT.SPEECH_RMS, CallIsAnsweredAndRecordedIT.WORD_GAP_MS).get(0);
            Echoes.Echo echo = Echoes.assertPlayedUntilCut(call, utterance, reply, Echoes.skippedTicks(gw));
            assertTrue(echo.fromMs() >= reply.startMs()
                            && echo.fromMs() - reply.startMs() <= Echoes.EDGE_MS + 3 * Echoes.TICK_MS,
                    "the echo starts with the assistant turn " + reply + ": " + echo);
        }
    }
}
