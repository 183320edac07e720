package gateway.sip;

import static gateway.sip.Caller.audio;
import static gateway.sip.Caller.gatewayAnswer;
import static gateway.sip.Caller.sdp;
import static gateway.sip.Caller.sessionId;
import static gateway.sip.UdpHarness.body;
import static gateway.sip.UdpHarness.header;
import static gateway.sip.UdpHarness.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** UPDATE in a confirmed dialog (RFC 3311): offers answered at once in a non-INVITE transaction, target refresh. */
class UpdateTest {

    private final UdpHarness sip = new UdpHarness();
    private final Caller caller = new Caller(sip);
    private long session;

    @BeforeEach
    void establish() {
        caller.recordRoute = false;
        session = sessionId(caller.establish(audio(1)));
    }

    @AfterEach
    void tearDown() {
        sip.close();
    }

    @Test
    void anUpdateWithSendonlyHoldsAndIsAnsweredRecvonlyWithTheNextVersion() {
        List<Integer> sentBeforeEvent = new ArrayList<>();
        caller.listener.duringMediaChanged = () -> sentBeforeEvent.add(sip.channel.outboundMessages().size());
        String ok = caller.send("UPDATE", audio(2, "sendonly"));
        assertEquals(200, status(ok));
        assertEquals((caller.cseq) + " UPDATE", header(ok, "CSeq"));
        assertEquals("<sip:gateway@203.0.113.5:5060>", header(ok, "Contact"));
        assertEquals(gatewayAnswer(session, session + 1, "recvonly"), body(ok));
        assertEquals(List.of("ack", "media recvonly"), caller.listener.events);
        assertEquals(List.of(1), sentBeforeEvent, "onMediaChanged came after the 200 was written");
        sip.scheduler.advanceMillis(5000);
        sip.assertNothingSent();
    }

    @Test
    void resumeAndThenAnUnchangedRefreshByUpdate() {
        caller.send("UPDATE", audio(2, "sendonly"));
        String resumed = caller.send("UPDATE", audio(3));
        assertEquals(gatewayAnswer(session, session + 2, "sendrecv"), body(resumed));
        String refreshed = caller.send("UPDATE", audio(3));
        assertEquals(body(resumed), body(refreshed));
        assertEquals(List.of("ack", "media recvonly", "media sendrecv"), caller.listener.events);
    }

    @Test
    void aMediaMoveByUpdateChangesTheRemoteAddressOnly() {
        String ok = caller.send("UPDATE", audio(2).replace("m=audio 49170", "m=audio 49200"));
        assertEquals(gatewayAnswer(session, session, "sendrecv"), body(ok));
        assertEquals(new InetSocketAddress("192.0.2.10", 49200), caller.listener.media.get(0).remoteRtp());
    }

    @Test
    void anUpdateWithoutSdpGets200WithoutBodyAndMovesTheTarget() {
        String ok = caller.send("UPDATE", null, "<sip:alice@192.0.2.77:5080>");
        assertEquals(200, status(ok));
        assertNull(header(ok, "Content-Type"));
        assertEquals("0", header(ok, "Content-Length"));
        assertEquals(List.of("ack"), caller.listener.events);
        caller.call.hangup();
        String bye = sip.nextTo(new InetSocketAddress("192.0.2.77", 5080));
        assertEquals("BYE sip:alice@192.0.2.77:5080 SIP/2.0", bye.substring(0, bye.indexOf("\r\n")));
    }

    @Test
    void anUnacceptableUpdateOfferGets488AndKeepsTheMediaAndTarget() {
        String rejected = caller.send("UPDATE", sdp(2, "192.0.2.10", "m=audio 49170 RTP/AVP 18"),
                "<sip:alice@192.0.2.77:5080>");
        assertEquals(488, status(rejected));
        assertEquals(List.of("ack"), caller.listener.events);
        assertEquals(gatewayAnswer(session, session, "sendrecv"), body(caller.send("UPDATE", audio(1))));
        caller.call.hangup();
        assertEquals("BYE sip:alice@192.0.2.10:5062 SIP/2.0", firstLine(sip.nextTo(UdpHarness.CALLER)));
    }

    @Test
    void aRetransmittedUpdateGetsTheSame200FromItsTransaction() {
        caller.cseq++;
        String update = caller.request("UPDATE", "z9hG4bK-upd-again", caller.cseq, caller.toTag, Caller.CONTACT,
                audio(2, "sendonly"));
        sip.send(update);
        String ok = sip.next();
        sip.send(update);
        assertEquals(ok, sip.next());
        assertEquals(List.of("ack", "media recvonly"), caller.listener.events);
    }

    private static String firstLine(String message) {
        return message.substring(0, message.indexOf("\r\n"));
    }
}
