package gateway.sip;

import static gateway.sip.Caller.audio;
import static gateway.sip.Caller.gatewayAnswer;
import static gateway.sip.Caller.gatewaySdp;
import static gateway.sip.Caller.sdp;
import static gateway.sip.Caller.sessionId;
import static gateway.sip.UdpHarness.body;
import static gateway.sip.UdpHarness.header;
import static gateway.sip.UdpHarness.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** re-INVITE in a confirmed dialog (RFC 3261 §14, RFC 3264 §8): hold, resume, moves, refreshes, failures, timers. */
class ReInviteTest {

    private static final InetSocketAddress CALLER_RTP = new InetSocketAddress("192.0.2.10", 49170);
    private static final InetSocketAddress FIRST_ROUTE = new InetSocketAddress("192.0.2.20", 5070);

    private final UdpHarness sip = new UdpHarness();
    private final Caller caller = new Caller(sip);
    private long session;

    @BeforeEach
    void establish() {
        String ok = caller.establish(audio(1));
        session = sessionId(ok);
        assertEquals(gatewayAnswer(session, session, "sendrecv"), body(ok));
        assertEquals(List.of("ack"), caller.listener.events);
    }

    @AfterEach
    void tearDown() {
        sip.close();
    }

    private NegotiatedMedia media(int pt, int telephoneEvent, MediaDirection direction, InetSocketAddress remote) {
        return new NegotiatedMedia(AudioCodec.PCMU, pt, telephoneEvent, 20, direction, remote);
    }

    @Test
    void sendonlyOfferPutsUsOnHoldAsRecvonlyWithTheNextVersionOnceThe200IsOut() {
        List<Integer> sentBeforeEvent = new ArrayList<>();
        caller.listener.duringMediaChanged = () -> sentBeforeEvent.add(sip.channel.outboundMessages().size());
        String ok = caller.send("INVITE", audio(2, "sendonly"));
        assertEquals(200, status(ok));
        assertEquals("<sip:gateway@203.0.113.5:5060>", header(ok, "Contact"));
        assertEquals(gatewayAnswer(session, session + 1, "recvonly"), body(ok));
        assertEquals(List.of(media(0, 101, MediaDirection.RECVONLY, CALLER_RTP)), caller.listener.media);
        assertEquals(List.of(1), sentBeforeEvent, "onMediaChanged came after the 200 was written");
    }

    @Test
    void resumeWithSendrecvAfterHoldMovesTheVersionAgain() {
        caller.send("INVITE", audio(2, "sendonly"));
        caller.ack(null);
        String ok = caller.send("INVITE", audio(3, "sendrecv"));
        assertEquals(gatewayAnswer(session, session + 2, "sendrecv"), body(ok));
        assertEquals(List.of("ack", "media recvonly", "media sendrecv"), caller.listener.events);
    }

    @Test
    void inactiveOfferIsAnsweredInactive() {
        String ok = caller.send("INVITE", audio(2, "inactive"));
        assertEquals(gatewayAnswer(session, session + 1, "inactive"), body(ok));
        assertEquals(media(0, 101, MediaDirection.INACTIVE, CALLER_RTP), caller.listener.media.get(0));
    }

    @Test
    void sessionLevelSendonlyHoldsLikeTheMediaLevelAttribute() {
        String offer = audio(2).replace("t=0 0\r\n", "t=0 0\r\na=sendonly\r\n");
        assertEquals(gatewayAnswer(session, session + 1, "recvonly"), body(caller.send("INVITE", offer)));
    }

    @Test
    void oldStyleHoldToTheNullAddressMeansNoRemoteAddressAndRecvonly() {
        String ok = caller.send("INVITE", audio(2).replace("c=IN IP4 192.0.2.10", "c=IN IP4 0.0.0.0"));
        assertEquals(gatewayAnswer(session, session + 1, "recvonly"), body(ok));
        NegotiatedMedia held = caller.listener.media.get(0);
        assertNull(held.remoteRtp());
        assertEquals(MediaDirection.RECVONLY, held.direction());
    }

