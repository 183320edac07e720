package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.demoagent.DemoScript;
import gateway.testkit.Await;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIP faults end to end over UDP: a caller that vanishes without a BYE (the call ends on RTP inactivity with our BYE),
 * our BYE lost (retransmitted per Timer E, RFC 3261 §17.1.2.2, the recording finished all the same), a caller's BYE
 * retransmitted (the same 200 again, one recording), a CANCEL that comes after our 200 (answered 200 without
 * effect, RFC 3261 §9.2; the call goes on until the caller's BYE), and CANCELs racing the answer (at once, at the
 * 180, once the agent's session is open): either 487 and no call or a call ended by its BYE, never a call, a
 * Realtime session or a recording left open.
 */
@Tag("e2e")
class SipFaultsIT {

    private static final int RTP_MIN = 41_700;
    private static final int RTP_TIMEOUT_SECONDS = 2;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** speech.ulaw: 40,000 bytes at 8 kHz. */
    private static final long SPEECH_MS = 5_000;
    /** Timer E's first interval, T1, then doubled (RFC 3261 §17.1.2.2). */
    private static final long T1_MS = 500;
    /** Where the raw caller says its RTP goes (it sends none), and who it is. */
    private static final int RTP_PORT = RTP_MIN + 90;
    private static final String USER = "fault";

    @TempDir
    Path recordings;

    /** A request in the dialog of {@code response} to the INVITE of call {@code callId}, answered: its response. */
    private static SipMessage ask(RawSipClient caller, String callId, SipMessage response, String method, int cseq,
                                  String branch) throws IOException {
        caller.sendInDialog(USER, callId, response, method, cseq, branch);
        return caller.awaitFinalResponse(TIMEOUT);
    }

    @Test
    void aCallerThatVanishesWithoutByeIsEndedOnRtpInactivityAndRecordedUpToThen() throws Exception {
        try (GatewayUnderIT gw = GatewayUnderIT.start(DemoScript.defaults(), RTP_MIN, recordings,
                List.of("--rtp.timeout-seconds=" + RTP_TIMEOUT_SECONDS))) {
            // The caller speaks for 5 s, then its media stops; no BYE: it waits for ours and answers it.
            Sipp.Result sipp = Sipp.scenario("uac_gateway_hangs_up.xml").run(gw.sipPort(), "vanishing-caller");
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), "SIPp took the gateway's BYE: " + sipp.describe());
            SipMessage bye = sipp.messages().stream().filter(m -> m.received() && "BYE".equals(m.method())
                    && !m.isResponse()).findFirst().orElseThrow();
            long byeAfterAckMs = Duration.between(sipp.sent("ACK").time(), bye.time()).toMillis();
            // The speech's last packet leaves one frame before its end; SIPp stamps in whole milliseconds.
            long lastPacketMs = SPEECH_MS - Echoes.TICK_MS - 1;
            assertTrue(byeAfterAckMs >= lastPacketMs + RTP_TIMEOUT_SECONDS * 1000L
                    && byeAfterAckMs < SPEECH_MS + RTP_TIMEOUT_SECONDS * 1000L + 3_000,
                    "BYE " + byeAfterAckMs + " ms after the ACK: the speech, then the RTP timeout");
            RecordedCall call = RecordedCall.awaitOnly(recordings, TIMEOUT);
            assertEquals("rtp_timeout", call.json().text("end_reason"), call.json().toString());
            long durationMs = call.json().durationMs();
            assertTrue(Math.abs(durationMs - byeAfterAckMs) < 1_000, durationMs + " ms recorded, BYE at "
                    + byeAfterAckMs);
            assertEquals(durationMs * RecordedCall.SAMPLE_RATE / 1000, call.caller().length,
                    RecordedCall.SAMPLE_RATE / 50.0, "the WAV holds the whole call up to the BYE");
            Await.until(() -> gw.metricNow("gateway_calls_in_progress") == 0, TIMEOUT, () -> "the call is gone");
        }
    }

    @Test
    void ourByeLostIsRetransmittedPerTimerEAndTheRecordingFinishedEitherWay() throws Exception {
        try (GatewayUnderIT gw = GatewayUnderIT.start(DemoScript.defaults(), RTP_MIN, recordings,
                List.of("--rtp.timeout-seconds=" + RTP_TIMEOUT_SECONDS));
             RawSipClient caller = new RawSipClient(gw.sipPort())) {
            caller.answeredCall(USER, "bye-lost", RTP_PORT, TIMEOUT);
            // No RTP: after the timeout the gateway says BYE, which this caller leaves unanswered three times.
            List<SipMessage> byes = new ArrayList<>();
            List<Long> arrivals = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                byes.add(caller.awaitRequest("BYE", TIMEOUT));
                arrivals.add(System.nanoTime());
            }
            RecordedCall call = RecordedCall.awaitOnly(recordings, TIMEOUT);
            assertEquals("rtp_timeout", call.json().text("end_reason"), call.json().toString());
            caller.answerOk(byes.get(3));
            for (int i = 1; i < 4; i++) {
                assertEquals(byes.get(0).header("Via"), byes.get(i).header("Via"), "a retransmission, same branch");
                assertEquals(byes.get(0).header("CSeq"), byes.get(i).header("CSeq"));
                long gapMs = TimeUnit.NANOSECONDS.toMillis(arrivals.get(i) - arrivals.get(i - 1));
                long expected = T1_MS << (i - 1);
                assertTrue(gapMs >= expected - 100 && gapMs < expected + 400,
                        "retransmission " + i + " after " + gapMs + " ms, Timer E says " + expected);
            }
            Await.until(() -> gw.metricNow("gateway_calls_in_progress") == 0, TIMEOUT, () -> "the call is gone");
        }
    }

    @Test
    void aRetransmittedByeGetsTheSame200AndOneRecording() throws Exception {
        try (GatewayUnderIT gw = GatewayUnderIT.start(DemoScript.defaults(), RTP_MIN, recordings,
                List.of("--rtp.timeout-seconds=0"));
             RawSipClient caller = new RawSipClient(gw.sipPort())) {
            SipMessage ok = caller.answeredCall(USER, "bye-twice", RTP_PORT, TIMEOUT);
            SipMessage first = ask(caller, "bye-twice", ok, "BYE", 2, "-bye");
            SipMessage again = ask(caller, "bye-twice", ok, "BYE", 2, "-bye");
            assertEquals(200, first.statusCode(), first.toString());
            assertEquals(first.startLine(), again.startLine());
            for (String header : List.of("Via", "From", "To", "Call-ID", "CSeq")) {
                assertEquals(first.header(header), again.header(header), header);
            }
            RecordedCall call = RecordedCall.awaitOnly(recordings, TIMEOUT);
            assertEquals("caller_bye", call.json().text("end_reason"), call.json().toString());
            assertEquals(1.0, gw.metricNow("gateway_calls_ended_total{reason=\"caller_bye\"}"));
        }
    }

    @Test
    void aCancelAfterOur200IsAnswered200WithoutEffectAndTheCallerByeEndsTheCall() throws Exception {
        try (GatewayUnderIT gw = GatewayUnderIT.start(DemoScript.defaults(), RTP_MIN, recordings,
                List.of("--rtp.timeout-seconds=0"));
             RawSipClient caller = new RawSipClient(gw.sipPort())) {
            SipMessage ok = caller.answeredCall(USER, "cancel-late", RTP_PORT, TIMEOUT);
            // The CANCEL of the INVITE (its branch, CSeq 1) crossed our 200 on the wire.
            SipMessage cancelled = ask(caller, "cancel-late", ok, "CANCEL", 1, "-1");
            assertEquals("CANCEL", cancelled.method(), cancelled.toString());
            assertEquals(200, cancelled.statusCode(), "the INVITE transaction is Accepted (RFC 6026): " + cancelled);
            assertEquals(1.0, gw.metricNow("gateway_calls_in_progress"), "the CANCEL had no effect on the call");
            assertEquals(1, gw.agent().connections());
            SipMessage byeOk = ask(caller, "cancel-late", ok, "BYE", 2, "-bye");
            assertEquals(200, byeOk.statusCode(), byeOk.toString());
            RecordedCall call = RecordedCall.awaitOnly(recordings, TIMEOUT);
            assertEquals("caller_bye", call.json().text("end_reason"), call.json().toString());
            Await.until(() -> gw.metricNow("gateway_calls_in_progress") == 0, TIMEOUT, () -> "the call is gone");
        }
    }

    @Test
    void aCancelRacingTheAnswerLeavesEitherNoCallOrACallEndedByItsBye() throws Exception {
        int calls = 6;
        try (GatewayUnderIT gw = GatewayUnderIT.start(DemoScript.defaults(), RTP_MIN, recordings,
                List.of("--rtp.timeout-seconds=0"));
             RawSipClient caller = new RawSipClient(gw.sipPort())) {
            int answered = 0;
            for (int i = 0; i < calls; i++) {
                String callId = "cancel-race-" + i;
                int session = gw.agent().connections() + 1;
                caller.send(caller.invite(USER, callId, RTP_PORT));
                // The CANCEL goes out at once, at the 180, or once the agent's session is open, when the 200 is
                // about to go out: either may reach the other side first.
                if (i % 3 == 1) {
                    caller.awaitProvisional(180, TIMEOUT);
                } else if (i % 3 == 2) {
                    gw.agent().awaitConnection(session, TIMEOUT);
                }
                caller.send(caller.inDialog(USER, callId, "<sip:agent@127.0.0.1:" + gw.sipPort() + ">", "CANCEL", 1,
                        "-1"));
                SipMessage inviteFinal = null;
                SipMessage cancelFinal = null;
                while (inviteFinal == null || cancelFinal == null) {
                    SipMessage response = caller.awaitFinalResponse(TIMEOUT);
                    if (response.method().equals("CANCEL")) {
                        cancelFinal = response;
                    } else if (inviteFinal == null) {
                        inviteFinal = response;
                    }
                }
                assertEquals(200, cancelFinal.statusCode(), "a CANCEL matching the INVITE: " + cancelFinal);
                if (inviteFinal.statusCode() == 487) {
                    caller.sendInDialog(USER, callId, inviteFinal, "ACK", 1, "-1");
                } else {
                    assertEquals(200, inviteFinal.statusCode(), inviteFinal.toString());
                    answered++;
                    caller.sendInDialog(USER, callId, inviteFinal, "ACK", 1, "-ack");
                    assertEquals(200, ask(caller, callId, inviteFinal, "BYE", 2, "-bye").statusCode());
                }
            }
            int expectedRecordings = answered;
            Await.until(() -> gw.metricNow("gateway_calls_in_progress") == 0, TIMEOUT, () -> "no call left open");
            List<Path> finished = Recordings.awaitFinished(recordings, expectedRecordings, TIMEOUT);
            assertEquals(expectedRecordings, Recordings.callDirsNow(recordings).size(),
                    "a recording for each answered call, none for a cancelled one: " + finished);
            for (Path dir : finished) {
                assertEquals("caller_bye", RecordedCall.load(dir).json().text("end_reason"));
            }
            for (int n = 1; n <= gw.agent().connections(); n++) {
                gw.agent().connection(n).ended().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            System.out.println("SipFaultsIT CANCEL race: " + answered + " of " + calls + " answered before the CANCEL");
        }
    }
}
