package gateway.sip.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * The digest algorithms the gateway takes (RFC 8760 §2): SHA-256, and MD5 for the clients that know nothing else.
 * Each names its token as written in {@code algorithm=} and hashes text to lower-case hex (RFC 7616 §3.4).
 */
public enum DigestAlgorithm {
    SHA_256("SHA-256", "SHA-256"),
    MD5("MD5", "MD5");

    private static final HexFormat HEX = HexFormat.of();

    private final String token;
    private final String jcaName;

    DigestAlgorithm(String token, String jcaName) {
        this.token = token;
        this.jcaName = jcaName;
    }

    /** The name in the {@code algorithm} parameter and in the users file. */
    public String token() {
        return token;
    }

    /** Hex characters of one hash: 32 for MD5, 64 for SHA-256. */
    public int hexLength() {
        return this == MD5 ? 32 : 64;
    }

    /** The algorithm whose token is {@code token} (case-insensitive, RFC 7616 §3.3), if we take it. */
    public static Optional<DigestAlgorithm> byToken(String token) {
        if (token == null) {
            return Optional.empty();
        }
        String upper = token.trim().toUpperCase(Locale.ROOT);
        for (DigestAlgorithm algorithm : values()) {
            if (algorithm.token.equals(upper)) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }

    /** H(text): the hash of the text's UTF-8 bytes as lower-case hex. */
    public String hex(String text) {
        try {
            return HEX.formatHex(MessageDigest.getInstance(jcaName).digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has " + jcaName, e);
        }
    }
}
