package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import gateway.bridge.Gateway;
import gateway.config.ConfigLoader;
import gateway.demoagent.DemoAgent;
import gateway.demoagent.DemoConnection;
import gateway.demoagent.DemoFault;
import gateway.demoagent.DemoScript;
import gateway.testkit.Await;
import gateway.testkit.Signals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A faulty Realtime server (the demo agent scripted to misbehave, over real sockets) against a real gateway and
 * real SIPp calls: what the caller gets, what call.json says and what the recording holds. A refused TCP connection
 * and a dropped socket are in {@link RealtimeFailureIT} and {@link RealtimeSessionChangeIT}.
 */
@Tag("e2e")
class RealtimeFaultsIT {

    /** The first half of this work's range (41 400-41 599); RecordingsDiskFullIT has the second. */
    private static final int RTP_MIN = 41_400;
    /** realtime.connect-timeout-ms for the held handshake: the 503 comes no sooner. */
    private static final int CONNECT_TIMEOUT_MS = 1_000;
    /** realtime.idle-timeout-ms for the hung server (the default is 30 s). */
    private static final int IDLE_TIMEOUT_MS = 2_000;
    /** The test strikes once the first reply has played this long: the fault comes in the middle of a reply. */
    private static final long STRIKE_AFTER_PLAYED_MS = 200;
    /** A new session is live within about a second of the old one's end (RealtimeSessionChangeIT). */
    private static final long RECONNECT_WITHIN_MS = 1_100;
    /** The gateway's ping comes on a loop tick, the drop one later; a busy machine delays both. */
    private static final long IDLE_SLACK_MS = 1_500;
    private static final int TEN_MB = 10_000_000;
    /** RFC 6455 §7.4.1: message too big, what the gateway closes with when an event is over its frame limit. */
    private static final int MESSAGE_TOO_BIG = 1009;
    private static final int NORMAL_CLOSURE = 1000;
    private static final Duration STEP_WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path recordings;

    @Test
    void aServiceUnreachableAtStartGets503AndLeavesNoRecording() throws Exception {
        try (DemoAgent refusing = DemoAgent.start(DemoScript.defaults().refuseConnection(1, 401))) {
            rejected(refusing, refusing.url().toString(), List.of(), "realtime-401", 0);
        }
        try (DemoAgent plain = DemoAgent.start(DemoScript.defaults())) {
            // TLS to a server that speaks plain HTTP: the handshake fails on its first answer.
            rejected(plain, plain.url().toString().replace("ws://", "wss://"), List.of(), "realtime-tls", 0);
        }
        try (DemoAgent holding = DemoAgent.start(DemoScript.defaults().holdConnection(1))) {
            rejected(holding, holding.url().toString(), List.of("--realtime.connect-timeout-ms=" + CONNECT_TIMEOUT_MS),
                    "realtime-held", CONNECT_TIMEOUT_MS);
        }
    }

