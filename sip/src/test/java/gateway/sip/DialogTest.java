package gateway.sip;

import static gateway.sip.Caller.audio;
import static gateway.sip.UdpHarness.header;
import static gateway.sip.UdpHarness.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Requests inside dialogs (RFC 3261 §12.2.2): lookup by dialog id, CSeq order, target refresh, methods we lack. */
class DialogTest {

    private static final String ALLOW = "INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE, INFO";

    private final UdpHarness sip = new UdpHarness();
    private final Caller caller = new Caller(sip);

    @AfterEach
    void tearDown() {
        sip.close();
    }

    private static String allow(String response) {
        return String.join(", ", header(response, "Allow").split(",\\s*"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"INVITE", "UPDATE", "BYE", "INFO", "REFER", "NOTIFY", "OPTIONS", "MESSAGE", "PRACK", "FOO"})
    void anyRequestForAnUnknownDialogGets481(String method) {
        caller.toTag = "no-such-dialog";
        String response = caller.send(method, null);
        assertEquals(481, status(response), method);
        assertEquals("102 " + method, header(response, "CSeq"));
        assertEquals("no-such-dialog", UdpHarness.tag(header(response, "To")));
        if (method.equals("INVITE")) {
            sip.scheduler.advanceMillis(500);
            assertEquals(response, sip.next(), "an INVITE's 481 is retransmitted until its ACK (timer G)");
        }
    }

    @Test
    void anAckForAnUnknownDialogIsDropped() {
        caller.toTag = "no-such-dialog";
        caller.ack(null);
        sip.assertNothingSent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"BYE", "UPDATE"})
    void byeAndUpdateOutsideADialogGet481(String method) {
        String response = caller.send(method, null);
        assertEquals(481, status(response));
    }

    @ParameterizedTest
    @ValueSource(strings = {"REFER", "NOTIFY", "MESSAGE", "FOO"})
    void methodsWeDoNotImplementGet501WithAllowInADialog(String method) {
        caller.establish(audio(1));
        String response = caller.send(method, null);
        assertEquals(501, status(response), method);
        assertEquals(ALLOW, allow(response));
        assertEquals(List.of("ack"), caller.listener.events);
    }

    @Test
    void optionsInADialogGets200WithAllowAndAccept() {
        caller.establish(audio(1));
        String response = caller.send("OPTIONS", null);
        assertEquals(200, status(response));
        assertEquals(ALLOW, allow(response));
        assertEquals("application/sdp", header(response, "Accept"));
        assertEquals(caller.toTag, UdpHarness.tag(header(response, "To")));
    }

    @Test
    void aRequestWithALowerCSeqThanTheLastGets500AndTheDialogGoesOn() {
        caller.establish(audio(1));
        assertEquals(200, status(caller.send("OPTIONS", null)));
        assertEquals(102, caller.cseq);
        caller.cseq = 100;
        String response = caller.send("OPTIONS", null);
        assertEquals("SIP/2.0 500 CSeq Out of Order", response.substring(0, response.indexOf("\r\n")));
        caller.cseq = 110;
        assertEquals(200, status(caller.send("OPTIONS", null)));
    }

    @Test
    void aReInviteWithANewContactMovesTheTargetOfOurBye() {
        caller.recordRoute = false;
        caller.establish(audio(1));
        assertEquals(200, status(caller.send("INVITE", audio(1), "<sip:alice@192.0.2.77:5080>")));
        caller.ack(null);
        caller.call.hangup();
        String bye = sip.nextTo(new InetSocketAddress("192.0.2.77", 5080));
        assertEquals("BYE sip:alice@192.0.2.77:5080 SIP/2.0", bye.substring(0, bye.indexOf("\r\n")));
        assertEquals("1 BYE", header(bye, "CSeq"));
    }

    @Test
    void withARouteSetTheByeStillGoesToTheFirstRouteWithTheNewTargetAsRequestUri() {
        caller.establish(audio(1));
        caller.send("INVITE", audio(1), "<sip:alice@192.0.2.77:5080>");
        caller.ack(null);
        caller.call.hangup();
        String bye = sip.nextTo(new InetSocketAddress("192.0.2.20", 5070));
        assertEquals("BYE sip:alice@192.0.2.77:5080 SIP/2.0", bye.substring(0, bye.indexOf("\r\n")));
        assertEquals(List.of("<sip:192.0.2.20:5070;lr>,<sip:192.0.2.30;lr>"), UdpHarness.headers(bye, "Route"),
                "route set fixed at creation");
    }

    @Test
    void aTargetWithoutPortMeansPort5060() {
        caller.recordRoute = false;
        caller.establish(audio(1));
        caller.send("UPDATE", null, "<sip:alice@192.0.2.77>");
        caller.call.hangup();
        assertNotNull(sip.nextTo(new InetSocketAddress("192.0.2.77", 5060)));
    }

    @Test
    void aHostNameTargetFallsBackToWhereTheCallerSpokeFrom() {
        caller.recordRoute = false;
        caller.establish(audio(1));
        caller.send("UPDATE", null, "<sip:alice@phone.example.com:5080>");
        caller.call.hangup();
        String bye = sip.nextTo(UdpHarness.CALLER);
        assertEquals("BYE sip:alice@phone.example.com:5080 SIP/2.0", bye.substring(0, bye.indexOf("\r\n")));
    }
}
