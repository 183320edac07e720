package gateway.sip.auth;

import gateway.time.Clock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks the digest credentials of a request (RFC 3261 §22.2, §22.4; RFC 7616 §3.4 with qop=auth; RFC 8760 for
 * SHA-256) and writes the challenges (RFC 7616 §3.3). Nonces are our own ({@link Nonces}), so challenging costs no
 * memory; nonce counts in use are kept in a bounded window ({@link NonceCounts}). The digest-uri is taken as the
 * client wrote it (RFC 7616 §3.4.6 asks servers to compare it with the Request-URI; SIP clients such as SIPp use
 * their own form, and a replayed request is refused by its nonce count whatever its uri). Not thread-safe: the SIP
 * loop only.
 */
public final class DigestAuthenticator {

    /** Nonces whose counts are kept; beyond it the oldest is forgotten and its client gets a new nonce. */
    static final int NONCES_KEPT = 8192;
    /** Bytes of the process's nonce secret (256 bits, the size of the HMAC-SHA256 key). */
    static final int SECRET_BYTES = 32;

    /** RFC 7616 §3.4: nc is exactly 8 hex digits. */
    private static final Pattern NONCE_COUNT = Pattern.compile("[0-9a-fA-F]{8}");

    private final DigestSettings settings;
    private final Nonces nonces;
    private final NonceCounts counts = new NonceCounts(NONCES_KEPT);
    private final Clock clock;

    /** An authenticator with a random secret of its own. */
    public DigestAuthenticator(DigestSettings settings, Clock clock) {
        this(settings, clock, randomSecret());
    }

    DigestAuthenticator(DigestSettings settings, Clock clock, byte[] secret) {
        this.settings = settings;
        this.clock = clock;
        this.nonces = new Nonces(clock, secret, settings.nonceLifetime().toNanos());
    }

    private static byte[] randomSecret() {
        byte[] secret = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        return secret;
    }

    public String realm() {
        return settings.realm();
    }

    /**
     * The verdict on a request with {@code method} carrying {@code credentials} (every Authorization header; those
     * of other realms are ignored, RFC 3261 §22.4).
     */
    public AuthOutcome check(String method, List<DigestCredentials> credentials) {
        DigestCredentials ours = null;
        for (DigestCredentials c : credentials) {
            if (settings.realm().equals(c.realm())) {
                ours = c;
                break;
            }
        }
        if (ours == null) {
            return new AuthOutcome.Challenge(AuthOutcome.Reason.MISSING, false);
        }
        Optional<DigestAlgorithm> algorithm = ours.algorithm() == null
                ? Optional.of(DigestAlgorithm.MD5) : DigestAlgorithm.byToken(ours.algorithm());
        if (algorithm.isEmpty() || !settings.algorithms().contains(algorithm.get()) || ours.username() == null
                || ours.nonce() == null || ours.uri() == null || ours.response() == null
                || ours.cnonce() == null || ours.cnonce().isEmpty() || ours.nc() == null
                || !NONCE_COUNT.matcher(ours.nc()).matches()
                || !Digest.QOP_AUTH.equals(ours.qop() == null ? null : ours.qop().toLowerCase(Locale.ROOT))) {
            return new AuthOutcome.Refused(AuthOutcome.Reason.MALFORMED, ours.username());
        }
        Optional<String> ha1 = settings.users().ha1(ours.username(), algorithm.get());
        if (ha1.isEmpty()) {
            return new AuthOutcome.Refused(AuthOutcome.Reason.UNKNOWN_USER, ours.username());
        }
        String expected = Digest.response(algorithm.get(), ha1.get(), ours.nonce(), ours.nc(), ours.cnonce(), method,
                ours.uri());
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                ours.response().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            return new AuthOutcome.Refused(AuthOutcome.Reason.BAD_RESPONSE, ours.username());
        }
        Nonces.Check nonce = nonces.check(ours.nonce());
        if (nonce.status() != Nonces.Status.FRESH) {
            return new AuthOutcome.Challenge(AuthOutcome.Reason.STALE, true);
        }
        long oldestFresh = clock.nanoTime() - nonces.lifetimeNanos();
        if (!counts.accept(ours.nonce(), nonce.issuedNanos(), Long.parseLong(ours.nc(), 16), oldestFresh)) {
            return new AuthOutcome.Challenge(AuthOutcome.Reason.REPLAYED, true);
        }
        return new AuthOutcome.Accepted(ours.username());
    }

    /**
     * The values of the WWW-Authenticate headers of a 401 (RFC 7616 §3.3, RFC 8760 §2.4): one per algorithm in the
     * order of preference, all with one new nonce; {@code stale} marks a nonce the client may simply replace.
     */
    public List<String> challenges(boolean stale) {
        String nonce = nonces.issue();
        List<String> values = new ArrayList<>(settings.algorithms().size());
        for (DigestAlgorithm algorithm : settings.algorithms()) {
            values.add("Digest realm=\"" + settings.realm() + "\", nonce=\"" + nonce + "\", algorithm="
                    + algorithm.token() + ", qop=\"" + Digest.QOP_AUTH + "\"" + (stale ? ", stale=true" : ""));
        }
        return values;
    }
}
