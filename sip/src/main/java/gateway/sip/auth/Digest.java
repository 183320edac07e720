package gateway.sip.auth;

/**
 * The digest computations of RFC 7616 §3.4.1-§3.4.3 as SIP uses them (RFC 3261 §22.4, RFC 8760), with
 * {@code qop=auth}: no body in A2. Pure functions; both sides of the gateway (checking callers, answering
 * registrars) use these.
 */
public final class Digest {

    /** The one quality of protection we use: authentication of the request line, not of the body. */
    public static final String QOP_AUTH = "auth";

    private Digest() {
    }

    /** HA1 = H(username ":" realm ":" password) (RFC 7616 §3.4.2, not a -sess algorithm). */
    public static String ha1(DigestAlgorithm algorithm, String username, String realm, String password) {
        return algorithm.hex(username + ':' + realm + ':' + password);
    }

    /**
     * The request-digest KD(HA1, nonce ":" nc ":" cnonce ":" qop ":" H(method ":" uri)) (RFC 7616 §3.4.1,
     * §3.4.3), all values exactly as they appear in the header.
     */
    public static String response(DigestAlgorithm algorithm, String ha1, String nonce, String nc, String cnonce,
                                  String method, String uri) {
        String ha2 = algorithm.hex(method + ':' + uri);
        return algorithm.hex(ha1 + ':' + nonce + ':' + nc + ':' + cnonce + ':' + QOP_AUTH + ':' + ha2);
    }

    /** The request-digest of a challenge without qop, KD(HA1, nonce ":" H(method ":" uri)) (RFC 2617 §3.2.2.1). */
    public static String responseWithoutQop(DigestAlgorithm algorithm, String ha1, String nonce, String method,
                                            String uri) {
        return algorithm.hex(ha1 + ':' + nonce + ':' + algorithm.hex(method + ':' + uri));
    }
}
