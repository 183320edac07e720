package gateway.sip.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import gateway.time.ManualScheduler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The server side of digest: challenges, and the verdict on right, wrong, stale, replayed and odd credentials. */
class DigestAuthenticatorTest {

    private static final String REALM = "gw.example";
    private static final String URI = "sip:agent@198.51.100.7";
    private final ManualScheduler clock = new ManualScheduler();
    private final DigestAuthenticator authenticator = new DigestAuthenticator(new DigestSettings(REALM,
            DigestUsers.parse(List.of("alice:wonderland", "bob:MD5:" + md5Ha1("bob", "builder")), REALM),
            List.of(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5), Duration.ofSeconds(30)), clock, new byte[32]);

    @Test
    void challengesOfferEachAlgorithmInOrderWithOneNonce() {
        List<String> challenges = authenticator.challenges(false);
        assertEquals(2, challenges.size());
        Map<String, String> first = DigestTest.params(challenges.get(0));
        Map<String, String> second = DigestTest.params(challenges.get(1));
        assertEquals("SHA-256", first.get("algorithm"));
        assertEquals("MD5", second.get("algorithm"));
        assertEquals(REALM, first.get("realm"));
        assertEquals("auth", first.get("qop"));
        assertEquals(first.get("nonce"), second.get("nonce"));
        assertEquals(null, first.get("stale"));
        assertEquals("true", DigestTest.params(authenticator.challenges(true).get(1)).get("stale"));
        assertEquals(true, challenges.get(0).contains("qop=\"auth\""), "qop-options is a quoted string");
    }

    @Test
    void rightCredentialsOfEitherAlgorithmAreAccepted() {
        assertEquals(new AuthOutcome.Accepted("alice"), check(answer(0, "alice", "wonderland", 1)));
        assertEquals(new AuthOutcome.Accepted("alice"), check(answer(1, "alice", "wonderland", 1)));
        assertEquals(new AuthOutcome.Accepted("bob"), check(answer(1, "bob", "builder", 1)));
    }

    @Test
    void wrongPasswordsUnknownUsersAndOddCredentialsAreRefused() {
        assertEquals(new AuthOutcome.Refused(AuthOutcome.Reason.BAD_RESPONSE, "alice"),
                check(answer(0, "alice", "Wonderland", 1)));
        assertEquals(new AuthOutcome.Refused(AuthOutcome.Reason.UNKNOWN_USER, "mallory"),
                check(answer(0, "mallory", "x", 1)));
        assertEquals(new AuthOutcome.Refused(AuthOutcome.Reason.UNKNOWN_USER, "bob"),
                check(answer(0, "bob", "builder", 1)), "bob has an MD5 HA1 only");
        DigestCredentials right = answer(1, "alice", "wonderland", 1);
        assertEquals(AuthOutcome.Reason.MALFORMED, refusal(new DigestCredentials(right.username(), REALM,
                right.nonce(), right.uri(), right.response(), "MD5", null, right.cnonce(), right.nc())));
        assertEquals(AuthOutcome.Reason.MALFORMED, refusal(new DigestCredentials(right.username(), REALM,
                right.nonce(), right.uri(), right.response(), "MD5", "auth", right.cnonce(), "1")));
        assertEquals(AuthOutcome.Reason.MALFORMED, refusal(new DigestCredentials(right.username(), REALM,
                right.nonce(), right.uri(), right.response(), "SHA-512-256", "auth", right.cnonce(), right.nc())));
    }

    @Test
    void credentialsForAnotherRealmOrNoneAreChallenged() {
        DigestCredentials right = answer(0, "alice", "wonderland", 1);
        DigestCredentials elsewhere = new DigestCredentials("alice", "other", right.nonce(), right.uri(),
                right.response(), right.algorithm(), right.qop(), right.cnonce(), right.nc());
        assertEquals(new AuthOutcome.Challenge(AuthOutcome.Reason.MISSING, false), check(elsewhere));
        assertEquals(new AuthOutcome.Challenge(AuthOutcome.Reason.MISSING, false),
                authenticator.check("INVITE", List.of()));
        assertEquals(new AuthOutcome.Accepted("alice"), authenticator.check("INVITE", List.of(elsewhere, right)),
                "ours is found among several");
    }

    @Test
    void aStaleNonceWithRightCredentialsIsChallengedAsStale() {
        DigestCredentials right = answer(0, "alice", "wonderland", 1);
        clock.advanceMillis(30_001);
        assertEquals(new AuthOutcome.Challenge(AuthOutcome.Reason.STALE, true), check(right));
        assertEquals(new AuthOutcome.Refused(AuthOutcome.Reason.BAD_RESPONSE, "alice"),
                check(answer(0, "alice", "wrong", 1)), "a stale nonce with a wrong password is still wrong");
    }

    @Test
    void aNonceNotOursWithRightCredentialsIsChallengedAsStale() {
        DigestCredentials forged = DigestCredentials.of(DigestTest.params(
                DigestChallenge.of(Map.of("realm", REALM, "nonce", "bm90LW91cnM", "algorithm", "MD5",
                        "qop", "auth")::get).answer("alice", "wonderland", "INVITE", URI, "c0ffee", 1))::get);
        assertEquals(new AuthOutcome.Challenge(AuthOutcome.Reason.STALE, true), check(forged));
    }

    @Test
    void aReplayedNonceCountIsChallengedAgainNotAccepted() {
        DigestCredentials first = answer(0, "alice", "wonderland", 1);
        assertEquals(new AuthOutcome.Accepted("alice"), check(first));
        assertEquals(new AuthOutcome.Challenge(AuthOutcome.Reason.REPLAYED, true), check(first));
        DigestCredentials next = answerTo(first.nonce(), "SHA-256", "alice", "wonderland", 2);
        assertEquals(new AuthOutcome.Accepted("alice"), check(next), "the next count of the same nonce is fine");
        assertNotEquals(first.nonce(), DigestTest.params(authenticator.challenges(true).get(0)).get("nonce"));
    }

    private AuthOutcome check(DigestCredentials credentials) {
        return authenticator.check("INVITE", List.of(credentials));
    }

    private AuthOutcome.Reason refusal(DigestCredentials credentials) {
        return ((AuthOutcome.Refused) check(credentials)).reason();
    }

    /** A client's answer to challenge number {@code which} of a new 401. */
    private DigestCredentials answer(int which, String user, String password, long nc) {
        Map<String, String> challenge = DigestTest.params(authenticator.challenges(false).get(which));
        return answerTo(challenge.get("nonce"), challenge.get("algorithm"), user, password, nc);
    }

    private static DigestCredentials answerTo(String nonce, String algorithm, String user, String password, long nc) {
        String header = DigestChallenge.of(Map.of("realm", REALM, "nonce", nonce, "algorithm", algorithm,
                "qop", "auth")::get).answer(user, password, "INVITE", URI, "0a4f113b", nc);
        return DigestCredentials.of(DigestTest.params(header)::get);
    }

    private static String md5Ha1(String user, String password) {
        try {
            return DigestTest.md5(user + ":" + REALM + ":" + password);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
