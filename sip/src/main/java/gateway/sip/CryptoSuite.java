package gateway.sip;

import java.util.Optional;

/** The SDES crypto suites the gateway negotiates (RFC 4568 §6.2): AES-128 counter mode, HMAC-SHA1 80 or 32 bits. */
public enum CryptoSuite {
    AES_CM_128_HMAC_SHA1_80,
    AES_CM_128_HMAC_SHA1_32;

    /** Bytes of the inline key: a 128-bit master key and a 112-bit master salt (RFC 4568 §6.2.1). */
    public static final int KEY_SALT_BYTES = 30;

    /** The suite of a name as written in a=crypto (case-sensitive, RFC 4568 §9.2), if it is one of ours. */
    static Optional<CryptoSuite> byName(String name) {
        for (CryptoSuite suite : values()) {
            if (suite.name().equals(name)) {
                return Optional.of(suite);
            }
        }
        return Optional.empty();
    }
}
