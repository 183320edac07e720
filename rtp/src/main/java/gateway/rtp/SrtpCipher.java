package gateway.rtp;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SRTP transforms of one master key (RFC 3711 §4): the session keys derived once (§4.3), AES in counter mode
 * (§4.1.1) and the HMAC-SHA1 tag (§4.2.1). Per packet it allocates nothing: the keystream comes from one AES-ECB
 * pass over counter blocks written into a reused array (the JDK's AES uses the CPU's AES instructions), and HMAC runs
 * over a reused SHA-1 digest with the padded keys absorbed per packet. One instance per direction and event loop.
 */
final class SrtpCipher {

    /** Session authentication key length (RFC 3711 §8.2: n_a = 160 bits for HMAC-SHA1). */
    static final int AUTH_KEY_BYTES = 20;
    /** The largest packet transformed: the RTP socket's receive buffer. */
    static final int MAX_PACKET_BYTES = 2048;
    /** Key derivation labels (RFC 3711 §4.3.2) for SRTP encryption, authentication and salt. */
    static final int LABEL_ENCRYPTION = 0;
    static final int LABEL_AUTHENTICATION = 1;
    static final int LABEL_SALT = 2;
    /** The same labels for SRTCP (RFC 3711 §4.3.2). */
    static final int LABEL_SRTCP_ENCRYPTION = 3;
    static final int LABEL_SRTCP_AUTHENTICATION = 4;
    static final int LABEL_SRTCP_SALT = 5;
    /** SRTCP's tag with both suites (RFC 4568 §6.2.1: 80 bits, also for AES_CM_128_HMAC_SHA1_32). */
    static final int SRTCP_TAG_BYTES = 10;

    private static final int BLOCK = 16;
    private static final int SHA1_BLOCK = 64;
    private static final int SHA1_BYTES = 20;
    private static final byte IPAD = 0x36;
    private static final byte OPAD = 0x5c;

    private final int tagBytes;
    private final Cipher aes;
    private final byte[] sessionSalt;
    private final MessageDigest sha1;
    private final byte[] innerPad = new byte[SHA1_BLOCK];
    private final byte[] outerPad = new byte[SHA1_BLOCK];
    private final byte[] counters = new byte[MAX_PACKET_BYTES + BLOCK];
    private final byte[] keystream = new byte[MAX_PACKET_BYTES + BLOCK];
    private final byte[] digest = new byte[SHA1_BYTES];
    private final byte[] roc = new byte[4];

    /** Derives the session keys of {@code master} with key derivation rate 0 (RFC 4568 §6.3: KDR absent). */
    static SrtpCipher of(SrtpMasterKey master) {
        return of(master, master.suite().tagBytes(), LABEL_ENCRYPTION);
    }

    /** The SRTCP transforms of {@code master} (RFC 3711 §3.4): its own session keys, an 80-bit tag. */
    static SrtpCipher srtcp(SrtpMasterKey master) {
        return of(master, SRTCP_TAG_BYTES, LABEL_SRTCP_ENCRYPTION);
    }

    /** The session keys of the labels from {@code encryptionLabel} on: encryption, authentication, salt. */
    private static SrtpCipher of(SrtpMasterKey master, int tagBytes, int encryptionLabel) {
        try {
            byte[] encryptionKey = derive(master, encryptionLabel, SrtpSuite.KEY_BYTES);
            byte[] authKey = derive(master, encryptionLabel + 1, AUTH_KEY_BYTES);
            byte[] salt = derive(master, encryptionLabel + 2, SrtpSuite.SALT_BYTES);
            SrtpCipher cipher = new SrtpCipher(tagBytes, encryptionKey, salt, authKey);
            Arrays.fill(encryptionKey, (byte) 0);
            Arrays.fill(authKey, (byte) 0);
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no AES", e);
        }
    }

    /** The transforms of the session keys given (RFC 3711 §4.3: k_e, k_s, k_a). */
    SrtpCipher(int tagBytes, byte[] sessionKey, byte[] sessionSalt, byte[] authKey) {
        this.tagBytes = tagBytes;
        this.sessionSalt = sessionSalt.clone();
        try {
            this.aes = ecb(sessionKey);
            this.sha1 = MessageDigest.getInstance("SHA-1");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no AES or SHA-1", e);
        }
        // RFC 2104 §2: the key (shorter than a block) is padded with zeros, then XORed with ipad and opad.
        for (int i = 0; i < SHA1_BLOCK; i++) {
            byte k = i < authKey.length ? authKey[i] : 0;
            innerPad[i] = (byte) (k ^ IPAD);
            outerPad[i] = (byte) (k ^ OPAD);
        }
    }

