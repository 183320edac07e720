package gateway.sip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** SRTP keys by SDES in offer/answer (RFC 4568 §5, §7), under each rtp.srtp mode and signalling transport. */
class SdesNegotiationTest {

    private static final String CALLER_KEY = "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR";
    private static final String OTHER_KEY = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk";

    /** Our keys, in order: 0x01… then 0x02… */
    private static Supplier<byte[]> ourKeys() {
        int[] next = {0};
        return () -> {
            byte[] key = new byte[30];
            Arrays.fill(key, (byte) ++next[0]);
            return key;
        };
    }

    private static SdesPolicy policy(SrtpMode mode, boolean keysAllowed) {
        return new SdesPolicy(mode, keysAllowed, ourKeys());
    }

    private static String offer(String profile, String... crypto) {
        StringBuilder sdp = new StringBuilder("v=0\r\no=x 1 1 IN IP4 192.0.2.1\r\ns=-\r\n"
                + "c=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 " + profile + " 0 8\r\n");
        for (String line : crypto) {
            sdp.append("a=crypto:").append(line).append("\r\n");
        }
        return sdp.toString();
    }

    private static SdpNegotiator.Accepted accepted(String sdp, SdesPolicy policy) {
        return assertInstanceOf(SdpNegotiator.Accepted.class, SdpNegotiator.answer(sdp, null, policy, null));
    }

    private static String rejected(String sdp, SdesPolicy policy) {
        return assertInstanceOf(SdpNegotiator.Rejected.class, SdpNegotiator.answer(sdp, null, policy, null))
                .reason();
    }

    @Test
    void aSavpOfferOverTlsIsAnsweredWithOneLineOfOursUnderTheFirstUsableTagAndSuite() {
        SdpNegotiator.Accepted accepted = accepted(offer("RTP/SAVP",
                "1 AES_256_CM_HMAC_SHA1_80 inline:" + CALLER_KEY + CALLER_KEY,
                "2 AES_CM_128_HMAC_SHA1_32 inline:" + CALLER_KEY,
                "3 AES_CM_128_HMAC_SHA1_80 inline:" + OTHER_KEY), policy(SrtpMode.OFFER, true));
        MediaCrypto crypto = accepted.media().crypto();
        assertEquals(CryptoSuite.AES_CM_128_HMAC_SHA1_32, crypto.suite());
        assertEquals(2, crypto.tag());
        assertArrayEquals(Base64.getDecoder().decode(CALLER_KEY), crypto.remoteKey());
        byte[] ours = new byte[30];
        Arrays.fill(ours, (byte) 1);
        assertArrayEquals(ours, crypto.localKey());
        String answer = LocalSdp.answer(accepted, "203.0.113.5", 10000).render(1, 1);
        assertTrue(answer.contains("m=audio 10000 RTP/SAVP 0\r\n"), answer);
        assertTrue(answer.endsWith("a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:"
                + Base64.getEncoder().encodeToString(ours) + "\r\n"), answer);
        assertEquals(1, answer.split("a=crypto:", -1).length - 1);
    }

    @Test
    void requireRefusesPlainOffersAndAnSavpOfferWithoutUsableLines() {
        assertEquals("SRTP needed and no usable a=crypto: no a=crypto offered",
                rejected(offer("RTP/AVP"), policy(SrtpMode.REQUIRE, true)));
        assertEquals("SRTP needed and no usable a=crypto: MKI is not supported",
                rejected(offer("RTP/SAVP", "1 AES_CM_128_HMAC_SHA1_80 inline:" + CALLER_KEY + "|2^31|1:4"),
                        policy(SrtpMode.REQUIRE, true)));
    }

    @Test
    void overPlainSipKeysAreRefusedUnlessAllowed() {
        assertEquals("SRTP keys would travel over plain SIP (rtp.srtp-over-plain-sip is false)",
                rejected(offer("RTP/SAVP", "1 AES_CM_128_HMAC_SHA1_80 inline:" + CALLER_KEY),
                        policy(SrtpMode.OFFER, false)));
        assertEquals("SRTP keys would travel over plain SIP (rtp.srtp-over-plain-sip is false)",
                rejected(offer("RTP/AVP"), policy(SrtpMode.REQUIRE, false)));
        assertEquals(CryptoSuite.AES_CM_128_HMAC_SHA1_80, accepted(offer("RTP/SAVP",
                "1 AES_CM_128_HMAC_SHA1_80 inline:" + CALLER_KEY), policy(SrtpMode.OFFER, true)).media().crypto()
                .suite());
    }