    @Test
    void aNewAddressAndPortMoveTheMediaWhileOurSdpStaysByteIdentical() {
        String ok = caller.send("INVITE", audio(2).replace("192.0.2.10\r\nt=", "198.51.100.7\r\nt=")
                .replace("m=audio 49170", "m=audio 50000"));
        assertEquals(gatewayAnswer(session, session, "sendrecv"), body(ok), "nothing of ours changed: same version");
        assertEquals(List.of(media(0, 101, MediaDirection.SENDRECV, new InetSocketAddress("198.51.100.7", 50000))),
                caller.listener.media);
    }

    @Test
    void aRefreshWithTheSameOfferGetsTheSameBytesAndNoEvent() {
        String first = caller.send("INVITE", audio(1));
        caller.ack(null);
        String second = caller.send("INVITE", audio(1));
        assertEquals(gatewayAnswer(session, session, "sendrecv"), body(first));
        assertEquals(body(first), body(second));
        assertEquals(List.of("ack"), caller.listener.events);
    }

    @Test
    void theCodecInUseIsKeptUnderTheOffersNewPayloadType() {
        String ok = caller.send("INVITE", sdp(2, "192.0.2.10", "m=audio 49170 RTP/AVP 8 97 101",
                "rtpmap:8 PCMA/8000", "rtpmap:97 PCMU/8000", "rtpmap:101 telephone-event/8000"));
        assertEquals(gatewaySdp(session, session + 1, "97 101", "sendrecv",
                "rtpmap:97 PCMU/8000", "rtpmap:101 telephone-event/8000",
                "fmtp:101 0-15"), body(ok));
        assertEquals(List.of(media(97, 101, MediaDirection.SENDRECV, CALLER_RTP)), caller.listener.media);
    }

    @Test
    void withoutTheCodecInUseTheFirstG711OfTheOfferIsTaken() {
        String ok = caller.send("INVITE", sdp(2, "192.0.2.10", "m=audio 49170 RTP/AVP 18 98", "rtpmap:98 PCMA/8000"));
        assertEquals(gatewaySdp(session, session + 1, "98", "sendrecv", "rtpmap:98 PCMA/8000"), body(ok));
        assertEquals(new NegotiatedMedia(AudioCodec.PCMA, 98, -1, 20, MediaDirection.SENDRECV, CALLER_RTP),
                caller.listener.media.get(0));
    }

    @Test
    void anUnacceptableOfferGets488AndTheDialogAndItsMediaStay() {
        String rejected = caller.send("INVITE",
                sdp(2, "192.0.2.10", "m=audio 49170 RTP/AVP 18", "rtpmap:18 G729/8000"));
        assertEquals(488, status(rejected));
        sip.scheduler.advanceMillis(500);
        assertEquals(rejected, sip.next(), "the 488 is retransmitted until its ACK (timer G)");
        sip.send(caller.request("ACK", header(rejected, "Via").split("branch=")[1].split(";")[0], caller.cseq,
                caller.toTag, null, null));
        sip.scheduler.advanceMillis(10_000);
        sip.assertNothingSent();

        String refresh = caller.send("INVITE", audio(1));
        assertEquals(gatewayAnswer(session, session, "sendrecv"), body(refresh), "the session is as before");
        assertEquals(List.of("ack"), caller.listener.events);
        assertEquals(1, sip.core.dialogCount());
    }

    @Test
    void withoutAnOfferOurOfferPutsTheCodecInUseFirstAndTheAckAnswerChangesTheMedia() {
        String ok = caller.send("INVITE", null);
        assertEquals(gatewaySdp(session, session + 1, "0 9 8 101", "sendrecv", "rtpmap:0 PCMU/8000",
                "rtpmap:9 G722/8000", "rtpmap:8 PCMA/8000", "rtpmap:101 telephone-event/8000",
                "fmtp:101 0-15"), body(ok));
        assertEquals(List.of("ack"), caller.listener.events, "nothing changes before the answer");
        caller.ack(sdp(2, "192.0.2.10", "m=audio 49170 RTP/AVP 8 101", "rtpmap:101 telephone-event/8000", "sendonly"));
        assertEquals(List.of(new NegotiatedMedia(AudioCodec.PCMA, 8, 101, 20, MediaDirection.RECVONLY, CALLER_RTP)),
                caller.listener.media);
        sip.scheduler.advanceMillis(5000);
        sip.assertNothingSent();
    }

