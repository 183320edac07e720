package gateway.rtp;

import java.util.Arrays;
import java.util.Objects;

/**
 * One direction's SRTP master key and salt (RFC 3711 §3.2.1) and its suite. Compared by content, so a re-INVITE that
 * repeats the keys in force changes nothing; {@link #toString()} never shows the key material.
 */
public final class SrtpMasterKey {

    private final SrtpSuite suite;
    private final byte[] key;
    private final byte[] salt;

    /** Copies {@code key} (16 bytes) and {@code salt} (14 bytes). */
    public SrtpMasterKey(SrtpSuite suite, byte[] key, byte[] salt) {
        this.suite = Objects.requireNonNull(suite, "suite");
        if (key.length != SrtpSuite.KEY_BYTES || salt.length != SrtpSuite.SALT_BYTES) {
            throw new IllegalArgumentException("SRTP master key and salt must be " + SrtpSuite.KEY_BYTES + " and "
                    + SrtpSuite.SALT_BYTES + " bytes");
        }
        this.key = key.clone();
        this.salt = salt.clone();
    }

    /** The key and salt as SDES carries them, concatenated (RFC 4568 §6.1): 30 bytes. */
    public static SrtpMasterKey of(SrtpSuite suite, byte[] keyAndSalt) {
        if (keyAndSalt.length != SrtpSuite.KEY_BYTES + SrtpSuite.SALT_BYTES) {
            throw new IllegalArgumentException("SRTP key and salt must be 30 bytes, not " + keyAndSalt.length);
        }
        return new SrtpMasterKey(suite, Arrays.copyOf(keyAndSalt, SrtpSuite.KEY_BYTES),
                Arrays.copyOfRange(keyAndSalt, SrtpSuite.KEY_BYTES, keyAndSalt.length));
    }

    public SrtpSuite suite() {
        return suite;
    }

    byte[] key() {
        return key;
    }

    byte[] salt() {
        return salt;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SrtpMasterKey other && suite == other.suite && Arrays.equals(key, other.key)
                && Arrays.equals(salt, other.salt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(suite, Arrays.hashCode(key), Arrays.hashCode(salt));
    }

    @Override
    public String toString() {
        return "SrtpMasterKey[" + suite + "]";
    }
}