    @Test
    void aBestEffortOfferIsAnsweredPlainWhenKeysMayNotTravelAndSecureWhenTheyMay() {
        String osrtp = offer("RTP/AVP", "1 AES_CM_128_HMAC_SHA1_80 inline:" + CALLER_KEY);
        SdpNegotiator.Accepted plain = accepted(osrtp, policy(SrtpMode.OFFER, false));
        assertNull(plain.media().crypto());
        String answer = LocalSdp.answer(plain, "203.0.113.5", 10000).render(1, 1);
        assertTrue(answer.contains("m=audio 10000 RTP/AVP 0\r\n") && !answer.contains("a=crypto"), answer);
        SdpNegotiator.Accepted secure = accepted(osrtp, policy(SrtpMode.OFFER, true));
        assertEquals(1, secure.media().crypto().tag());
        assertTrue(LocalSdp.answer(secure, "203.0.113.5", 10000).render(1, 1).contains("RTP/AVP 0\r\n"));
    }

    @Test
    void withSrtpOffASavpOfferIsRefused() {
        assertEquals("RTP/SAVP offered but rtp.srtp is off",
                rejected(offer("RTP/SAVP", "1 AES_CM_128_HMAC_SHA1_80 inline:" + CALLER_KEY), SdesPolicy.OFF));
        assertNull(accepted(offer("RTP/AVP", "1 AES_CM_128_HMAC_SHA1_80 inline:" + CALLER_KEY), SdesPolicy.OFF)
                .media().crypto());
    }

    @Test
    void aReofferWithTheSameKeyKeepsOursAndANewKeyOrPlainChangesIt() {
        String first = offer("RTP/SAVP", "1 AES_CM_128_HMAC_SHA1_80 inline:" + CALLER_KEY);
        SdesPolicy policy = policy(SrtpMode.OFFER, true);
        MediaSession session = new MediaSession(accepted(first, policy), 42, policy);
        String ok = session.firstSdp("203.0.113.5", 10000);

        MediaSession.Settled refresh = assertInstanceOf(MediaSession.Settled.class, session.answer(first));
        assertFalse(refresh.changed());
        assertEquals(ok, refresh.localSdp(), "a refresh is answered with the identical SDP");

        MediaSession.Settled rekey = assertInstanceOf(MediaSession.Settled.class,
                session.answer(offer("RTP/SAVP", "1 AES_CM_128_HMAC_SHA1_80 inline:" + OTHER_KEY)));
        assertTrue(rekey.changed());
        assertNotEquals(ok, rekey.localSdp());
        assertArrayEquals(Base64.getDecoder().decode(OTHER_KEY), rekey.media().crypto().remoteKey());

        MediaSession.Settled plain = assertInstanceOf(MediaSession.Settled.class, session.answer(offer("RTP/AVP")));
        assertNull(plain.media().crypto());
        assertFalse(plain.localSdp().contains("a=crypto"));
    }

    @Test
    void ourLateOfferCarriesAKeyPerSuiteAndTakesTheAnswerOfOneOfThem() {
        LocalSdp required = LocalSdp.initialOffer("203.0.113.5", 10000, policy(SrtpMode.REQUIRE, true));
        String text = required.render(1, 1);
        assertTrue(text.contains("m=audio 10000 RTP/SAVP 9 0 8 101\r\n"), text);
        assertEquals(List.of(CryptoSuite.AES_CM_128_HMAC_SHA1_80, CryptoSuite.AES_CM_128_HMAC_SHA1_32),
                required.crypto().stream().map(CryptoAttribute::suite).toList());
        assertTrue(LocalSdp.initialOffer("203.0.113.5", 10000, policy(SrtpMode.OFFER, true)).render(1, 1)
                .contains("m=audio 10000 RTP/AVP 9 0 8 101\r\n"), "best effort: RTP/AVP with a=crypto (RFC 8643)");

        String answer = offer("RTP/SAVP", "2 AES_CM_128_HMAC_SHA1_32 inline:" + CALLER_KEY)
                .replace("RTP/SAVP 9 0 8", "RTP/SAVP 8");
        MediaCrypto crypto = assertInstanceOf(SdpNegotiator.Accepted.class,
                SdpNegotiator.takeAnswer(answer, required)).media().crypto();
        assertEquals(2, crypto.tag());
        assertArrayEquals(required.crypto().get(1).keySalt(), crypto.localKey());
        assertEquals("Answer to our RTP/SAVP offer has no a=crypto line of ours",
                assertInstanceOf(SdpNegotiator.Rejected.class,
                        SdpNegotiator.takeAnswer(offer("RTP/SAVP"), required)).reason());
    }
}
