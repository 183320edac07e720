package gateway.sip;

import java.security.SecureRandom;
import java.util.function.Supplier;

/**
 * How one dialog negotiates SRTP keys (RFC 4568): the configured {@link SrtpMode}, whether keys may travel on this
 * dialog's signalling ({@code keysAllowed}: over TLS, or over plain UDP/TCP only when the operator said so, since
 * anyone on the path reads SDP there), and where our fresh keys come from.
 */
record SdesPolicy(SrtpMode mode, boolean keysAllowed, Supplier<byte[]> keys) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** No SRTP: offers of it are treated as plain offers or refused. */
    static final SdesPolicy OFF = new SdesPolicy(SrtpMode.OFF, false, SdesPolicy::freshKey);

    /** The policy of a dialog whose INVITE came over TLS ({@code secureTransport}) or not. */
    static SdesPolicy of(SrtpMode mode, boolean secureTransport, boolean overPlainSip) {
        return new SdesPolicy(mode, secureTransport || overPlainSip, SdesPolicy::freshKey);
    }

    /** 30 random bytes of master key and salt (RFC 4568 §6.1: from a cryptographically strong source). */
    static byte[] freshKey() {
        byte[] key = new byte[CryptoSuite.KEY_SALT_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    /** True when an a=crypto offer may be taken. */
    boolean acceptsCrypto() {
        return mode != SrtpMode.OFF && keysAllowed;
    }

    /** True when only SRTP will do. */
    boolean requiresCrypto() {
        return mode == SrtpMode.REQUIRE;
    }
}
