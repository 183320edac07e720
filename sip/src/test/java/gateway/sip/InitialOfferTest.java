package gateway.sip;

import static gateway.sip.Caller.gatewaySdp;
import static gateway.sip.Caller.sdp;
import static gateway.sip.Caller.sessionId;
import static gateway.sip.UdpHarness.body;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The offer of the first INVITE (RFC 3264 §6.1): dynamic payload types, direction, old-style hold. */
class InitialOfferTest {

    private static final InetSocketAddress CALLER_RTP = new InetSocketAddress("192.0.2.10", 49170);

    private final UdpHarness sip = new UdpHarness();
    private final Caller caller = new Caller(sip);

    @AfterEach
    void tearDown() {
        sip.close();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"98, PCMA", "96, PCMU"})
    void aDynamicPayloadTypeIsAnsweredWithTheOfferedNumber(int pt, AudioCodec codec) {
        caller.invite(sdp(1, "192.0.2.10", "m=audio 49170 RTP/AVP " + pt + " 101",
                "rtpmap:" + pt + " " + codec + "/8000", "rtpmap:101 telephone-event/8000"));
        assertEquals(new NegotiatedMedia(codec, pt, 101, 20, MediaDirection.SENDRECV, CALLER_RTP),
                caller.call.offeredMedia().orElseThrow());
        String ok = caller.answer();
        long session = sessionId(ok);
        assertEquals(gatewaySdp(session, session, pt + " 101", "sendrecv", "rtpmap:" + pt + " " + codec + "/8000",
                "rtpmap:101 telephone-event/8000", "fmtp:101 0-15"), body(ok));
    }

    @Test
    void aSendonlyOfferIsAnsweredRecvonlyAndOfferedMediaSaysRecvonly() {
        caller.invite(sdp(1, "192.0.2.10", "m=audio 49170 RTP/AVP 8", "sendonly"));
        assertEquals(new NegotiatedMedia(AudioCodec.PCMA, 8, -1, 20, MediaDirection.RECVONLY, CALLER_RTP),
                caller.call.offeredMedia().orElseThrow());
        String ok = caller.answer();
        long session = sessionId(ok);
        assertEquals(gatewaySdp(session, session, "8", "recvonly", "rtpmap:8 PCMA/8000"), body(ok));
    }

    @Test
    void anOfferToTheNullAddressHasNoRemoteRtpAndIsAnsweredRecvonly() {
        caller.invite(sdp(1, "0.0.0.0", "m=audio 49170 RTP/AVP 0"));
        assertEquals(new NegotiatedMedia(AudioCodec.PCMU, 0, -1, 20, MediaDirection.RECVONLY, null),
                caller.call.offeredMedia().orElseThrow());
        String ok = caller.answer();
        long session = sessionId(ok);
        assertEquals(gatewaySdp(session, session, "0", "recvonly", "rtpmap:0 PCMU/8000"), body(ok));
    }
}
