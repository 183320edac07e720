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

    @TempDir
    Path recordings;

    private static String sdp() {
        return "v=0\r\no=raw 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio " + (RTP_MIN + 90) + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    }

    /** An INVITE from {@code client}, answered 200 (returned) and acknowledged. */
    private static SipMessage answeredCall(RawSipClient client, int sipPort, String callId) throws IOException {
        invite(client, sipPort, callId);
        SipMessage ok = client.awaitFinalResponse(TIMEOUT);
        assertEquals(200, ok.statusCode(), ok.toString());
        request(client, sipPort, callId, ok, "ACK", 1, "z9hG4bK-" + callId + "-ack");
        return ok;
    }

    private static void invite(RawSipClient client, int sipPort, String callId) throws IOException {
        String sdp = sdp();
        client.send("""
                INVITE sip:agent@127.0.0.1:%1$d SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:%2$d;branch=z9hG4bK-%3$s-1;rport
                Max-Forwards: 70
                From: <sip:fault@127.0.0.1:%2$d>;tag=%3$s
                To: <sip:agent@127.0.0.1:%1$d>
                Call-ID: %3$s
                CSeq: 1 INVITE
                Contact: <sip:fault@127.0.0.1:%2$d>
                Content-Type: application/sdp
                Content-Length: %4$d

                """.formatted(sipPort, client.localPort(), callId, sdp.length()) + sdp);
    }

    /** An in-dialog request (or a CANCEL, with the INVITE's branch and To) of the call {@code ok} answered. */
    private static void request(RawSipClient client, int sipPort, String callId, SipMessage ok, String method,
                                int cseq, String branch) throws IOException {
        request(client, sipPort, callId, ok.header("To").orElseThrow(), method, cseq, branch);
    }

    /** A request of the call {@code callId} to {@code to} (a CANCEL: the INVITE's To, without a tag). */
    private static void request(RawSipClient client, int sipPort, String callId, String to, String method,
                                int cseq, String branch) throws IOException {
        client.send("""
                %5$s sip:agent@127.0.0.1:%1$d SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:%2$d;branch=%6$s;rport
                Max-Forwards: 70
                From: <sip:fault@127.0.0.1:%2$d>;tag=%3$s
                To: %4$s
                Call-ID: %3$s
                CSeq: %7$d %5$s
                Content-Length: 0

                """.formatted(sipPort, client.localPort(), callId, to, method, branch, cseq));
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
            assertTrue(byeAfterAckMs >= SPEECH_MS + RTP_TIMEOUT_SECONDS * 1000L
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
            answeredCall(caller, gw.sipPort(), "bye-lost");
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
            SipMessage ok = answeredCall(caller, gw.sipPort(), "bye-twice");
            request(caller, gw.sipPort(), "bye-twice", ok, "BYE", 2, "z9hG4bK-bye-twice-bye");
            SipMessage first = caller.awaitFinalResponse(TIMEOUT);
            request(caller, gw.sipPort(), "bye-twice", ok, "BYE", 2, "z9hG4bK-bye-twice-bye");
            SipMessage again = caller.awaitFinalResponse(TIMEOUT);
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
            SipMessage ok = answeredCall(caller, gw.sipPort(), "cancel-late");
            // The CANCEL of the INVITE (its branch, CSeq 1) crossed our 200 on the wire.
            request(caller, gw.sipPort(), "cancel-late", ok, "CANCEL", 1, "z9hG4bK-cancel-late-1");
            SipMessage cancelled = caller.awaitFinalResponse(TIMEOUT);
            assertEquals("CANCEL", cancelled.method(), cancelled.toString());
            assertEquals(200, cancelled.statusCode(), "the INVITE transaction is Accepted (RFC 6026): " + cancelled);
            assertEquals(1.0, gw.metricNow("gateway_calls_in_progress"), "the CANCEL had no effect on the call");
            assertEquals(1, gw.agent().connections());
            request(caller, gw.sipPort(), "cancel-late", ok, "BYE", 2, "z9hG4bK-cancel-late-bye");
            SipMessage byeOk = caller.awaitFinalResponse(TIMEOUT);
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
                invite(caller, gw.sipPort(), callId);
                // The CANCEL goes out at once, at the 180, or once the agent's session is open, when the 200 is
                // about to go out: either may reach the other side first.
                if (i % 3 == 1) {
                    caller.awaitProvisional(180, TIMEOUT);
                } else if (i % 3 == 2) {
                    gw.agent().awaitConnection(session, TIMEOUT);
                }
                request(caller, gw.sipPort(), callId, "<sip:agent@127.0.0.1:" + gw.sipPort() + ">", "CANCEL", 1,
                        "z9hG4bK-" + callId + "-1");
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
                    request(caller, gw.sipPort(), callId, inviteFinal, "ACK", 1, "z9hG4bK-" + callId + "-1");
                } else {
                    assertEquals(200, inviteFinal.statusCode(), inviteFinal.toString());
                    answered++;
                    request(caller, gw.sipPort(), callId, inviteFinal, "ACK", 1, "z9hG4bK-" + callId + "-ack");
                    request(caller, gw.sipPort(), callId, inviteFinal, "BYE", 2, "z9hG4bK-" + callId + "-bye");
                    assertEquals(200, caller.awaitFinalResponse(TIMEOUT).statusCode());
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
