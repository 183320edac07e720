package gateway.sip;

import java.util.Arrays;
import java.util.Objects;

/**
 * The SRTP keys an SDES exchange settled on (RFC 4568 §6.1): the suite, the tag of the accepted a=crypto line, the
 * remote's inline key (it protects what the remote sends) and ours (what we send), each 30 bytes of master key and
 * salt. Compared by content; {@link #toString()} never shows a key.
 */
public final class MediaCrypto {

    private final CryptoSuite suite;
    private final int tag;
    private final byte[] remoteKey;
    private final byte[] localKey;

    MediaCrypto(CryptoSuite suite, int tag, byte[] remoteKey, byte[] localKey) {
        this.suite = Objects.requireNonNull(suite, "suite");
        if (remoteKey.length != CryptoSuite.KEY_SALT_BYTES || localKey.length != CryptoSuite.KEY_SALT_BYTES) {
            throw new IllegalArgumentException("SDES keys are " + CryptoSuite.KEY_SALT_BYTES + " bytes");
        }
        this.tag = tag;
        this.remoteKey = remoteKey.clone();
        this.localKey = localKey.clone();
    }

    public CryptoSuite suite() {
        return suite;
    }

    /** The a=crypto tag both sides used (RFC 4568 §9.1). */
    public int tag() {
        return tag;
    }

    /** The remote's master key and salt (a copy). */
    public byte[] remoteKey() {
        return remoteKey.clone();
    }

    /** Our master key and salt (a copy). */
    public byte[] localKey() {
        return localKey.clone();
    }

    /** True when {@code key} is the remote's key of this exchange. */
    boolean remoteKeyIs(byte[] key) {
        return Arrays.equals(remoteKey, key);
    }

    byte[] localKeyShared() {
        return localKey;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MediaCrypto other && suite == other.suite && tag == other.tag
                && Arrays.equals(remoteKey, other.remoteKey) && Arrays.equals(localKey, other.localKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(suite, tag, Arrays.hashCode(remoteKey), Arrays.hashCode(localKey));
    }

    @Override
    public String toString() {
        return "MediaCrypto[" + suite + ", tag " + tag + "]";
    }
}