    @Test
    void withoutAnOfferAnAckWithTheSameMediaChangesNothing() {
        caller.send("INVITE", null);
        caller.ack(sdp(2, "192.0.2.10", "m=audio 49170 RTP/AVP 0 101", "rtpmap:101 telephone-event/8000"));
        assertEquals(List.of("ack"), caller.listener.events);
    }

    @Test
    void withoutAnOfferAnAckWithoutAnswerKeepsThePreviousMedia() {
        caller.send("INVITE", null);
        caller.ack(null);
        assertEquals(List.of("ack"), caller.listener.events);
        sip.scheduler.advanceMillis(5000);
        sip.assertNothingSent();
        String refresh = caller.send("INVITE", audio(1));
        assertEquals(gatewayAnswer(session, session + 2, "sendrecv"), body(refresh),
                "the codec in use is still PCMU; our SDP differs from the offer we made, so the version moves");
    }

    @Test
    void theReInvite2xxIsRetransmittedUntilItsAck() {
        String ok = caller.send("INVITE", audio(2, "sendonly"));
        sip.scheduler.advanceMillis(500);
        assertEquals(ok, sip.next());
        sip.scheduler.advanceMillis(1000);
        assertEquals(ok, sip.next());
        sip.scheduler.advanceMillis(2000);
        assertEquals(ok, sip.next());
        caller.ack(null);
        sip.scheduler.advanceMillis(40_000);
        sip.assertNothingSent();
        assertEquals(List.of("ack", "media recvonly"), caller.listener.events);
    }

    @Test
    void aReInvite2xxNeverAckedEndsInOnAckTimeoutAndOurBye() {
        caller.send("INVITE", audio(2, "sendonly"));
        int retransmissions = 0;
        for (int ms = 0; ms < 31_999; ms++) {
            sip.scheduler.advanceMillis(1);
            if (sip.channel.outboundMessages().peek() != null) {
                assertEquals(200, status(sip.next()));
                retransmissions++;
            }
        }
        assertEquals(10, retransmissions, "500, 1500, 3500, 7500, then every 4 s to 31.5 s");
        sip.scheduler.advanceMillis(1);
        assertEquals(List.of("ack", "media recvonly", "ackTimeout"), caller.listener.events);
        String bye = sip.nextTo(FIRST_ROUTE);
        assertTrue(bye.startsWith("BYE sip:alice@192.0.2.10:5062 SIP/2.0\r\n"), bye);
        assertEquals("1 BYE", header(bye, "CSeq"));
    }

    @Test
    void aRetransmittedReInviteGetsThe200AgainAndNoSecondEvent() {
        caller.cseq++;
        String reInvite = caller.request("INVITE", "z9hG4bK-again", caller.cseq, caller.toTag, Caller.CONTACT,
                audio(2, "sendonly"));
        sip.send(reInvite);
        String ok = sip.next();
        sip.send(reInvite);
        assertEquals(ok, sip.next());
        assertEquals(List.of("ack", "media recvonly"), caller.listener.events);
    }

    @Test
    void aNonSdpBodyGets415WithAccept() {
        String reInvite = caller
                .request("INVITE", caller.newBranch(), ++caller.cseq, caller.toTag, Caller.CONTACT, "hello")
                .replace("Content-Type: application/sdp", "Content-Type: text/plain");
        sip.send(reInvite);
        String response = sip.next();
        assertEquals(415, status(response));
        assertEquals("application/sdp", header(response, "Accept"));
    }
}
