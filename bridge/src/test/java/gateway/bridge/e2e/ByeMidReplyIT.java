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

/** The caller hangs up about a second into the agent's reply: the call ends there and the reply turn is cut at the BYE. */
@Tag("e2e")
class ByeMidReplyIT {

    private static final int RTP_MIN = 31_200;
    private static final Duration RECORDING_TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path recordings;

    @Test
    void byeDuringTheReplyEndsTheCallAndCutsTheReply() throws Exception {
        try (GatewayUnderIT gw = GatewayUnderIT.start(RTP_MIN, recordings)) {
            Sipp.Result sipp = Sipp.scenario("uac_bye_mid_reply.xml").run(gw.sipPort(), "bye-mid-reply");
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
            RecordedCall call = RecordedCall.awaitOnly(recordings, RECORDING_TIMEOUT);
            CallJson json = call.json();
            long end = json.durationMs();

            assertEquals("caller_bye", json.text("end_reason"), json.toString());
            CallIsAnsweredAndRecordedIT.assertWavShape(call);

            List<CallJson.Turn> replies = json.turns("assistant");
            assertFalse(replies.isEmpty(), json.toString());
            CallJson.Turn reply = replies.get(replies.size() - 1);
            long playedMs = end - reply.startMs();
            assertTrue(playedMs >= 300 && playedMs <= 2_500, "BYE came about 1 s into the reply: " + reply
                    + ", call " + end + " ms");
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
            short[] played = Signals.head(Speech.reference("speech.ulaw"), rate, playedMs);
            int expectedLag = (int) (reply.startMs() * rate / 1000);
            Signals.Match m = Signals.bestMatch(right, played, expectedLag - rate / 2, expectedLag + rate / 2);
            assertTrue(m.score() >= 0.6, "the played part is the echoed speech: " + m);
            assertEquals(reply.startMs(), m.lagMs(rate), 60, "echo starts with the assistant turn: " + m);
        }
    }
}
