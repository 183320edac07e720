package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.demoagent.DemoConnection;
import gateway.demoagent.DemoScript;
import gateway.testkit.Signals;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The caller holds the call mid-reply and resumes it (RFC 3264 §8.4), by re-INVITE and by UPDATE (RFC 3311), while
 * its RTP keeps flowing (music on hold): each 200 answers the direction with the o= version moved on; nothing the
 * caller sends while held reaches the recording or the model, and nothing is played to it; the reply in progress
 * is truncated to what was heard and cancelled; after the resume it is heard and answered again. The caller holds
 * once the reply has played for a moment, and hangs up once the reply after the resume has played.
 */
@Tag("e2e")
class HoldIT {

    private static final int RTP_MIN = 32_000;
    private static final int HOLD = 2;
    private static final int RESUME = 3;
    /**
     * The caller holds once the reply has played this long: the echo's first 40 ms probes (Echoes) are then in what
     * was played before the cut.
     */
    private static final long HOLD_AFTER_MS = 400;
    /**
     * The agent sends a reply as 1.5 s of audio, then the rest 1.4 s later: the echo of the short speech (1.8 s) is
     * still playing and being generated for a second after the caller's cue to hold, so the hold must cut and cancel
     * it; and it never runs dry while it plays.
     */
    private static final long DELTA_MS = 1_500;
    private static final long DELTA_INTERVAL_MS = 1_400;
    /** Deadline for each step of the call (the reply starts some 2.5 s after the ACK); ends a failing test only. */
    private static final Duration STEP_WITHIN = Duration.ofSeconds(30);
    /**
     * Sample 0 is taken just before the gateway builds its 200 OK to the INVITE, and a hold's time when the call's
     * loop handles the new answer, just after its 200 went out. SIPp logs both 200s a little later (the SIP loop,
     * encoding, loopback; more on a busy machine, where a loop may also start late). Times measured from SIPp's
     * first 200 to its log of a later one may run short of the gateway's by that much.
     */
    private static final long HANDLING_SLACK_MS = 250;
    /**
     * While held the caller's packets are dropped as the call's loop reads them. A loop that stalls across the
     * resume reads the last packets of the music on hold after it, and records them where their RTP timestamps
     * put them: in the last moments of the hold. (The activity measure's 20 ms windows are inside this too.)
     */
    private static final long RESUME_STALL_MS = 150;
    /**
     * Caller samples kept from the model: the hold's length, give or take the packets a stalled loop reads on the
     * other side of the hold's start or end (as above), and the silence the gateway fills where SIPp's new stream
     * jumps its timestamp. The music on hold itself is 90 packets.
     */
    private static final long WITHHELD_TOLERANCE_SAMPLES = 10 * Echoes.FRAME;

