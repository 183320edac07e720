package gateway.sip.auth;

import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A challenge we received (a {@code WWW-Authenticate} or {@code Proxy-Authenticate: Digest} header of a 401 or 407,
 * RFC 3261 §22.3, RFC 7616 §3.3), and our answer to it as a registering client.
 */
public record DigestChallenge(String realm, String nonce, String algorithm, String qop, String opaque,
                              boolean stale) {

    /** Reads the parameters through {@code parameter}, which gives a parameter's unquoted value or null. */
    public static DigestChallenge of(UnaryOperator<String> parameter) {
        return new DigestChallenge(parameter.apply("realm"), parameter.apply("nonce"), parameter.apply("algorithm"),
                parameter.apply("qop"), parameter.apply("opaque"), "true".equalsIgnoreCase(parameter.apply("stale")));
    }

    /** The algorithm, if we can answer it (absent means MD5, RFC 7616 §3.3). */
    public Optional<DigestAlgorithm> digestAlgorithm() {
        return algorithm == null ? Optional.of(DigestAlgorithm.MD5) : DigestAlgorithm.byToken(algorithm);
    }

    /** True when we can answer: a realm, a nonce, an algorithm we know, and qop absent or offering auth. */
    public boolean answerable() {
        return realm != null && nonce != null && digestAlgorithm().isPresent() && (qop == null || offersAuth());
    }

    private boolean offersAuth() {
        for (String option : qop.split(",")) {
            if (option.strip().toLowerCase(Locale.ROOT).equals(Digest.QOP_AUTH)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The value of our Authorization (or Proxy-Authorization) header for a request with {@code method} and
     * {@code uri}: qop=auth with {@code cnonce} and the count {@code nc} when the challenge offers qop, the RFC 2617
     * form without it otherwise. The password is used here only, never kept.
     */
    public String answer(String username, String password, String method, String uri, String cnonce, long nc) {
        DigestAlgorithm digest = digestAlgorithm().orElseThrow(
                () -> new IllegalStateException("cannot answer algorithm " + algorithm));
        String ha1 = Digest.ha1(digest, username, realm, password);
        StringBuilder value = new StringBuilder(256).append("Digest username=\"").append(username)
                .append("\", realm=\"").append(realm).append("\", nonce=\"").append(nonce)
                .append("\", uri=\"").append(uri).append("\", algorithm=").append(digest.token());
        if (qop != null) {
            String count = String.format(Locale.ROOT, "%08x", nc);
            value.append(", response=\"").append(Digest.response(digest, ha1, nonce, count, cnonce, method, uri))
                    .append("\", qop=").append(Digest.QOP_AUTH).append(", nc=").append(count)
                    .append(", cnonce=\"").append(cnonce).append('"');
        } else {
            value.append(", response=\"").append(Digest.responseWithoutQop(digest, ha1, nonce, method, uri))
                    .append('"');
        }
        if (opaque != null) {
            value.append(", opaque=\"").append(opaque).append('"');
        }
        return value.toString();
    }
}
