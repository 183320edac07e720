package gateway.sip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/** SDES a=crypto lines (RFC 4568 §9.1): what is taken, what is refused and why, and what we write. */
class CryptoAttributeTest {

    /** The inline key of RFC 4568's examples (§3.1, §9.1): 30 bytes of master key and salt. */
    private static final String RFC_KEY = "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR";

    private static CryptoAttribute usable(String value) {
        return assertInstanceOf(CryptoAttribute.Usable.class, CryptoAttribute.parse(value)).attribute();
    }

    private static String refused(String value) {
        return assertInstanceOf(CryptoAttribute.Refused.class, CryptoAttribute.parse(value)).reason();
    }

    @Test
    void theRfcExampleIsRefusedForItsLifetimeAndMkiAndTakenWithoutThem() {
        assertEquals("key lifetime 2^20 is shorter than 2^31",
                refused("1 AES_CM_128_HMAC_SHA1_80 inline:" + RFC_KEY + "|2^20|1:4"));
        assertEquals("MKI is not supported", refused("1 AES_CM_128_HMAC_SHA1_80 inline:" + RFC_KEY + "|2^31|1:4"));
        CryptoAttribute plain = usable("1 AES_CM_128_HMAC_SHA1_80 inline:" + RFC_KEY);
        assertEquals(1, plain.tag());
        assertEquals(CryptoSuite.AES_CM_128_HMAC_SHA1_80, plain.suite());
        assertArrayEquals(Base64.getDecoder().decode(RFC_KEY), plain.keySalt());
    }

    @Test
    void aLongLifetimeIsTakenAShortOneRefused() {
        assertEquals(7, usable("7 AES_CM_128_HMAC_SHA1_32 inline:" + RFC_KEY + "|2^31").tag());
        assertEquals(7, usable("7 AES_CM_128_HMAC_SHA1_32 inline:" + RFC_KEY + "|2147483648").tag());
        assertEquals("key lifetime 2^20 is shorter than 2^31",
                refused("1 AES_CM_128_HMAC_SHA1_80 inline:" + RFC_KEY + "|2^20"));
        assertEquals("bad key lifetime 'forever'",
                refused("1 AES_CM_128_HMAC_SHA1_80 inline:" + RFC_KEY + "|forever"));
    }

    @Test
    void unknownSuitesBadKeysAndSessionParametersAreRefused() {
        assertEquals("unsupported crypto suite AES_256_CM_HMAC_SHA1_80",
                refused("1 AES_256_CM_HMAC_SHA1_80 inline:" + RFC_KEY));
        assertEquals("unsupported crypto suite aes_cm_128_hmac_sha1_80",
                refused("1 aes_cm_128_hmac_sha1_80 inline:" + RFC_KEY));
        assertEquals("inline key is 24 bytes, not 30",
                refused("1 AES_CM_128_HMAC_SHA1_80 inline:" + RFC_KEY.substring(0, 32)));
        assertEquals("inline key is not base64", refused("1 AES_CM_128_HMAC_SHA1_80 inline:!!!notbase64!!!"));
        assertEquals("key method is not inline", refused("1 AES_CM_128_HMAC_SHA1_80 uri:http://example.com/key"));
        assertEquals("several keys (MKI) are not supported",
                refused("1 AES_CM_128_HMAC_SHA1_80 inline:" + RFC_KEY + "|1:4;inline:" + RFC_KEY + "|2:4"));
        assertEquals("unsupported session parameter UNENCRYPTED_SRTP",
                refused("1 AES_CM_128_HMAC_SHA1_80 inline:" + RFC_KEY + " UNENCRYPTED_SRTP"));
        assertEquals(1, usable("1 AES_CM_128_HMAC_SHA1_80 inline:" + RFC_KEY + " WSH=128 KDR=0").tag());
        assertEquals("bad a=crypto tag 'x'", refused("x AES_CM_128_HMAC_SHA1_80 inline:" + RFC_KEY));
        assertEquals("a=crypto needs a tag, a suite and key parameters", refused("1 AES_CM_128_HMAC_SHA1_80"));
    }

    @Test
    void weWriteTagSuiteAndOneInlineKeyWithoutLifetimeOrMki() {
        byte[] key = Base64.getDecoder().decode(RFC_KEY);
        assertEquals("2 AES_CM_128_HMAC_SHA1_32 inline:" + RFC_KEY,
                new CryptoAttribute(2, CryptoSuite.AES_CM_128_HMAC_SHA1_32, key).format());
        assertEquals("CryptoAttribute[2 AES_CM_128_HMAC_SHA1_32]",
                new CryptoAttribute(2, CryptoSuite.AES_CM_128_HMAC_SHA1_32, key).toString(), "no key in logs");
    }
}
