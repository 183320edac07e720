package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import gateway.bridge.Gateway;
import gateway.config.ConfigLoader;
import gateway.demoagent.DemoScript;
import gateway.testkit.Signals;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed Realtime service ends the call politely (BYE or 503) and an answered call still leaves its recording. */
@Tag("e2e")
class RealtimeFailureIT {

    private static final int RTP_MIN = 31_500;
    /** The agent closes the first session (1011) this long after it opens. */
    private static final int AGENT_CLOSES_AFTER_MS = 2_500;
    private static final int INTERNAL_ERROR = 1011;
    /** The reconnect attempts come at once, after 250 ms and after 500 more (realtime.reconnect-backoff-ms). */
    private static final long RECONNECT_BACKOFF_MS = 250 + 500;
    /**
     * Three refused upgrades on loopback and the BYE take milliseconds; a busy machine takes longer. Bounds only
     * that the call ends on the last failed attempt, not on some later timeout.
     */
    private static final long HANG_UP_SLACK_MS = 2_000;

    @TempDir
    Path recordings;

    @Test
    void aRealtimeSessionLostWithNoReplacementEndsTheCallWithByeAndKeepsTheRecording() throws Exception {
        // Later connections are refused (503), so the gateway's reconnect attempts fail and the call still ends.
        DemoScript script = DemoScript.defaults().closeAfterMs(1, AGENT_CLOSES_AFTER_MS, INTERNAL_ERROR)
                .refuseConnectionsFrom(2);
        try (GatewayUnderIT gw = GatewayUnderIT.start(script, RTP_MIN, recordings)) {
            Sipp.Result sipp = Sipp.scenario("uac_gateway_hangs_up.xml").run(gw.sipPort(), "realtime-lost");
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());

            SipMessage ok = sipp.response(200, "INVITE");
            SipMessage bye = sipp.messages().stream()
                    .filter(m -> m.received() && !m.isResponse() && m.method().equals("BYE"))
                    .findFirst().orElseThrow(() -> new AssertionError("no BYE from the gateway"));
            String callId = sipp.sent("INVITE").header("Call-ID").orElseThrow();
            assertEquals(callId, bye.header("Call-ID").orElseThrow());
            assertTrue(bye.startLine().startsWith("BYE sip:sipp@127.0.0.1:"), "BYE goes to the caller's Contact: "
                    + bye.startLine());
            String ourTag = tag(ok.header("To").orElseThrow());
            assertEquals(ourTag, tag(bye.header("From").orElseThrow()), "BYE comes from the dialog's gateway side");

            RecordedCall call = RecordedCall.awaitOnly(recordings, Duration.ofSeconds(5));
            CallJson json = call.json();
            assertEquals("realtime_lost", json.text("end_reason"), json.toString());
            assertEquals(4, gw.agent().accepted(), "the first session and three refused reconnect attempts");
            JsonNode sessions = json.root().path("realtime_sessions");
            assertEquals(1, sessions.size(), json.toString());
            assertEquals("closed_" + INTERNAL_ERROR, sessions.get(0).path("end_reason").asText(), sessions.toString());
            // The session opened between SIPp's INVITE and the answer (connect before answer) and was closed
            // AGENT_CLOSES_AFTER_MS after that, so that much before the answer at most.
            long lostMs = sessions.get(0).path("end_ms").asLong();
            long setupMs = CallIsAnsweredAndRecordedIT.millisBetween(sipp.sent("INVITE"), ok);
            assertTrue(lostMs >= AGENT_CLOSES_AFTER_MS - setupMs - 1, "the session was lost when the agent closed"
                    + " it, " + AGENT_CLOSES_AFTER_MS + " ms after it opened, at most " + setupMs + " ms before the"
                    + " answer: " + sessions);
            long duration = json.durationMs();
            assertTrue(duration >= lostMs + RECONNECT_BACKOFF_MS
                            && duration <= lostMs + RECONNECT_BACKOFF_MS + HANG_UP_SLACK_MS,
                    "the call ends once the last reconnect attempt failed, " + duration + " ms, the session lost at "
                            + lostMs + " ms");
            CallIsAnsweredAndRecordedIT.assertWavShape(call);
            List<Signals.Segment> speech = Signals.activity(call.caller(), RecordedCall.SAMPLE_RATE, 20,
                    CallIsAnsweredAndRecordedIT.SPEECH_RMS, 0);
            assertTrue(!speech.isEmpty(), "the caller's speech up to the failure is in the recording");
        }
    }

    @Test
    void anUnreachableRealtimeServiceRejectsTheCallWith503AndRecordsNothing() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        List<String> args = List.of("--sip.listen=127.0.0.1", "--sip.port=0", "--sip.public-host=127.0.0.1",
                "--http.port=0", "--rtp.port-min=" + (RTP_MIN + 50), "--rtp.port-max=" + (RTP_MIN + 99),
                "--realtime.url=ws://127.0.0.1:" + deadPort + "/v1/realtime", "--recordings.dir=" + recordings);
        try (Gateway gateway = Gateway.start(ConfigLoader.load(args, Map.of()))) {
            Sipp.Result sipp = Sipp.scenario("uac_expect_503.xml").run(gateway.sipPort(), "realtime-unreachable");
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
            SipMessage rejected = sipp.response(503, "INVITE");
            assertEquals(sipp.sent("INVITE").header("Call-ID").orElseThrow(),
                    rejected.header("Call-ID").orElseThrow());
            assertTrue(sipp.messages().stream().noneMatch(m -> m.statusCode() == 200), "never answered");
        }
        // Closing the gateway waited for the call to end and for the recorder to carry out all it was asked.
        assertEquals(0, Recordings.callDirs(recordings).size(), "no recording for a call that was not answered");
    }

    private static String tag(String nameAddr) {
        int i = nameAddr.indexOf(";tag=");
        assertTrue(i >= 0, "no tag in " + nameAddr);
        String rest = nameAddr.substring(i + 5);
        int end = rest.indexOf(';');
        return end < 0 ? rest.trim() : rest.substring(0, end).trim();
    }
}