    @TempDir
    Path recordings;

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aReInviteHoldsAndResumesTheCall() throws Exception {
        holdAndResume("uac_hold_reinvite.xml", "INVITE", RTP_MIN, "hold-reinvite");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void anUpdateHoldsAndResumesTheCall() throws Exception {
        holdAndResume("uac_hold_update.xml", "UPDATE", RTP_MIN + GatewayUnderIT.RTP_RANGE_SIZE, "hold-update");
    }

    private void holdAndResume(String scenario, String method, int rtpMin, String logName) throws Exception {
        DemoScript script = DemoScript.defaults().withRecordFrames(true).withDeltaMs(DELTA_MS)
                .withDeltaIntervalMs(DELTA_INTERVAL_MS);
        try (GatewayUnderIT gw = GatewayUnderIT.start(script, rtpMin, recordings)) {
            Sipp.Running running = Sipp.scenario(scenario).start(gw.sipPort(), logName);
            gw.awaitReplyPlaying(1, HOLD_AFTER_MS, STEP_WITHIN);
            running.cue("the reply played for " + HOLD_AFTER_MS + " ms");
            // The music on hold is not recorded: what the caller says after the resume is the left channel's second.
            LiveRecording.of(recordings, STEP_WITHIN).awaitEchoPlayed(1, STEP_WITHIN);
            running.cue("the reply after the resume played to its end");
            Sipp.Result sipp = running.await();
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
            RecordedCall call = RecordedCall.awaitOnly(recordings, STEP_WITHIN);
            CallJson json = call.json();
            assertEquals("caller_bye", json.text("end_reason"), json.toString());
            CallIsAnsweredAndRecordedIT.assertWavShape(call);

            assertAnswers(sipp, method);
            HoldPeriod hold = assertHoldTimes(json, sipp, method);
            assertNothingHeardWhileHeld(gw, call, hold);
            assertReplyCutAtTheHold(gw, call, hold);
            assertHeardAndAnsweredAfterResume(call, hold, Echoes.skippedTicks(gw));
        }
    }

    /** The same SDP each time but for the direction and the o= version, which moves on with each change (§8). */
    private static void assertAnswers(Sipp.Result sipp, String method) {
        SdpBody first = SdpBody.of(sipp.response(200, "INVITE", 1));
        SdpBody held = SdpBody.of(sipp.response(200, method, HOLD));
        SdpBody resumed = SdpBody.of(sipp.response(200, method, RESUME));
        long version = first.origin().version();
        assertEquals("a=sendrecv", first.line("a=sendrecv"));
        assertEquals(first.withVersion(version + 1).withDirection("recvonly"), held,
                "sendonly is answered recvonly, o= version + 1");
        assertEquals(first.withVersion(version + 2), resumed, "sendrecv is answered sendrecv, o= version + 1 again");
    }

    private record HoldPeriod(long startMs, long endMs) {
    }

    /** call.json's hold lies between SIPp sending each request and receiving its 200, relative to the answer. */
    private static HoldPeriod assertHoldTimes(CallJson json, Sipp.Result sipp, String method) {
        JsonNode holds = json.root().path("holds");
        assertEquals(1, holds.size(), json.toString());
        HoldPeriod hold = new HoldPeriod(holds.get(0).path("start_ms").asLong(), holds.get(0).path("end_ms").asLong());
        SipMessage answered = sipp.response(200, "INVITE", 1);
        assertBetween(hold.startMs(), sipp.sent(method, HOLD), sipp.response(200, method, HOLD), answered, "start");
        assertBetween(hold.endMs(), sipp.sent(method, RESUME), sipp.response(200, method, RESUME), answered, "end");
        return hold;
    }

    private static void assertBetween(long ms, SipMessage request, SipMessage ok, SipMessage answered, String what) {
        long sent = CallIsAnsweredAndRecordedIT.millisBetween(answered, request);
        long done = CallIsAnsweredAndRecordedIT.millisBetween(answered, ok);
        // -1: both clocks are cut to whole milliseconds.
        assertTrue(ms >= sent - 1 && ms <= done + HANDLING_SLACK_MS, "hold " + what + " at " + ms + " ms, SIPp sent "
                + request.method() + " at " + sent + " ms and had its 200 at " + done + " ms");
    }

    /**
     * While held the left and right channels are silent, and the model got every caller sample but the hold's:
     * the gateway did receive the music on hold (about 90 packets), and kept it from the recording and the model.
     */
    private static void assertNothingHeardWhileHeld(GatewayUnderIT gw, RecordedCall call, HoldPeriod hold)
            throws Exception {
        int rate = RecordedCall.SAMPLE_RATE;
        assertEquals(0.0, Signals.rmsMs(call.caller(), rate, hold.startMs(), hold.endMs() - RESUME_STALL_MS),
                "no caller audio recorded while held " + hold);
        assertEquals(0.0, Signals.rmsMs(call.assistant(), rate, hold.startMs() + Echoes.TICK_MS, hold.endMs()),
                "no agent audio played while held " + hold);
        long received = (long) gw.metric("gateway_rtp_packets_received_total") * Echoes.FRAME;
        long appended = gw.agent().connection(1).inputSamples();
        assertEquals((hold.endMs() - hold.startMs()) * rate / 1000, received - appended, WITHHELD_TOLERANCE_SAMPLES,
                "the model got every caller sample but the hold's: " + appended + " of " + received);
    }

    /** The reply playing when the hold came stops there, is truncated to what was played and cancelled. */
    private static void assertReplyCutAtTheHold(GatewayUnderIT gw, RecordedCall call, HoldPeriod hold)
            throws Exception {
        List<Signals.Segment> spoken = utterances(call);
        long skipped = Echoes.skippedTicks(gw);
        CallJson.Turn cut = call.json().turns("assistant").get(0);
        assertTrue(cut.interrupted(), "the reply playing at the hold is cut off: " + cut);
        // The hold stops playout at once; a loop that stalled just before it may not have played the ticks due.
        assertTrue(cut.startMs() < hold.startMs() && cut.endMs() >= hold.startMs() - HANDLING_SLACK_MS
                        && cut.endMs() <= hold.startMs() + Echoes.TICK_MS,
                "the reply played until the hold " + hold + ": " + cut);
        Echoes.assertPlayedUntilCut(call, spoken.get(0), cut, skipped);

        ObjectMapper mapper = new ObjectMapper();
        DemoConnection session = gw.agent().connection(1);
        List<String> types = session.receivedTypes();
        int truncateAt = types.indexOf("conversation.item.truncate");
        assertTrue(truncateAt >= 0 && types.indexOf("response.cancel") > truncateAt,
                "truncate, then cancel: " + types.stream().filter(t -> !t.equals("input_audio_buffer.append"))
                        .toList());
        JsonNode truncate = null;
        for (String frame : session.receivedFrames()) {
            JsonNode event = mapper.readTree(frame);
            if (event.path("type").asText().equals("conversation.item.truncate")) {
                truncate = event;
            }
        }
        assertTrue(truncate != null, "the truncate frame was recorded");
        assertEquals(cut.itemId(), truncate.path("item_id").asText());
        assertEquals(0, truncate.path("content_index").asInt());
        // Both count whole 20 ms frames of the item; the turn's ends are frame edges; skipped ticks play nothing.
        long played = truncate.path("audio_end_ms").asLong();
        assertTrue(played <= cut.endMs() - cut.startMs() + Echoes.TICK_MS
                        && played >= cut.endMs() - cut.startMs() - Echoes.TICK_MS * (1 + skipped),
                "audio_end_ms " + played + " is what was played before the hold: " + cut);
    }

    /** After the resume the caller's speech is recorded, reaches the model and is echoed, whole. */
    private static void assertHeardAndAnsweredAfterResume(RecordedCall call, HoldPeriod hold, long skipped) {
        List<Signals.Segment> spoken = utterances(call);
        Signals.Segment again = spoken.get(1);
        assertTrue(again.startMs() >= hold.endMs() - RESUME_STALL_MS, "the second utterance follows the resume "
                + hold + ": " + spoken);
        List<CallJson.Turn> callerTurns = call.json().turns("caller");
        assertEquals(2, callerTurns.size(), "two caller turns, none from the music on hold: " + call.json());
        List<CallJson.Turn> replies = call.json().turns("assistant");
        assertEquals(2, replies.size(), call.json().toString());
        assertTrue(replies.get(1).startMs() > callerTurns.get(1).endMs() - 100, replies.toString());
        Echoes.assertPlayedWhole(call, again, replies.get(1), skipped);
        Echoes.assertSilentOutsideTurns(call);
    }

    /** The caller's two utterances on the left channel (the music on hold is not recorded). */
    private static List<Signals.Segment> utterances(RecordedCall call) {
        List<Signals.Segment> spoken = Signals.activity(call.caller(), RecordedCall.SAMPLE_RATE, 20,
                CallIsAnsweredAndRecordedIT.SPEECH_RMS, CallIsAnsweredAndRecordedIT.WORD_GAP_MS);
        assertEquals(2, spoken.size(), "before the hold and after the resume: " + spoken);
        return spoken;
    }
}
