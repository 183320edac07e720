package gateway.sip.auth;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Digest authentication of callers: the realm we challenge for, the users, the algorithms offered in order of
 * preference (RFC 8760 §2.4: one challenge each, most preferred first) and how long a nonce stays fresh.
 * {@link #toString()} names no secret.
 */
public record DigestSettings(String realm, DigestUsers users, List<DigestAlgorithm> algorithms,
                             Duration nonceLifetime) {

    public DigestSettings {
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(users, "users");
        algorithms = List.copyOf(algorithms);
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("at least one digest algorithm");
        }
        if (realm.isEmpty() || realm.indexOf('"') >= 0 || realm.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("a realm is non-empty text without \" or \\");
        }
        if (nonceLifetime.isNegative() || nonceLifetime.isZero()) {
            throw new IllegalArgumentException("nonce lifetime must be positive: " + nonceLifetime);
        }
    }
}
