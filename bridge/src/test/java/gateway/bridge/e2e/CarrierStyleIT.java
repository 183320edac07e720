package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.demoagent.DemoScript;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls as carriers place them (docs/carriers.md), played by SIPp: what strict trunks check in our 200, the route set
 * our BYE follows past a private Contact, session timers against Cisco's Min-SE, a codec change right after the ACK,
 * CUCM's delayed offer with repeated Supported lines, and Telnyx's 5 s ringback limit under an answer delay.
 */
@Tag("e2e")
class CarrierStyleIT {

    private static final int RTP_MIN = 34_100;
    /** The ranges of the delayed-offer and ringback calls (34_400 on is other tests'). */
    private static final int CUCM_RTP_MIN = 39_800;
    private static final int TELNYX_RTP_MIN = 39_900;
    /** Telnyx's no-ringback timeout: a call without a 180/183 within it is dropped. */
    private static final Duration TELNYX_RINGBACK_WITHIN = Duration.ofSeconds(5);
    private static final int ANSWER_DELAY_MS = 2_000;
    /** The agent closes the first session (1011) this long after it opens; later connections are refused. */
    private static final int AGENT_CLOSES_AFTER_MS = 1_500;
    private static final int INTERNAL_ERROR = 1011;
    private static final Duration STEP_WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path recordings;

    @Test
    void aTwilioStyleCallWithTwoRecordRoutesAndAPrivateContactGetsOurByeAlongTheRouteSet() throws Exception {
        DemoScript script = DemoScript.defaults().closeAfterMs(1, AGENT_CLOSES_AFTER_MS, INTERNAL_ERROR)
                .refuseConnectionsFrom(2);
        try (GatewayUnderIT gw = GatewayUnderIT.start(script, RTP_MIN, recordings,
                List.of("--rtp.public-address=127.0.0.2"))) {
            Sipp.Result sipp = Sipp.scenario("uac_twilio_style.xml").run(gw.sipPort(), "twilio-style");
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
            SipMessage invite = sipp.sent("INVITE");
            SipMessage ok = sipp.response(200, "INVITE");
            assertCarrierReady(ok);
            assertEquals(entries(invite, "Record-Route"), entries(ok, "Record-Route"),
                    "the 200 echoes the Record-Route entries (RFC 3261 §12.1.1)");
            assertEquals(List.of("1800;refresher=uac"), ok.headers("Session-Expires"));
            assertEquals(List.of("timer"), ok.headers("Require"), "the caller refreshes, so the 200 requires timer");
            assertTrue(ok.body().contains("\nc=IN IP4 127.0.0.2\n"),
                    "rtp.public-address is the SDP's c=: " + ok.body());
            assertTrue(ok.header("Contact").orElseThrow().contains("@127.0.0.1:"), "sip.public-host stays the Contact");

            SipMessage bye = sipp.messages().stream()
                    .filter(m -> m.received() && !m.isResponse() && m.method().equals("BYE"))
                    .findFirst().orElseThrow(() -> new AssertionError("no BYE from the gateway"));
            assertEquals("BYE sip:+15551230000@172.25.10.20:5060;transport=udp SIP/2.0", bye.startLine(),
                    "the private Contact stays the Request-URI");
            assertEquals(entries(invite, "Record-Route"), entries(bye, "Route"),
                    "the BYE carries the route set in order and reached SIPp, the first Route");
            CallJson json = RecordedCall.awaitOnly(recordings, STEP_WITHIN).json();
            assertEquals("realtime_lost", json.text("end_reason"), json.toString());
        }
    }

    @Test
    void aCiscoStyleCallWithMinSeOf1800AndACodecChangeRightAfterTheAck() throws Exception {
        try (GatewayUnderIT gw = GatewayUnderIT.start(RTP_MIN + GatewayUnderIT.RTP_RANGE_SIZE, recordings)) {
            Sipp.Result sipp = Sipp.scenario("uac_cisco_min_se.xml").run(gw.sipPort(), "cisco-min-se");
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
            SipMessage ok = sipp.response(200, "INVITE", 101);
            assertCarrierReady(ok);
            assertEquals(List.of("1800;refresher=uac"), ok.headers("Session-Expires"),
                    "never below the offered \"Min-SE:  1800\"");
            SipMessage changed = sipp.response(200, "INVITE", 102);
            assertCarrierReady(changed);
            assertEquals(List.of("1800;refresher=uac"), changed.headers("Session-Expires"),
                    "the re-INVITE refreshed the session");
            CallJson json = RecordedCall.awaitOnly(recordings, STEP_WITHIN).json();
            assertEquals("caller_bye", json.text("end_reason"), json.toString());
        }
    }

