package gateway.sip;

import static gateway.sip.Caller.audio;
import static gateway.sip.UdpHarness.header;
import static gateway.sip.UdpHarness.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Requests inside dialogs (RFC 3261 §12.2.2): lookup by dialog id, CSeq order, target refresh, methods we lack. */
class DialogTest {

    private static final String ALLOW = "INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE, PRACK, INFO, NOTIFY";

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
    @ValueSource(strings = {"REFER", "MESSAGE", "FOO"})
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

    @Test
    void aPrivateContactWithoutRouteSetGetsOurByeWhereTheCallerSpeaksFrom() {
        caller.recordRoute = false;
        sip.send(caller.request("INVITE", caller.newBranch(), caller.cseq, null, "<sip:alice@10.0.0.5:5062>",
                audio(1)));
        assertEquals(100, status(sip.next()));
        caller.call = sip.calls.get(0);
        caller.answer();
        caller.ack(null);
        caller.call.hangup();
        String bye = sip.nextTo(UdpHarness.CALLER);
        assertEquals("BYE sip:alice@10.0.0.5:5062 SIP/2.0", bye.substring(0, bye.indexOf("\r\n")),
                "a NATed phone's Contact stays the Request-URI (RFC 3261 §12.2.1.1); only the hop changes");
    }

    @Test
    void aTlsRouteAfterAUdpInviteOpensATlsConnectionForOurBye() {
        List<InetSocketAddress> connected = new java.util.ArrayList<>();
        io.netty.channel.embedded.EmbeddedChannel tls = new io.netty.channel.embedded.EmbeddedChannel();
        try (UdpHarness routed = new UdpHarness(call -> { }, AccessSettings.OPEN, (transport, remote) -> {
            assertEquals(Transport.TLS, transport);
            connected.add(remote);
            return java.util.concurrent.CompletableFuture.completedFuture(new SipPeer(transport, tls, remote));
        })) {
            Caller avaya = new Caller(routed);
            avaya.recordRoute = false;
            routed.send(avaya.request("INVITE", avaya.newBranch(), avaya.cseq, null, Caller.CONTACT, audio(1))
                    .replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\n"
                            + "Record-Route: <sips:192.0.2.40;lr;r2=on>\r\nRecord-Route: <sip:192.0.2.41;lr>\r\n"));
            assertEquals(100, status(routed.next()));
            avaya.call = routed.calls.get(0);
            avaya.answer();
            avaya.ack(null);
            avaya.call.hangup();
            routed.channel.runPendingTasks();
            assertEquals(List.of(new InetSocketAddress("192.0.2.40", 5061)), connected, "sips: means TLS on 5061");
            io.netty.buffer.ByteBuf written = tls.readOutbound();
            String bye = written.toString(java.nio.charset.StandardCharsets.UTF_8);
            written.release();
            assertEquals("BYE sip:alice@192.0.2.10:5062 SIP/2.0", bye.substring(0, bye.indexOf("\r\n")));
            assertTrue(header(bye, "Via").startsWith("SIP/2.0/TLS "), header(bye, "Via"));
        } finally {
            tls.finishAndReleaseAll();
        }
    }

    @Test
    void aNotifyInTheDialogIsAnswered200AndReachesTheListener() {
        caller.establish(audio(1));
        String sipfrag = "SIP/2.0 200 OK\r\n";
        caller.cseq++;
        sip.send(caller.request("NOTIFY", caller.newBranch(), caller.cseq, caller.toTag, null, null)
                .replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\nEvent: refer;id=7\r\n"
                        + "Subscription-State: terminated;reason=noresource\r\n")
                .replace("Content-Length: 0\r\n\r\n", "Content-Type: message/sipfrag;version=2.0\r\n"
                        + "Content-Length: " + sipfrag.length() + "\r\n\r\n" + sipfrag));
        String response = sip.next();
        assertEquals(200, status(response));
        assertEquals(caller.toTag, UdpHarness.tag(header(response, "To")));
        assertEquals(List.of("ack", "notify"), caller.listener.events);
        InDialogNotify notify = caller.listener.notifies.get(0);
        assertEquals("refer", notify.eventPackage());
        assertTrue(notify.terminated());
        assertEquals(200, notify.sipfragStatus());
    }

    @Test
    void aNotifyOutsideADialogGets481() {
        assertEquals(481, status(caller.send("NOTIFY", null)));
    }
}
