package gateway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class SdpNegotiatorTest {

    private static String offer(String sessionC, String media, String mediaC, String... attributes) {
        StringBuilder sdp = new StringBuilder("v=0\r\no=x 1 1 IN IP4 192.0.2.1\r\ns=-\r\n");
        if (sessionC != null) {
            sdp.append("c=IN IP4 ").append(sessionC).append("\r\n");
        }
        sdp.append("t=0 0\r\n").append(media).append("\r\n");
        if (mediaC != null) {
            sdp.append("c=IN IP4 ").append(mediaC).append("\r\n");
        }
        for (String attribute : attributes) {
            sdp.append(attribute).append("\r\n");
        }
        return sdp.toString();
    }

    private static MediaOffer accept(String sdp) {
        return assertInstanceOf(SdpNegotiator.Accepted.class, SdpNegotiator.negotiate(sdp)).media();
    }

    @Test
    void firstG711InOfferOrderWins() {
        MediaOffer media = accept(offer("192.0.2.1", "m=audio 4000 RTP/AVP 18 0 8", null));
        assertEquals(new MediaOffer("PCMU", 0, -1, new InetSocketAddress("192.0.2.1", 4000), 20), media);
    }

    @Test
    void pcmaFirstOfferPicksPcma() {
        MediaOffer media = accept(offer("192.0.2.1", "m=audio 4000 RTP/AVP 8 0 101", null,
                "a=rtpmap:101 telephone-event/8000", "a=ptime:30"));
        assertEquals(new MediaOffer("PCMA", 8, 101, new InetSocketAddress("192.0.2.1", 4000), 30), media);
    }

    @Test
    void dynamicRtpmapNamesAreCaseInsensitive() {
        MediaOffer media = accept(offer("192.0.2.1", "m=audio 4000 RTP/AVP 97 98 96", null,
                "a=rtpmap:97 opus/48000/2", "a=rtpmap:98 pcma/8000", "a=rtpmap:96 Telephone-Event/8000"));
        assertEquals("PCMA", media.codec());
        assertEquals(98, media.payloadType());
        assertEquals(96, media.telephoneEventPt());
    }

    @Test
    void telephoneEvent101() {
        assertEquals(101, accept(offer("192.0.2.1", "m=audio 4000 RTP/AVP 0 101", null, "a=rtpmap:101 telephone-event/8000")).telephoneEventPt());
    }

    @Test
    void mediaLevelConnectionOverridesSession() {
        MediaOffer media = accept(offer("192.0.2.1", "m=audio 4000 RTP/AVP 0", "198.51.100.7"));
        assertEquals(new InetSocketAddress("198.51.100.7", 4000), media.remoteRtp());
    }

    @Test
    void missingConnectionRejects() {
        SdpNegotiator.Rejected rejected = assertInstanceOf(SdpNegotiator.Rejected.class,
                SdpNegotiator.negotiate(offer(null, "m=audio 4000 RTP/AVP 0", null)));
        assertTrue(rejected.reason().contains("c="), rejected.reason());
    }

    @Test
    void onlyG729Rejects() {
        assertInstanceOf(SdpNegotiator.Rejected.class, SdpNegotiator.negotiate(offer("192.0.2.1", "m=audio 4000 RTP/AVP 18", null, "a=rtpmap:18 G729/8000")));
    }

    @Test
    void pcmuAtOtherClockRateIsNotG711() {
        assertInstanceOf(SdpNegotiator.Rejected.class, SdpNegotiator.negotiate(offer("192.0.2.1", "m=audio 4000 RTP/AVP 96", null, "a=rtpmap:96 PCMU/16000")));
    }

    @Test
    void garbageRejects() {
        assertInstanceOf(SdpNegotiator.Rejected.class, SdpNegotiator.negotiate("this is not sdp"));
    }

    @Test
    void answerMirrorsStreamsAndRefusesVideo() {
        String sdp = offer("192.0.2.1", "m=video 5000 RTP/AVP 31", null) + "m=audio 4000 RTP/AVP 8 101\r\na=rtpmap:101 telephone-event/8000\r\n";
        SdpNegotiator.Accepted accepted = assertInstanceOf(SdpNegotiator.Accepted.class, SdpNegotiator.negotiate(sdp));
        assertEquals(1, accepted.audioIndex());
        String answer = SdpAnswer.build(accepted, "203.0.113.5", 30000, 42);
        assertEquals("v=0\r\n"
                + "o=gateway 42 42 IN IP4 203.0.113.5\r\n"
                + "s=gateway\r\n"
                + "c=IN IP4 203.0.113.5\r\n"
                + "t=0 0\r\n"
                + "m=video 0 RTP/AVP 31\r\n"
                + "m=audio 30000 RTP/AVP 8 101\r\n"
                + "a=rtpmap:8 PCMA/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\n"
                + "a=fmtp:101 0-15\r\n"
                + "a=ptime:20\r\n"
                + "a=sendrecv\r\n", answer);
    }
}
