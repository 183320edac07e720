package gateway.sip;

import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;

/**
 * One SDES a=crypto attribute (RFC 4568 §9.1) as the gateway takes or writes it: a tag, a suite and one inline key
 * (master key and salt). What we cannot honour is refused by {@link #parse}, and the offer's next line is tried: an
 * unknown suite, a key of the wrong length, an MKI (our packets carry none, RFC 3711 §3.1), a lifetime shorter than
 * {@link #MIN_LIFETIME_LOG2} (we never re-key by ourselves), several keys, or a session parameter other than
 * {@code WSH} or {@code KDR=0} (RFC 4568 §6.3).
 */
record CryptoAttribute(int tag, CryptoSuite suite, byte[] keySalt) {

    /** The shortest key lifetime taken: 2^31 packets, 497 days of 20 ms packets; a shorter one would need re-keying. */
    static final int MIN_LIFETIME_LOG2 = 31;
    /** Tags are 1*9DIGIT (RFC 4568 §9.1). */
    private static final int MAX_TAG_DIGITS = 9;
    private static final String INLINE = "inline:";

    CryptoAttribute {
        Objects.requireNonNull(suite, "suite");
        if (keySalt.length != CryptoSuite.KEY_SALT_BYTES) {
            throw new IllegalArgumentException("inline key must be " + CryptoSuite.KEY_SALT_BYTES + " bytes");
        }
        keySalt = keySalt.clone();
    }

    /** The outcome of parsing one a=crypto value. */
    sealed interface Parsed permits Usable, Refused {
    }

    /** A line the gateway can use. */
    record Usable(CryptoAttribute attribute) implements Parsed {
    }

    /** A line the gateway cannot use, and why (for the log). */
    record Refused(String reason) implements Parsed {
    }

    /** Parses the value of an a=crypto attribute (the text after {@code crypto:}). */
    static Parsed parse(String value) {
        String[] fields = value.trim().split("[ \t]+");
        if (fields.length < 3) {
            return new Refused("a=crypto needs a tag, a suite and key parameters");
        }
        if (fields[0].isEmpty() || fields[0].length() > MAX_TAG_DIGITS || !fields[0].chars().allMatch(c -> c >= '0'
                && c <= '9')) {
            return new Refused("bad a=crypto tag '" + fields[0] + "'");
        }
        int tag = Integer.parseInt(fields[0]);
        CryptoSuite suite = CryptoSuite.byName(fields[1]).orElse(null);
        if (suite == null) {
            return new Refused("unsupported crypto suite " + fields[1]);
        }
        for (int i = 3; i < fields.length; i++) {
            String parameter = fields[i].toUpperCase(Locale.ROOT);
            if (!parameter.startsWith("WSH=") && !parameter.equals("KDR=0")) {
                return new Refused("unsupported session parameter " + fields[i]);
            }
        }
        if (fields[2].indexOf(';') >= 0) {
            return new Refused("several keys (MKI) are not supported");
        }
        if (!fields[2].startsWith(INLINE)) {
            return new Refused("key method is not inline");
        }
        String[] parts = fields[2].substring(INLINE.length()).split("\\|", -1);
        byte[] keySalt;
        try {
            keySalt = Base64.getDecoder().decode(parts[0]);
        } catch (IllegalArgumentException e) {
            return new Refused("inline key is not base64");
        }
        if (keySalt.length != CryptoSuite.KEY_SALT_BYTES) {
            Arrays.fill(keySalt, (byte) 0);
            return new Refused("inline key is " + keySalt.length + " bytes, not " + CryptoSuite.KEY_SALT_BYTES);
        }
        for (int i = 1; i < parts.length; i++) {
            String refusal = parts[i].indexOf(':') >= 0 ? "MKI is not supported" : lifetimeRefusal(parts[i]);
            if (refusal != null) {
                return new Refused(refusal);
            }
        }
        return new Usable(new CryptoAttribute(tag, suite, keySalt));
    }

    /** Null when the lifetime ({@code 2^n} or a number, RFC 4568 §6.1) is long enough, else why not. */
    private static String lifetimeRefusal(String lifetime) {
        try {
            if (lifetime.startsWith("2^")) {
                return Integer.parseInt(lifetime.substring(2)) >= MIN_LIFETIME_LOG2 ? null
                        : "key lifetime " + lifetime + " is shorter than 2^" + MIN_LIFETIME_LOG2;
            }
            return Long.parseLong(lifetime) >= 1L << MIN_LIFETIME_LOG2 ? null
                    : "key lifetime " + lifetime + " is shorter than 2^" + MIN_LIFETIME_LOG2;
        } catch (NumberFormatException e) {
            return "bad key lifetime '" + lifetime + "'";
        }
    }

    /** The attribute value we write: {@code <tag> <suite> inline:<base64 key and salt>}, no lifetime, no MKI. */
    String format() {
        return tag + " " + suite.name() + " " + INLINE + Base64.getEncoder().encodeToString(keySalt);
    }

    @Override
    public byte[] keySalt() {
        return keySalt.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CryptoAttribute other && tag == other.tag && suite == other.suite
                && Arrays.equals(keySalt, other.keySalt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tag, suite, Arrays.hashCode(keySalt));
    }

    @Override
    public String toString() {
        return "CryptoAttribute[" + tag + " " + suite + "]";
    }
}