    /** One call to a gateway whose realtime.url is {@code url}: 503 no sooner than {@code atLeastMs}, nothing kept. */
    private void rejected(DemoAgent agent, String url, List<String> flags, String name, long atLeastMs)
            throws Exception {
        Path dir = Files.createDirectories(recordings.resolve(name));
        List<String> args = new ArrayList<>(List.of("--sip.listen=127.0.0.1", "--sip.port=0",
                "--sip.public-host=127.0.0.1", "--http.listen=127.0.0.1", "--http.port=0",
                "--rtp.port-min=" + RTP_MIN, "--rtp.port-max=" + (RTP_MIN + GatewayUnderIT.RTP_RANGE_SIZE - 1),
                "--realtime.url=" + url, "--recordings.dir=" + dir));
        args.addAll(flags);
        try (Gateway gateway = Gateway.start(ConfigLoader.load(args, Map.of()))) {
            Sipp.Result sipp = Sipp.scenario("uac_expect_503.xml").run(gateway.sipPort(), name);
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), name + ": " + sipp.describe());
            SipMessage refused = sipp.response(503, "INVITE");
            assertEquals(sipp.sent("INVITE").header("Call-ID").orElseThrow(), refused.header("Call-ID").orElseThrow());
            assertTrue(sipp.messages().stream().noneMatch(m -> m.statusCode() == 200), name + ": never answered");
            long tookMs = CallIsAnsweredAndRecordedIT.millisBetween(sipp.sent("INVITE"), refused);
            assertTrue(tookMs >= atLeastMs - 1, name + ": 503 after " + tookMs + " ms, not before " + atLeastMs);
            assertEquals(1, agent.accepted(), name + ": the gateway tried the service once");
        }
        // Closing the gateway waited for the call to end and the recorder to finish.
        assertEquals(List.of(), Recordings.callDirs(dir), name + ": no recording for a call not answered");
    }

    @Test
    void aHungServerIsReplacedAfterTheIdleTimeoutAndTheReplyPlaysOn() throws Exception {
        try (GatewayUnderIT gw = GatewayUnderIT.start(GatewayUnderIT.wholeReplies(), RTP_MIN, recordings,
                List.of("--realtime.idle-timeout-ms=" + IDLE_TIMEOUT_MS))) {
            Sipp.Running running = Sipp.scenario("uac_speech_cue.xml").start(gw.sipPort(), "realtime-hung");
            gw.awaitReplyPlaying(1, STRIKE_AFTER_PLAYED_MS, STEP_WITHIN);
            gw.agent().connection(1).strike(new DemoFault.Silent(0));
            gw.agent().awaitConnection(2, STEP_WITHIN);
            Await.until(() -> gw.metricNow("gateway_realtime_session_switches_total{reason=\"reconnect\"}") >= 1,
                    STEP_WITHIN, () -> "the second session went live");
            RecordedCall call = hangUpAfterTheEcho(running);
            CallJson json = call.json();
            JsonNode sessions = json.root().path("realtime_sessions");
            assertEquals(2, sessions.size(), sessions.toString());
            assertEquals("connection_lost", sessions.get(0).path("end_reason").asText(), sessions.toString());
            assertEquals("caller_bye", sessions.get(1).path("end_reason").asText(), sessions.toString());
            CallJson.Turn reply = json.turns("assistant").get(0);
            long struckMs = reply.startMs() + STRIKE_AFTER_PLAYED_MS;
            long lostMs = sessions.get(0).path("end_ms").asLong();
            // The last frame came before the strike, so the drop is at most an idle timeout after it.
            assertTrue(lostMs >= struckMs && lostMs <= struckMs + IDLE_TIMEOUT_MS + IDLE_SLACK_MS,
                    "struck at " + struckMs + " ms, dropped at " + lostMs + ": " + sessions);
            long nextMs = sessions.get(1).path("start_ms").asLong();
            assertTrue(nextMs >= lostMs && nextMs <= lostMs + RECONNECT_WITHIN_MS, sessions.toString());
            assertTrue(reply.endMs() > lostMs, "the reply, received whole before the hang, played across it: "
                    + reply + ", " + sessions);
            CallIsAnsweredAndRecordedIT.assertWavShape(call);
            assertSpeech(call.caller(), "the caller's speech is on the left channel");
            assertEquals(2, gw.agent().accepted(), "one replacement");
        }
    }

    @Test
    void aMalformedEventIsCountedAndTheCallGoesOnOnItsSession() throws Exception {
        // Replies in 100 ms deltas: the reply's later deltas come after the bad event.
        try (GatewayUnderIT gw = GatewayUnderIT.start(DemoScript.defaults(), RTP_MIN, recordings)) {
            Sipp.Running running = Sipp.scenario("uac_speech_cue.xml").start(gw.sipPort(), "realtime-malformed");
            gw.awaitReplyPlaying(1, STRIKE_AFTER_PLAYED_MS, STEP_WITHIN);
            gw.agent().connection(1).strike(new DemoFault.Send(0, "{\"type\":\"response.output_audio.delta\","));
            Await.until(() -> gw.metricNow("gateway_realtime_malformed_events_total") >= 1, STEP_WITHIN,
                    () -> "the bad event counted");
            RecordedCall call = hangUpAfterTheEcho(running);
            CallJson json = call.json();
            JsonNode sessions = json.root().path("realtime_sessions");
            assertEquals(1, sessions.size(), "one bad event never ends a session: " + sessions);
            assertEquals("caller_bye", sessions.get(0).path("end_reason").asText(), sessions.toString());
            assertEquals(1, gw.agent().accepted());
            assertEquals(1.0, gw.metric("gateway_realtime_malformed_events_total"));
            CallIsAnsweredAndRecordedIT.assertWavShape(call);
            assertSpeech(call.caller(), "the caller's speech is on the left channel");
        }
    }

    @Test
    void anOversizedEventEndsOnlyItsOwnSessionWhichIsReplacedWhileAnotherCallGoesOnUntouched() throws Exception {
        try (GatewayUnderIT gw = GatewayUnderIT.start(GatewayUnderIT.wholeReplies(), RTP_MIN, recordings)) {
            Sipp.Running other = Sipp.scenario("uac_speech_cue.xml").start(gw.sipPort(), "realtime-oversized-other");
            gw.agent().awaitConnection(1, STEP_WITHIN);
            Sipp.Running faulty = Sipp.scenario("uac_speech_cue.xml").start(gw.sipPort(), "realtime-oversized");
            DemoConnection faultySession = gw.agent().awaitConnection(2, STEP_WITHIN);
            // Both replies playing: the second is the faulty call's (it started after the other's was connected).
            gw.awaitReplyPlaying(2, STRIKE_AFTER_PLAYED_MS, STEP_WITHIN);
            faultySession.strike(new DemoFault.Oversized(0, TEN_MB));
            DemoConnection.Ending ending = faultySession.ended().get(STEP_WITHIN.toSeconds(), TimeUnit.SECONDS);
            // The gateway refuses the frame on its header and closes; its 1009 close frame may be lost with the TCP.
            // Never 1000: that would tell the server all was well.
            assertTrue(ending.how() == DemoConnection.How.LOST
                    || ending.how() == DemoConnection.How.CLOSE_RECEIVED && ending.code() == MESSAGE_TOO_BIG,
                    "the gateway ended the socket: " + ending);
            gw.agent().awaitConnection(3, STEP_WITHIN);
            List<Path> dirs = Await.until(() -> Recordings.callDirsNow(recordings), d -> d.size() == 2, STEP_WITHIN,
                    d -> "both calls answered: " + d);
            for (Path dir : dirs) {
                LiveRecording.in(dir).awaitEchoPlayed(0, STEP_WITHIN);
            }
            other.cue("both replies played");
            faulty.cue("both replies played");
            Sipp.Result otherSipp = other.await();
            Sipp.Result faultySipp = faulty.await();
            assertEquals(Sipp.SUCCESS, otherSipp.exitCode(), otherSipp.describe());
            assertEquals(Sipp.SUCCESS, faultySipp.exitCode(), faultySipp.describe());

            Recordings.awaitFinished(recordings, 2, STEP_WITHIN);
            CallJson faultyJson = jsonOf(faultySipp);
            JsonNode faultySessions = faultyJson.root().path("realtime_sessions");
            assertEquals("caller_bye", faultyJson.text("end_reason"), faultyJson.toString());
            assertEquals(2, faultySessions.size(), faultySessions.toString());
            assertEquals("connection_lost", faultySessions.get(0).path("end_reason").asText());
            assertEquals(gw.agent().connection(3).sessionId(), faultySessions.get(1).path("session_id").asText());

            CallJson otherJson = jsonOf(otherSipp);
            JsonNode otherSessions = otherJson.root().path("realtime_sessions");
            assertEquals("caller_bye", otherJson.text("end_reason"), otherJson.toString());
            assertEquals(1, otherSessions.size(), "the other call kept its one session: " + otherSessions);
            assertEquals(gw.agent().connection(1).sessionId(), otherSessions.get(0).path("session_id").asText());
            assertEquals(DemoConnection.How.CLOSE_RECEIVED, gw.agent().connection(1).ended()
                    .get(STEP_WITHIN.toSeconds(), TimeUnit.SECONDS).how(), "closed by the gateway at its end");
            assertEquals(NORMAL_CLOSURE, gw.agent().connection(1).ended().get().code());
            assertEquals(0.0, gw.metric("gateway_realtime_malformed_events_total"), "refused, never parsed");
            for (Path dir : dirs) {
                RecordedCall call = RecordedCall.load(dir);
                CallIsAnsweredAndRecordedIT.assertWavShape(call);
                assertSpeech(call.caller(), dir + ": the caller's speech");
                assertSpeech(call.assistant(), dir + ": the echo");
            }
        }
    }

    /** Once the echo of the caller has played to its end, the caller hangs up: the finished call, ended by its BYE. */
    private RecordedCall hangUpAfterTheEcho(Sipp.Running running) throws Exception {
        LiveRecording.of(recordings, STEP_WITHIN).awaitEchoPlayed(0, STEP_WITHIN);
        running.cue("the echo played to its end");
        Sipp.Result sipp = running.await();
        assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
        RecordedCall call = RecordedCall.awaitOnly(recordings, STEP_WITHIN);
        assertEquals("caller_bye", call.json().text("end_reason"), call.json().toString());
        return call;
    }

    private CallJson jsonOf(Sipp.Result sipp) throws Exception {
        String callId = sipp.sent("INVITE").header("Call-ID").orElseThrow();
        for (Path dir : Recordings.callDirs(recordings)) {
            CallJson json = CallJson.read(dir.resolve("call.json"));
            if (callId.equals(json.text("sip_call_id"))) {
                return json;
            }
        }
        throw new AssertionError("no call.json for " + callId);
    }

    private static void assertSpeech(short[] channel, String what) {
        List<Signals.Segment> speech = Signals.activity(channel, RecordedCall.SAMPLE_RATE, 20,
                CallIsAnsweredAndRecordedIT.SPEECH_RMS, 0);
        assertTrue(!speech.isEmpty(), what);
    }
}
