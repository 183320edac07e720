package gateway.rtp;

/**
 * The SRTP crypto suites the gateway speaks (RFC 4568 §6.2.1, RFC 3711 §4.1.1, §4.2.1): AES-128 in counter mode with
 * a 112-bit master salt, authenticated by HMAC-SHA1 truncated to 80 or 32 bits.
 */
public enum SrtpSuite {
    AES_CM_128_HMAC_SHA1_80(10),
    AES_CM_128_HMAC_SHA1_32(4);

    /** Master key length of both suites (RFC 4568 §6.2.1: 128 bits). */
    public static final int KEY_BYTES = 16;
    /** Master salt length of both suites (RFC 4568 §6.2.1: 112 bits). */
    public static final int SALT_BYTES = 14;

    private final int tagBytes;

    SrtpSuite(int tagBytes) {
        this.tagBytes = tagBytes;
    }

    /** Length of the authentication tag appended to each packet. */
    public int tagBytes() {
        return tagBytes;
    }
}