    @Test
    void anAvayaStyleCallWithEightRecordRoutesPrackAndTelephoneEventOn120() throws Exception {
        DemoScript script = DemoScript.defaults().closeAfterMs(1, AGENT_CLOSES_AFTER_MS, INTERNAL_ERROR)
                .refuseConnectionsFrom(2);
        try (GatewayUnderIT gw = GatewayUnderIT.start(script, RTP_MIN + 2 * GatewayUnderIT.RTP_RANGE_SIZE,
                recordings)) {
            Sipp.Result sipp = Sipp.scenario("uac_avaya_style.xml").run(gw.sipPort(), "avaya-style");
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
            SipMessage invite = sipp.sent("INVITE");
            SipMessage ringing = sipp.response(180, "INVITE");
            assertEquals(List.of("100rel"), ringing.headers("Require"), "a reliable 180 (RFC 3262)");
            assertEquals(1, ringing.headers("RSeq").size());
            assertEquals(200, sipp.response(200, "PRACK").statusCode());
            SipMessage ok = sipp.response(200, "INVITE");
            assertCarrierReady(ok);
            assertEquals(List.of("1200;refresher=uac"), ok.headers("Session-Expires"));
            assertTrue(ok.body().contains(" RTP/AVP 0 120\n"),
                    "PCMU with telephone-event on the caller's PT 120: " + ok.body());
            List<String> routeSet = entries(invite, "Record-Route");
            assertEquals(8, routeSet.size());
            assertEquals(routeSet, entries(ok, "Record-Route"));

            SipMessage bye = sipp.messages().stream()
                    .filter(m -> m.received() && !m.isResponse() && m.method().equals("BYE"))
                    .findFirst().orElseThrow(() -> new AssertionError("no BYE from the gateway"));
            assertTrue(bye.startLine().startsWith("BYE sip:7001@127.0.0.1:"), bye.startLine());
            assertEquals(routeSet, entries(bye, "Route"), "all eight entries, in order");
            assertEquals("realtime_lost", RecordedCall.awaitOnly(recordings, STEP_WITHIN).json().text("end_reason"));
        }
    }

    @Test
    void aCucmStyleDelayedOfferIsAnsweredWithOurOfferAndTheAckCarriesTheAnswer() throws Exception {
        try (GatewayUnderIT gw = GatewayUnderIT.start(DemoScript.defaults(), CUCM_RTP_MIN, recordings)) {
            Sipp.Result sipp = Sipp.scenario("uac_cucm_style.xml").pauseMs(1_000).run(gw.sipPort(), "cucm-style");
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
            SipMessage invite = sipp.sent("INVITE");
            assertEquals("", invite.body().strip(), "a delayed offer: no SDP in the INVITE");
            assertEquals(3, invite.headers("Supported").size(), "three Supported lines");
            SipMessage ok = sipp.response(200, "INVITE");
            assertCarrierReady(ok);
            SdpBody offer = SdpBody.of(ok);
            assertEquals("m=audio " + offer.audioPort() + " RTP/AVP 9 0 8 101", offer.line("m=audio"),
                    "our offer is in the 200");
            assertEquals(List.of("1800;refresher=uac"), ok.headers("Session-Expires"), "never below Min-SE 1800");
            assertEquals("m=audio " + SdpBody.of(sipp.sent("ACK")).audioPort() + " RTP/AVP 0 101",
                    SdpBody.of(sipp.sent("ACK")).line("m=audio"), "the answer came in the ACK");
            CallJson json = RecordedCall.awaitOnly(recordings, STEP_WITHIN).json();
            assertEquals("caller_bye", json.text("end_reason"), json.toString());
            assertEquals("PCMU", json.text("codec"), "the codec of the ACK's answer");
        }
    }

    @Test
    void aTelnyxStyleCallGetsItsRingbackAtOnceWhileTheAnswerWaitsForTheAnswerDelay() throws Exception {
        try (GatewayUnderIT gw = GatewayUnderIT.start(DemoScript.defaults(), TELNYX_RTP_MIN, recordings,
                List.of("--sip.answer-delay-ms=" + ANSWER_DELAY_MS))) {
            Sipp.Result sipp = Sipp.scenario("uac_telnyx_style.xml").pauseMs(500).run(gw.sipPort(), "telnyx-style");
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
            SipMessage invite = sipp.sent("INVITE");
            SipMessage ringing = sipp.response(180, "INVITE");
            SipMessage ok = sipp.response(200, "INVITE");
            Duration toRinging = Duration.between(invite.time(), ringing.time());
            Duration toAnswer = Duration.between(invite.time(), ok.time());
            assertTrue(toRinging.compareTo(TELNYX_RINGBACK_WITHIN) < 0, "180 within Telnyx's 5 s: " + toRinging);
            assertTrue(toAnswer.toMillis() >= ANSWER_DELAY_MS, "the 200 waited for the answer delay: " + toAnswer);
            assertTrue(ringing.time().isBefore(ok.time()), "the 180 came before the answer");
            List<String> routeSet = entries(invite, "Record-Route");
            assertEquals(2, routeSet.size());
            assertEquals(routeSet, entries(ringing, "Record-Route"), "the 180 echoes the route set");
            assertEquals(routeSet, entries(ok, "Record-Route"), "so does the 200 (RFC 3261 §12.1.1)");
            assertCarrierReady(ok);
            CallJson json = RecordedCall.awaitOnly(recordings, STEP_WITHIN).json();
            assertEquals("caller_bye", json.text("end_reason"), json.toString());
        }
    }

    /** What strict PBXs check on a 200 to INVITE: Content-Type on the body, Allow and Supported, our To-tag. */
    private static void assertCarrierReady(SipMessage ok) {
        assertEquals("application/sdp", ok.header("Content-Type").orElseThrow());
        String allow = String.join(",", ok.headers("Allow")).replace(" ", "");
        for (String method : List.of("INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "UPDATE", "PRACK", "NOTIFY")) {
            assertTrue(List.of(allow.split(",")).contains(method), method + " in Allow: " + allow);
        }
        String supported = String.join(",", ok.headers("Supported")).replace(" ", "");
        assertEquals(List.of("100rel", "timer"), List.of(supported.split(",")));
        assertTrue(ok.header("To").orElseThrow().contains(";tag="), ok.header("To").orElseThrow());
    }

    /** The entries of a Route or Record-Route header, one per entry, whether sent as one header or several. */
    private static List<String> entries(SipMessage message, String name) {
        return message.headers(name).stream().flatMap(value -> List.of(value.split(",\\s*(?=<)")).stream())
                .map(String::trim).toList();
    }
}