    /**
     * The session key of {@code label} (RFC 3711 §4.3.1): with r = 0, x = label * 2^48 XOR master salt, and the key is
     * the first {@code length} bytes of AES-CM keystream under the master key with IV x * 2^16.
     */
    static byte[] derive(SrtpMasterKey master, int label, int length) throws GeneralSecurityException {
        byte[] iv = new byte[BLOCK];
        System.arraycopy(master.salt(), 0, iv, 0, SrtpSuite.SALT_BYTES);
        iv[7] ^= (byte) label;
        byte[] out = new byte[(length + BLOCK - 1) / BLOCK * BLOCK];
        Cipher cipher = ecb(master.key());
        for (int block = 0; block * BLOCK < out.length; block++) {
            iv[14] = (byte) (block >>> 8);
            iv[15] = (byte) block;
            cipher.update(iv, 0, BLOCK, out, block * BLOCK);
        }
        return Arrays.copyOf(out, length);
    }

    private static Cipher ecb(byte[] key) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/ECB/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        return cipher;
    }

    int tagBytes() {
        return tagBytes;
    }

    /**
     * Encrypts or decrypts (the same XOR) {@code packet[from, to)} with the keystream of {@code ssrc} and the 48-bit
     * {@code index} (RFC 3711 §4.1.1): IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16), block j at IV + j.
     */
    void crypt(byte[] packet, int from, int to, long ssrc, long index) {
        int length = to - from;
        int blocks = (length + BLOCK - 1) / BLOCK;
        for (int b = 0; b < blocks; b++) {
            int at = b * BLOCK;
            System.arraycopy(sessionSalt, 0, counters, at, SrtpSuite.SALT_BYTES);
            for (int i = 0; i < 4; i++) {
                counters[at + 4 + i] ^= (byte) (ssrc >>> (24 - 8 * i));
            }
            for (int i = 0; i < 6; i++) {
                counters[at + 8 + i] ^= (byte) (index >>> (40 - 8 * i));
            }
            counters[at + 14] = (byte) (b >>> 8);
            counters[at + 15] = (byte) b;
        }
        try {
            aes.update(counters, 0, blocks * BLOCK, keystream, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-ECB over whole blocks failed", e);
        }
        for (int i = 0; i < length; i++) {
            packet[from + i] ^= keystream[i];
        }
    }

    /**
     * Writes the tag of {@code packet[0, length)} with rollover counter {@code rolloverCounter} at
     * {@code packet[length]} (RFC 3711 §4.2: HMAC-SHA1 over the authenticated portion || ROC, truncated).
     */
    void sign(byte[] packet, int length, int rolloverCounter) {
        hmac(packet, length, rolloverCounter, true);
        System.arraycopy(digest, 0, packet, length, tagBytes);
    }

    /** True when the tag at {@code packet[length]} is right for {@code packet[0, length)}; constant time. */
    boolean verify(byte[] packet, int length, int rolloverCounter) {
        hmac(packet, length, rolloverCounter, true);
        return tagMatches(packet, length);
    }

    /** Writes SRTCP's tag of {@code packet[0, length)} at {@code packet[length]} (RFC 3711 §3.4: no ROC). */
    void signRtcp(byte[] packet, int length) {
        hmac(packet, length, 0, false);
        System.arraycopy(digest, 0, packet, length, tagBytes);
    }

    /** True when SRTCP's tag at {@code packet[length]} is right for {@code packet[0, length)}; constant time. */
    boolean verifyRtcp(byte[] packet, int length) {
        hmac(packet, length, 0, false);
        return tagMatches(packet, length);
    }

    private boolean tagMatches(byte[] packet, int length) {
        int difference = 0;
        for (int i = 0; i < tagBytes; i++) {
            difference |= digest[i] ^ packet[length + i];
        }
        return difference == 0;
    }

    /** RFC 2104: H(K ^ opad || H(K ^ ipad || message)) into {@link #digest}; SRTP's message ends with the ROC. */
    private void hmac(byte[] packet, int length, int rolloverCounter, boolean withRoc) {
        roc[0] = (byte) (rolloverCounter >>> 24);
        roc[1] = (byte) (rolloverCounter >>> 16);
        roc[2] = (byte) (rolloverCounter >>> 8);
        roc[3] = (byte) rolloverCounter;
        try {
            sha1.update(innerPad);
            sha1.update(packet, 0, length);
            if (withRoc) {
                sha1.update(roc);
            }
            sha1.digest(digest, 0, SHA1_BYTES);
            sha1.update(outerPad);
            sha1.update(digest);
            sha1.digest(digest, 0, SHA1_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 into a 20-byte array failed", e);
        }
    }
}
