package gateway.sip;

import static gateway.sip.Caller.gatewaySdp;
import static gateway.sip.Caller.sdp;
import static gateway.sip.Caller.sessionId;
import static gateway.sip.Caller.version;
import static gateway.sip.UdpHarness.body;
import static gateway.sip.UdpHarness.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An INVITE without SDP (RFC 3261 §13.2.1, RFC 3264 §5): our offer in the 200, the caller's answer in the ACK. */
class LateOfferTest {

    private final UdpHarness sip = new UdpHarness();
    private final Caller caller = new Caller(sip);

    @AfterEach
    void tearDown() {
        sip.close();
    }

    @Test
    void anInviteWithoutSdpReachesOnInviteWithNoOfferedMedia() {
        InboundCall call = caller.invite(null);
        assertTrue(call.offeredMedia().isEmpty());
        sip.assertNothingSent();
    }

    @Test
    void the200CarriesOurOfferPcmuPcmaTelephoneEventSendrecv() {
        caller.invite(null);
        String ok = caller.answer();
        assertEquals("application/sdp", header(ok, "Content-Type"));
        long session = sessionId(ok);
        assertEquals(session, version(ok));
        assertEquals(gatewaySdp(session, session, "9 0 8 101", "sendrecv", "rtpmap:9 G722/8000",
                "rtpmap:0 PCMU/8000", "rtpmap:8 PCMA/8000", "rtpmap:101 telephone-event/8000",
                "fmtp:101 0-15"), body(ok));
    }

    @Test
    void theAnswerInTheAckGivesOnMediaChangedThenOnAck() {
        caller.invite(null);
        caller.answer();
        caller.ack(sdp(1, "192.0.2.10", "m=audio 49170 RTP/AVP 8 101", "rtpmap:8 PCMA/8000",
                "rtpmap:101 telephone-event/8000", "ptime:30"));
        assertEquals(List.of("media sendrecv", "ack"), caller.listener.events);
        assertEquals(List.of(new NegotiatedMedia(AudioCodec.PCMA, 8, 101, 30, MediaDirection.SENDRECV,
                new InetSocketAddress("192.0.2.10", 49170))), caller.listener.media);
        sip.scheduler.advanceMillis(40_000);
        sip.assertNothingSent();
    }

    @Test
    void anAckWithoutSdpGivesOnAckThenOnMediaFailed() {
        caller.invite(null);
        caller.answer();
        caller.ack(null);
        assertEquals(List.of("ack", "mediaFailed"), caller.listener.events);
        assertEquals(List.of("No SDP answer to our offer"), caller.listener.failures);
        sip.scheduler.advanceMillis(5000);
        sip.assertNothingSent();
    }

    @Test
    void anAckWithAnAnswerWithoutOurCodecsGivesOnAckThenOnMediaFailed() {
        caller.invite(null);
        caller.answer();
        caller.ack(sdp(1, "192.0.2.10", "m=audio 49170 RTP/AVP 18", "rtpmap:18 G729/8000"));
        assertEquals(List.of("ack", "mediaFailed"), caller.listener.events);
        assertEquals(List.of("Answer has none of our codecs"), caller.listener.failures);
    }

    @Test
    void theOnMediaFailedCallerCanHangUpAndTheByeGoesOut() {
        caller.invite(null);
        caller.answer();
        caller.ack(null);
        caller.call.hangup();
        String bye = sip.nextTo(new InetSocketAddress("192.0.2.20", 5070));
        assertTrue(bye.startsWith("BYE sip:alice@192.0.2.10:5062 SIP/2.0\r\n"), bye);
    }

    @Test
    void aLaterReInviteWithoutOfferOffersTheNegotiatedCodecFirst() {
        caller.invite(null);
        long session = sessionId(caller.answer());
        caller.ack(sdp(1, "192.0.2.10", "m=audio 49170 RTP/AVP 8", "rtpmap:8 PCMA/8000"));
        String ok = caller.send("INVITE", null);
        assertEquals(gatewaySdp(session, session + 1, "8 9 0 101", "sendrecv", "rtpmap:8 PCMA/8000",
                "rtpmap:9 G722/8000", "rtpmap:0 PCMU/8000", "rtpmap:101 telephone-event/8000",
                "fmtp:101 0-15"), body(ok));
    }
}
