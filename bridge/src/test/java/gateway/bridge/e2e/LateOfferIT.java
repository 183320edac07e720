package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.testkit.Signals;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An INVITE without SDP (RFC 3261 §13.2.1, RFC 3264 §5): the gateway's offer goes in the 200, SIPp's answer in the
 * ACK sets the media, and the call then works as any other: speech in, the echo out, both recorded. The caller
 * hangs up once the echo has played.
 */
@Tag("e2e")
class LateOfferIT {

    private static final int RTP_MIN = 31_900;
    /** Deadline for each step of the call (the echo has played some 4.3 s after the ACK); ends a failing test only. */
    private static final Duration STEP_WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path recordings;

    @Test
    void theOfferInThe200IsAnsweredInTheAckAndCarriesTheCall() throws Exception {
        try (GatewayUnderIT gw = GatewayUnderIT.start(GatewayUnderIT.wholeReplies(), RTP_MIN, recordings)) {
            Sipp.Running running = Sipp.scenario("uac_late_offer.xml").start(gw.sipPort(), "late-offer");
            LiveRecording.of(recordings, STEP_WITHIN).awaitEchoPlayed(0, STEP_WITHIN);
            running.cue("the reply played to its end");
            Sipp.Result sipp = running.await();
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
            RecordedCall call = RecordedCall.awaitOnly(recordings, STEP_WITHIN);

            assertEquals("", sipp.sent("INVITE").body().strip(), "the INVITE had no offer");
            SipMessage ok = sipp.response(200, "INVITE");
            SdpBody offer = SdpBody.of(ok);
            SdpBody.Origin origin = offer.origin();
            int port = offer.audioPort();
            assertEquals(List.of(
                    "v=0",
                    "o=gateway " + origin.sessionId() + " " + origin.version() + " IN IP4 127.0.0.1",
                    "s=gateway",
                    "c=IN IP4 127.0.0.1",
                    "t=0 0",
                    "m=audio " + port + " RTP/AVP 9 0 8 101",
                    "a=rtpmap:9 G722/8000",
                    "a=rtpmap:0 PCMU/8000",
                    "a=rtpmap:8 PCMA/8000",
                    "a=rtpmap:101 telephone-event/8000",
                    "a=fmtp:101 0-15",
                    "a=ptime:20",
                    "a=sendrecv"), offer.lines(), "our offer, line by line");
            assertTrue(port % 2 == 0 && port >= RTP_MIN && port < RTP_MIN + GatewayUnderIT.RTP_RANGE_SIZE,
                    "an even port of the configured range: " + port);
            assertEquals("application/sdp", ok.header("Content-Type").orElse("").strip());
            assertEquals("m=audio " + SdpBody.of(sipp.sent("ACK")).audioPort() + " RTP/AVP 0 101",
                    SdpBody.of(sipp.sent("ACK")).line("m=audio"), "SIPp answered PCMU in the ACK");

            CallJson json = call.json();
            assertEquals("PCMU", json.text("codec"), "call.json has the codec of the answer in the ACK: " + json);
            assertEquals("caller_bye", json.text("end_reason"));
            CallIsAnsweredAndRecordedIT.assertWavShape(call);
            // The left channel has what SIPp sent, decoded as PCMU, where it sent it (from its ACK on).
            CallIsAnsweredAndRecordedIT.assertCallerChannel(call, Speech.shortReference("speech_short.ulaw"),
                    CallIsAnsweredAndRecordedIT.millisBetween(ok, sipp.sent("ACK")));
            List<Signals.Segment> spoken = Signals.activity(call.caller(), RecordedCall.SAMPLE_RATE, 20,
                    CallIsAnsweredAndRecordedIT.SPEECH_RMS, CallIsAnsweredAndRecordedIT.WORD_GAP_MS);
            assertEquals(1, spoken.size(), "one utterance on the left channel: " + spoken);
            List<CallJson.Turn> replies = json.turns("assistant");
            assertEquals(1, replies.size(), json.toString());
            long skipped = Echoes.skippedTicks(gw);
            Echoes.assertPlayedWhole(call, spoken.get(0), replies.get(0), skipped);
            Echoes.assertSilentOutsideTurns(call);
        }
    }
}
