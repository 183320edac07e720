package gateway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class SdpNegotiatorTest {

    private static final InetSocketAddress REMOTE = new InetSocketAddress("192.0.2.1", 4000);

    private static String offer(String sessionC, String media, String mediaC, String... attributes) {
        StringBuilder sdp = new StringBuilder("v=0\r\no=x 1 1 IN IP4 192.0.2.1\r\ns=-\r\n");
        if (sessionC != null) {
            sdp.append("c=IN IP4 ").append(sessionC).append("\r\n");
        }
        sdp.append("t=0 0\r\n");
        // Session-level attributes come before the first m= line (RFC 4566 §5).
        for (String attribute : attributes) {
            if (attribute.startsWith("session:")) {
                sdp.append(attribute.substring("session:".length())).append("\r\n");
            }
        }
        sdp.append(media).append("\r\n");
        if (mediaC != null) {
            sdp.append("c=IN IP4 ").append(mediaC).append("\r\n");
        }
        for (String attribute : attributes) {
            if (!attribute.startsWith("session:")) {
                sdp.append(attribute).append("\r\n");
            }
        }
        return sdp.toString();
    }

    private static NegotiatedMedia accept(String sdp) {
        return accept(sdp, null);
    }

    private static NegotiatedMedia accept(String sdp, AudioCodec preferred) {
        return assertInstanceOf(SdpNegotiator.Accepted.class, SdpNegotiator.answer(sdp, preferred)).media();
    }

    private static NegotiatedMedia acceptIn(String sdp, List<AudioCodec> codecs) {
        return assertInstanceOf(SdpNegotiator.Accepted.class,
                SdpNegotiator.answer(sdp, null, SdesPolicy.OFF, null, codecs)).media();
    }

    private static String rejected(String sdp) {
        return assertInstanceOf(SdpNegotiator.Rejected.class, SdpNegotiator.answer(sdp, null)).reason();
    }

    @Test
    void aMediaPortAbove65535IsAnInvalidOfferNotACrash() {
        // RFC 4566 §5.14: the port is 16 bits; jain-sip parses any number (found by SdpFuzzTest).
        assertEquals("Invalid SDP: m= port out of range: 98340",
                rejected(offer("192.0.2.1", "m=audio 98340 RTP/AVP 0", null)));
    }

    @Test
    void firstG711InOfferOrderWins() {
        assertEquals(new NegotiatedMedia(AudioCodec.PCMU, 0, -1, 20, MediaDirection.SENDRECV, REMOTE),
                accept(offer("192.0.2.1", "m=audio 4000 RTP/AVP 18 0 8", null)));
    }

    @Test
    void pcmaFirstOfferPicksPcmaWhenOurOrderPrefersItWithTelephoneEventAndPtime() {
        String sdp = offer("192.0.2.1", "m=audio 4000 RTP/AVP 8 0 101", null, "a=rtpmap:101 telephone-event/8000",
                "a=ptime:30");
        assertEquals(new NegotiatedMedia(AudioCodec.PCMA, 8, 101, 30, MediaDirection.SENDRECV, REMOTE),
                acceptIn(sdp, List.of(AudioCodec.PCMA, AudioCodec.PCMU)));
        assertEquals(new NegotiatedMedia(AudioCodec.PCMU, 0, 101, 30, MediaDirection.SENDRECV, REMOTE),
                accept(sdp), "the default order (G722, PCMU, PCMA) decides, not the offer's");
    }

    @Test
    void g722IsTakenFirstWhenOfferedAnywhereInTheList() {
        assertEquals(new NegotiatedMedia(AudioCodec.G722, 9, 101, 20, MediaDirection.SENDRECV, REMOTE),
                accept(offer("192.0.2.1", "m=audio 4000 RTP/AVP 0 8 9 101", null,
                        "a=rtpmap:9 G722/8000", "a=rtpmap:101 telephone-event/8000")));
    }

    @Test
    void g722OnADynamicPayloadTypeIsTakenAtItsSdpClockRateOf8000Only() {
        assertEquals(new NegotiatedMedia(AudioCodec.G722, 96, -1, 20, MediaDirection.SENDRECV, REMOTE),
                accept(offer("192.0.2.1", "m=audio 4000 RTP/AVP 0 96", null, "a=rtpmap:96 G722/8000")));
        assertEquals(new NegotiatedMedia(AudioCodec.PCMU, 0, -1, 20, MediaDirection.SENDRECV, REMOTE),
                accept(offer("192.0.2.1", "m=audio 4000 RTP/AVP 0 96", null, "a=rtpmap:96 G722/16000")),
                "RFC 3551 §4.5.2: G722/16000 is not G.722 on RTP");
    }

    @Test
    void withoutG722InTheOfferG711IsTaken() {
        assertEquals(new NegotiatedMedia(AudioCodec.PCMU, 0, -1, 20, MediaDirection.SENDRECV, REMOTE),
                accept(offer("192.0.2.1", "m=audio 4000 RTP/AVP 18 0 8", null)));
    }

    @Test
    void codecsLeftOutOfOurOrderAreNeitherTakenNorOffered() {
        List<AudioCodec> narrowband = List.of(AudioCodec.PCMU, AudioCodec.PCMA);
        assertEquals(new NegotiatedMedia(AudioCodec.PCMU, 0, -1, 20, MediaDirection.SENDRECV, REMOTE),
                acceptIn(offer("192.0.2.1", "m=audio 4000 RTP/AVP 9 0", null), narrowband));
        assertEquals("No PCMU/PCMA audio stream", assertInstanceOf(SdpNegotiator.Rejected.class,
                SdpNegotiator.answer(offer("192.0.2.1", "m=audio 4000 RTP/AVP 9", null), null, SdesPolicy.OFF, null,
                        narrowband)).reason());
        assertTrue(LocalSdp.initialOffer("203.0.113.5", 30000, SdesPolicy.OFF, narrowband).render(1, 1)
                .contains("m=audio 30000 RTP/AVP 0 8 101\r\n"));
    }

    @Test
    void ourOfferListsG722FirstOnPayloadType9() {
        String sdp = LocalSdp.initialOffer("203.0.113.5", 30000).render(1, 1);
        assertTrue(sdp.contains("m=audio 30000 RTP/AVP 9 0 8 101\r\na=rtpmap:9 G722/8000\r\n"), sdp);
    }

    @Test
    void avayasTelephoneEventOn120WithoutFmtpAndPtime60() {
        String avaya = offer("192.0.2.1", "m=audio 4000 RTP/AVP 0 18 120", null, "b=TIAS:64000",
                "a=rtpmap:0 PCMU/8000", "a=rtpmap:18 G729/8000", "a=fmtp:18 annexb=no",
                "a=rtpmap:120 telephone-event/8000", "a=ptime:60", "a=avf:avc=n prio=n", "a=csup:avf-v0");
        SdpNegotiator.Accepted accepted = assertInstanceOf(SdpNegotiator.Accepted.class,
                SdpNegotiator.answer(avaya, null));
        assertEquals(new NegotiatedMedia(AudioCodec.PCMU, 0, 120, 60, MediaDirection.SENDRECV, REMOTE),
                accepted.media());
        String answer = new SdpOrigin(7).render(LocalSdp.answer(accepted, "203.0.113.5", 40000));
        assertEquals(true, answer.contains("\r\nm=audio 40000 RTP/AVP 0 120\r\n"), answer);
        assertEquals(true, answer.contains("\r\na=rtpmap:120 telephone-event/8000\r\n"), answer);
    }

    @Test
    void dynamicPayloadType98MappedToPcmaIsAnsweredWith98() {
        assertEquals(new NegotiatedMedia(AudioCodec.PCMA, 98, 101, 20, MediaDirection.SENDRECV, REMOTE),
                accept(offer("192.0.2.1", "m=audio 4000 RTP/AVP 98 101", null,
                        "a=rtpmap:98 PCMA/8000", "a=rtpmap:101 telephone-event/8000")));
    }

    @Test
    void dynamicPayloadType96MappedToPcmuIsAnsweredWith96() {
        NegotiatedMedia media = accept(offer("192.0.2.1", "m=audio 4000 RTP/AVP 96", null, "a=rtpmap:96 PCMU/8000"));
        assertEquals(AudioCodec.PCMU, media.codec());
        assertEquals(96, media.payloadType());
        assertEquals(-1, media.telephoneEventPt());
    }

    @Test
    void rtpmapNamesAreCaseInsensitive() {
        NegotiatedMedia media = accept(offer("192.0.2.1", "m=audio 4000 RTP/AVP 97 98 96", null,
                "a=rtpmap:97 opus/48000/2", "a=rtpmap:98 pcma/8000", "a=rtpmap:96 Telephone-Event/8000"));
        assertEquals(AudioCodec.PCMA, media.codec());
        assertEquals(98, media.payloadType());
        assertEquals(96, media.telephoneEventPt());
    }

    @Test
    void aStaticNumberRemappedByRtpmapFollowsTheRtpmap() {
        NegotiatedMedia media = accept(offer("192.0.2.1", "m=audio 4000 RTP/AVP 0 8", null, "a=rtpmap:0 G729/8000"));
        assertEquals(AudioCodec.PCMA, media.codec());
    }

    @Test
    void telephoneEventNotListedOnTheMLineIsIgnored() {
        assertEquals(-1, accept(offer("192.0.2.1", "m=audio 4000 RTP/AVP 0", null,
                "a=rtpmap:101 telephone-event/8000")).telephoneEventPt());
    }

    @Test
    void thePreferredCodecWinsWhenStillOfferedUnderTheOffersPayloadType() {
        String sdp = offer("192.0.2.1", "m=audio 4000 RTP/AVP 0 97", null, "a=rtpmap:97 PCMA/8000");
        assertEquals(new RtpFormat(97, AudioCodec.PCMA), format(accept(sdp, AudioCodec.PCMA)));
        assertEquals(new RtpFormat(0, AudioCodec.PCMU), format(accept(sdp, AudioCodec.PCMU)));
        assertEquals(new RtpFormat(0, AudioCodec.PCMU),
                format(accept(offer("192.0.2.1", "m=audio 4000 RTP/AVP 0", null), AudioCodec.PCMA)),
                "the first G.711 in offer order when the preferred one is gone");
    }

    private static RtpFormat format(NegotiatedMedia media) {
        return new RtpFormat(media.payloadType(), media.codec());
    }

    @Test
    void ourDirectionIsTheAnswerToTheMediaLevelAttribute() {
        assertEquals(MediaDirection.RECVONLY,
                accept(offer("192.0.2.1", "m=audio 4000 RTP/AVP 0", null, "a=sendonly")).direction());
        assertEquals(MediaDirection.SENDONLY,
                accept(offer("192.0.2.1", "m=audio 4000 RTP/AVP 0", null, "a=recvonly")).direction());
        assertEquals(MediaDirection.INACTIVE,
                accept(offer("192.0.2.1", "m=audio 4000 RTP/AVP 0", null, "a=inactive")).direction());
        assertEquals(MediaDirection.SENDRECV, accept(offer("192.0.2.1", "m=audio 4000 RTP/AVP 0", null)).direction());
    }

    @Test
    void sessionLevelDirectionAppliesUnlessTheMediaLevelOverrides() {
        assertEquals(MediaDirection.RECVONLY,
                accept(offer("192.0.2.1", "m=audio 4000 RTP/AVP 0", null, "session:a=sendonly")).direction());
        assertEquals(MediaDirection.SENDRECV,
                accept(offer("192.0.2.1", "m=audio 4000 RTP/AVP 0", null, "session:a=inactive", "a=sendrecv"))
                        .direction());
    }

    @Test
    void nullConnectionAddressIsOldStyleHoldWithNoRemoteAddress() {
        NegotiatedMedia held = accept(offer("0.0.0.0", "m=audio 4000 RTP/AVP 0", null));
        assertNull(held.remoteRtp());
        assertEquals(MediaDirection.RECVONLY, held.direction(), "sendrecv to 0.0.0.0: the remote does not receive");
        assertEquals(MediaDirection.INACTIVE,
                accept(offer("0.0.0.0", "m=audio 4000 RTP/AVP 0", null, "a=recvonly")).direction());
    }

    @Test
    void mediaLevelConnectionOverridesSession() {
        assertEquals(new InetSocketAddress("198.51.100.7", 4000),
                accept(offer("192.0.2.1", "m=audio 4000 RTP/AVP 0", "198.51.100.7")).remoteRtp());
    }

    @Test
    void missingConnectionRejects() {
        assertEquals("No usable c= address for the audio stream",
                rejected(offer(null, "m=audio 4000 RTP/AVP 0", null)));
    }

    @Test
    void hostNameConnectionRejects() {
        assertEquals("No usable c= address for the audio stream",
                rejected(offer(null, "m=audio 4000 RTP/AVP 0", null)
                        .replace("t=0 0", "c=IN IP4 media.example.com\r\nt=0 0")));
    }

    @Test
    void onlyG729Rejects() {
        assertEquals("No G722/PCMU/PCMA audio stream",
                rejected(offer("192.0.2.1", "m=audio 4000 RTP/AVP 18", null, "a=rtpmap:18 G729/8000")));
    }

    @Test
    void pcmuAtOtherClockRateIsNotG711() {
        assertEquals("No G722/PCMU/PCMA audio stream",
                rejected(offer("192.0.2.1", "m=audio 4000 RTP/AVP 96", null, "a=rtpmap:96 PCMU/16000")));
    }

    @Test
    void payloadTypesOutOfRangeAreIgnored() {
        assertEquals("No G722/PCMU/PCMA audio stream",
                rejected(offer("192.0.2.1", "m=audio 4000 RTP/AVP 200", null, "a=rtpmap:200 PCMU/8000")));
    }

    @Test
    void garbageRejects() {
        assertEquals("No m= line", rejected("this is not sdp"));
    }

    @Test
    void answerMirrorsStreamsAndRefusesVideo() {
        String sdp = offer("192.0.2.1", "m=video 5000 RTP/AVP 31", null)
                + "m=audio 4000 RTP/AVP 8 101\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\n";
        SdpNegotiator.Accepted accepted =
                assertInstanceOf(SdpNegotiator.Accepted.class, SdpNegotiator.answer(sdp, null));
        assertEquals(1, accepted.audioIndex());
        String answer = LocalSdp.answer(accepted, "203.0.113.5", 30000).render(42, 42);
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

    @Test
    void answerToOurOfferTakesItsFirstCodecWeOfferedAndItsDirection() {
        LocalSdp ours = LocalSdp.initialOffer("203.0.113.5", 30000);
        String answer = offer("192.0.2.1", "m=audio 4000 RTP/AVP 8 101", null, "a=rtpmap:101 telephone-event/8000",
                "a=recvonly");
        SdpNegotiator.Accepted accepted =
                assertInstanceOf(SdpNegotiator.Accepted.class, SdpNegotiator.takeAnswer(answer, ours));
        assertEquals(new NegotiatedMedia(AudioCodec.PCMA, 8, 101, 20, MediaDirection.SENDONLY, REMOTE),
                accepted.media());
    }

    @Test
    void answerRefusingOurAudioOrWithoutOurCodecsFails() {
        LocalSdp ours = LocalSdp.initialOffer("203.0.113.5", 30000);
        assertEquals("Audio stream refused in the answer", assertInstanceOf(SdpNegotiator.Rejected.class,
                SdpNegotiator.takeAnswer(offer("192.0.2.1", "m=audio 0 RTP/AVP 0", null), ours)).reason());
        assertEquals("Answer has none of our codecs", assertInstanceOf(SdpNegotiator.Rejected.class,
                SdpNegotiator.takeAnswer(offer("192.0.2.1", "m=audio 4000 RTP/AVP 18", null), ours)).reason());
        assertEquals("Answer has 2 m= lines, our offer 1", assertInstanceOf(SdpNegotiator.Rejected.class,
                SdpNegotiator.takeAnswer(offer("192.0.2.1", "m=audio 4000 RTP/AVP 0", null)
                        + "m=video 0 RTP/AVP 31\r\n", ours)).reason());
    }

    @Test
    void thePacketTimeSentFollowsPtimeInStepsOfTenCappedByMaxptime() {
        assertEquals(20, ptime());                                         // none given: RFC 3551's 20
        assertEquals(10, ptime("a=ptime:10"));
        assertEquals(30, ptime("a=ptime:30"));
        assertEquals(40, ptime("a=ptime:40"));
        assertEquals(20, ptime("a=ptime:25"));                             // rounded down to whole 10 ms
        assertEquals(60, ptime("a=ptime:90"));                             // at most 60
        assertEquals(10, ptime("a=ptime:5"));                              // at least 10
        assertEquals(20, ptime("a=ptime:30", "a=maxptime:20"));            // never above maxptime
        assertEquals(20, ptime("a=maxptime:40"));                          // maxptime alone keeps 20
        assertEquals(20, ptime("a=ptime:soon"));
    }

    private static int ptime(String... attributes) {
        return accept(offer("192.0.2.1", "m=audio 4000 RTP/AVP 0", null, attributes)).ptimeMs();
    }

    @Test
    void rtcpMuxRtcpAddressAndComfortNoiseAreTakenFromTheOffer() {
        NegotiatedMedia media = accept(offer("192.0.2.1", "m=audio 4000 RTP/AVP 0 13", null, "a=rtcp-mux",
                "a=rtcp:4005 IN IP4 192.0.2.9"));
        assertEquals(new NegotiatedMedia(AudioCodec.PCMU, 0, -1, 20, MediaDirection.SENDRECV, REMOTE, true,
                new InetSocketAddress("192.0.2.9", 4005), true, null), media);
        NegotiatedMedia plain = accept(offer("192.0.2.1", "m=audio 4000 RTP/AVP 0", null, "a=rtcp:4003"));
        assertEquals(new InetSocketAddress("192.0.2.1", 4003), plain.remoteRtcp());
        assertEquals(false, plain.rtcpMux());
        assertEquals(false, plain.comfortNoise());
        assertEquals(false, accept(offer("192.0.2.1", "m=audio 4000 RTP/AVP 0 13", null, "a=rtpmap:13 G729/8000"))
                .comfortNoise(), "13 mapped to something else is not comfort noise");
    }

    @Test
    void theAnswerKeepsComfortNoiseAndRtcpMuxAndStatesThePacketTimeWeSend() {
        String sdp = offer("192.0.2.1", "m=audio 4000 RTP/AVP 8 13 101", null, "a=rtpmap:101 telephone-event/8000",
                "a=ptime:40", "a=rtcp-mux");
        SdpNegotiator.Accepted accepted =
                assertInstanceOf(SdpNegotiator.Accepted.class, SdpNegotiator.answer(sdp, null));
        assertEquals("v=0\r\n"
                + "o=gateway 42 42 IN IP4 203.0.113.5\r\n"
                + "s=gateway\r\n"
                + "c=IN IP4 203.0.113.5\r\n"
                + "t=0 0\r\n"
                + "m=audio 30000 RTP/AVP 8 101 13\r\n"
                + "a=rtpmap:8 PCMA/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\n"
                + "a=fmtp:101 0-15\r\n"
                + "a=rtpmap:13 CN/8000\r\n"
                + "a=ptime:40\r\n"
                + "a=rtcp-mux\r\n"
                + "a=sendrecv\r\n", LocalSdp.answer(accepted, "203.0.113.5", 30000).render(42, 42));
    }
}
