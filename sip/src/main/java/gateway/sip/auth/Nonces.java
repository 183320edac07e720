package gateway.sip.auth;

import gateway.time.Clock;
import java.nio.ByteBuffer;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Nonces of our own (RFC 7616 §3.3, §5.4): the issue time, a sequence number (so two nonces issued in the same
 * nanosecond differ) and an HMAC-SHA256 of both under a secret only this process knows, base64url-encoded. A nonce
 * is checked without remembering it: a forged or altered one fails the MAC, and its age says whether it is stale.
 * Not thread-safe: the SIP loop only.
 */
final class Nonces {

    /** Bytes of the issue time (the monotonic clock's nanoseconds) at the start of a nonce. */
    static final int TIME_BYTES = Long.BYTES;
    /** Bytes of the sequence number after it. */
    static final int SEQUENCE_BYTES = Long.BYTES;
    /** Bytes of the MAC kept: 128 bits, far beyond what can be guessed within a nonce's life. */
    static final int MAC_BYTES = 16;
    private static final int SIGNED_BYTES = TIME_BYTES + SEQUENCE_BYTES;

    /** What a nonce is to us. */
    enum Status {
        /** Ours and younger than the lifetime. */
        FRESH,
        /** Ours but too old: the client should retry with a new one, without asking its user (stale=true). */
        STALE,
        /** Not made by this process (another secret, e.g. before a restart, or made up). */
        FOREIGN
    }

    /** A checked nonce: its status and, when ours, when it was issued. */
    record Check(Status status, long issuedNanos) {
    }

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final Clock clock;
    private final Mac mac;
    private final long lifetimeNanos;
    private long sequence;

    Nonces(Clock clock, byte[] secret, long lifetimeNanos) {
        if (lifetimeNanos <= 0) {
            throw new IllegalArgumentException("nonce lifetime must be positive: " + lifetimeNanos);
        }
        this.clock = clock;
        this.lifetimeNanos = lifetimeNanos;
        try {
            this.mac = Mac.getInstance("HmacSHA256");
            this.mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is in every JDK", e);
        }
    }

    long lifetimeNanos() {
        return lifetimeNanos;
    }

    /** A new nonce, issued now. */
    String issue() {
        ByteBuffer nonce = ByteBuffer.allocate(SIGNED_BYTES + MAC_BYTES);
        nonce.putLong(clock.nanoTime()).putLong(sequence++);
        nonce.put(tag(nonce.array()), 0, MAC_BYTES);
        return ENCODER.encodeToString(nonce.array());
    }

    /** Whether {@code nonce} is ours and fresh. */
    Check check(String nonce) {
        byte[] bytes;
        try {
            bytes = DECODER.decode(nonce);
        } catch (IllegalArgumentException notBase64) {
            return new Check(Status.FOREIGN, 0);
        }
        if (bytes.length != SIGNED_BYTES + MAC_BYTES) {
            return new Check(Status.FOREIGN, 0);
        }
        byte[] expected = Arrays.copyOf(tag(bytes), MAC_BYTES);
        byte[] presented = Arrays.copyOfRange(bytes, SIGNED_BYTES, SIGNED_BYTES + MAC_BYTES);
        if (!MessageDigest.isEqual(expected, presented)) {
            return new Check(Status.FOREIGN, 0);
        }
        long issued = ByteBuffer.wrap(bytes).getLong();
        long age = clock.nanoTime() - issued;
        return new Check(age >= 0 && age <= lifetimeNanos ? Status.FRESH : Status.STALE, issued);
    }

    /** The MAC of the signed part (time and sequence) at the start of {@code nonce}. */
    private byte[] tag(byte[] nonce) {
        mac.update(nonce, 0, SIGNED_BYTES);
        return mac.doFinal();
    }
}
