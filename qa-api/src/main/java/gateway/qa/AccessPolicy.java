package gateway.qa;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Who may use the API and /metrics. With a token, every such request must carry {@code Authorization: Bearer
 * <token>} (RFC 6750 §2.1), from anywhere; without one, only clients on this machine (loopback) are served.
 * {@code /health} is open to whoever reaches the listener: it tells only whether the gateway is ready.
 *
 * <p>The token is compared as SHA-256 digests with {@link MessageDigest#isEqual}, so the time taken depends on
 * neither its content nor its length. {@link #toString()} and {@link #describe()} never show it.
 */
public final class AccessPolicy {

    private static final String BEARER = "Bearer ";

    /** The outcome of {@link #decide}. */
    enum Decision {
        /** A valid bearer token was presented. */
        TOKEN(true),
        /** No token is configured and the client is on this machine. */
        LOOPBACK(true),
        /** A token is configured and none was presented: 401. */
        MISSING_TOKEN(false),
        /** A token is configured and another one was presented: 401 with error="invalid_token". */
        WRONG_TOKEN(false),
        /** No token is configured and the client is elsewhere: 403. */
        NOT_LOOPBACK(false);

        private final boolean allowed;

        Decision(boolean allowed) {
            this.allowed = allowed;
        }

        boolean allowed() {
            return allowed;
        }
    }

    private final byte[] tokenDigest;

    private AccessPolicy(byte[] tokenDigest) {
        this.tokenDigest = tokenDigest;
    }

    /** A policy for {@code token}; an empty token means loopback clients only. */
    public static AccessPolicy of(String token) {
        return new AccessPolicy(token == null || token.isEmpty() ? null : sha256(token));
    }

    public boolean tokenRequired() {
        return tokenDigest != null;
    }

    /** One line for the start-up log. */
    public String describe() {
        return tokenRequired()
                ? "/api and /metrics require Authorization: Bearer (http.api-token is set)"
                : "no http.api-token: /api and /metrics serve loopback clients only";
    }

    Decision decide(InetAddress client, String authorization) {
        if (tokenDigest == null) {
            return client != null && client.isLoopbackAddress() ? Decision.LOOPBACK : Decision.NOT_LOOPBACK;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Decision.MISSING_TOKEN;
        }
        byte[] presented = sha256(authorization.substring(BEARER.length()).strip());
        return MessageDigest.isEqual(presented, tokenDigest) ? Decision.TOKEN : Decision.WRONG_TOKEN;
    }

    @Override
    public String toString() {
        return "AccessPolicy[token=" + (tokenRequired() ? "set" : "none") + "]";
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
