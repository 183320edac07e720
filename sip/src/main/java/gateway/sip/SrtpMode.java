package gateway.sip;

import java.util.Locale;

/**
 * Whether calls use SRTP (RFC 3711, keyed by SDES, RFC 4568): {@code OFF} plain RTP only; {@code OFFER} SRTP when the
 * caller offers it, and offered (best effort, RFC 8643) in our own offers; {@code REQUIRE} SRTP or 488.
 */
public enum SrtpMode {
    OFF, OFFER, REQUIRE;

    /** The mode of a config value ({@code off}, {@code offer}, {@code require}, any case). */
    public static SrtpMode parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be off, offer or require, not '" + value + "'");
        }
    }
}
