package gateway.qa;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Who may use the API and /metrics. With tokens ({@code http.api-token} and {@code http.tokens}), every such request
 * must carry {@code Authorization: Bearer <token>} (RFC 6750 §2.1), from anywhere, and the token's name and role
 * ({@link ApiRole}) come with the request; without any, only clients on this machine (loopback) are served, as
 * admins. {@code /health} is open to whoever reaches the listener: it tells only whether the gateway is ready.
 *
 * <p>Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}, each presented token against every
 * configured one, so the time taken depends on neither their content, their length nor which one matched.
 * {@link #toString()} and {@link #describe()} never show a token.
 */
public final class AccessPolicy {

    private static final String BEARER = "Bearer ";
    /** The name {@code http.api-token} goes by in audits. */
    public static final String API_TOKEN_NAME = "api-token";

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

    /** A decision and, when it lets the request in, who made it. */
    record Verdict(Decision decision, Principal principal) {
    }

    /** One configured token: its name, the SHA-256 digest of the token, its role. */
    public record Grant(String name, byte[] digest, ApiRole role) {

        public Grant {
            digest = digest.clone();
        }

        /** A grant of {@code token} itself (hashed at once). */
        public static Grant of(String name, String token, ApiRole role) {
            return new Grant(name, sha256(token), role);
        }

        @Override
        public byte[] digest() {
            return digest.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Grant g && g.name.equals(name) && g.role == role && MessageDigest.isEqual(g.digest,
                    digest);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + role.hashCode();
        }

        @Override
        public String toString() {
            return "Grant[name=" + name + ", role=" + role.jsonName() + "]";
        }
    }

    private final List<Grant> grants;

    private AccessPolicy(List<Grant> grants) {
        this.grants = List.copyOf(grants);
    }

    /** A policy of the one admin {@code token} ("api-token"); an empty token means loopback clients only. */
    public static AccessPolicy of(String token) {
        return new AccessPolicy(token == null || token.isEmpty() ? List.of()
                : List.of(Grant.of(API_TOKEN_NAME, token, ApiRole.ADMIN)));
    }

    /** A policy of named tokens; none means loopback clients only. */
    public static AccessPolicy of(List<Grant> grants) {
        return new AccessPolicy(grants);
    }

    public boolean tokenRequired() {
        return !grants.isEmpty();
    }

    /** One line for the start-up log: the tokens' names and roles, never the tokens. */
    public String describe() {
        if (!tokenRequired()) {
            return "no http.api-token or http.tokens: /api and /metrics serve loopback clients only";
        }
        return "/api and /metrics require Authorization: Bearer (tokens: " + grants.stream()
                .map(g -> g.name() + " " + g.role().jsonName()).collect(Collectors.joining(", ")) + ")";
    }

    Verdict decide(InetAddress client, String authorization) {
        if (grants.isEmpty()) {
            return client != null && client.isLoopbackAddress()
                    ? new Verdict(Decision.LOOPBACK, Principal.token(Principal.LOOPBACK, ApiRole.ADMIN))
                    : new Verdict(Decision.NOT_LOOPBACK, null);
        }
        String presented = bearer(authorization);
        if (presented == null) {
            return new Verdict(Decision.MISSING_TOKEN, null);
        }
        byte[] digest = sha256(presented);
        Grant match = null;
        for (Grant grant : grants) {
            if (MessageDigest.isEqual(digest, grant.digest) && match == null) {
                match = grant;
            }
        }
        return match == null ? new Verdict(Decision.WRONG_TOKEN, null)
                : new Verdict(Decision.TOKEN, Principal.token(match.name(), match.role()));
    }

    /** The token of a Bearer {@code authorization} header (the scheme in any case), or null. */
    static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return authorization.substring(BEARER.length()).strip();
    }

    @Override
    public String toString() {
        return "AccessPolicy[token=" + (tokenRequired() ? "set" : "none") + "]";
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
