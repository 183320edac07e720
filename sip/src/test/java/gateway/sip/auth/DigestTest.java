package gateway.sip.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The digest arithmetic against the worked example of RFC 7616 §3.9.1, and our answers to registrars. */
class DigestTest {

    /** RFC 7616 §3.9.1: the user, password, realm, nonce, cnonce and request of the example. */
    private static final String USER = "Mufasa";
    private static final String PASSWORD = "Circle of Life";
    private static final String REALM = "http-auth@example.org";
    private static final String NONCE = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    private static final String CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
    private static final String URI = "/dir/index.html";

    @Test
    void theResponsesOfRfc7616Example() {
        assertEquals("8ca523f5e9506fed4657c9700eebdbec", Digest.response(DigestAlgorithm.MD5,
                Digest.ha1(DigestAlgorithm.MD5, USER, REALM, PASSWORD), NONCE, "00000001", CNONCE, "GET", URI));
        assertEquals("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
                Digest.response(DigestAlgorithm.SHA_256, Digest.ha1(DigestAlgorithm.SHA_256, USER, REALM, PASSWORD),
                        NONCE, "00000001", CNONCE, "GET", URI));
    }

    @Test
    void algorithmTokensAreReadWithoutRegardToCase() {
        assertEquals(Optional.of(DigestAlgorithm.SHA_256), DigestAlgorithm.byToken("sha-256"));
        assertEquals(Optional.of(DigestAlgorithm.MD5), DigestAlgorithm.byToken(" MD5"));
        assertEquals(Optional.empty(), DigestAlgorithm.byToken("MD5-sess"));
        assertEquals(Optional.empty(), DigestAlgorithm.byToken(null));
    }

    @Test
    void ourAnswerToAChallengeWithQopIsTheExamplesResponse() {
        DigestChallenge challenge = DigestChallenge.of(Map.of("realm", REALM, "nonce", NONCE, "algorithm", "SHA-256",
                "qop", "auth, auth-int", "opaque", "FQhe")::get);
        assertTrue(challenge.answerable());
        String answer = challenge.answer(USER, PASSWORD, "GET", URI, CNONCE, 1);
        Map<String, String> params = params(answer);
        assertEquals("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", params.get("response"));
        assertEquals("00000001", params.get("nc"));
        assertEquals("auth", params.get("qop"));
        assertEquals(CNONCE, params.get("cnonce"));
        assertEquals("FQhe", params.get("opaque"));
        assertEquals(URI, params.get("uri"));
        assertFalse(answer.contains(PASSWORD), "the password is never sent");
    }

    @Test
    void aChallengeWithoutQopGetsTheRfc2617Response() throws Exception {
        DigestChallenge challenge = DigestChallenge.of(Map.of("realm", "r", "nonce", "n")::get);
        Map<String, String> params = params(challenge.answer("u", "p", "REGISTER", "sip:r", "c", 1));
        String ha1 = md5("u:r:p");
        assertEquals(md5(ha1 + ":n:" + md5("REGISTER:sip:r")), params.get("response"));
        assertEquals("MD5", params.get("algorithm"));
        assertFalse(params.containsKey("nc"));
    }

    @Test
    void challengesWeCannotAnswerAreSaidSo() {
        assertFalse(DigestChallenge.of(Map.of("realm", "r", "nonce", "n", "algorithm", "AKAv1-MD5")::get)
                .answerable());
        assertFalse(DigestChallenge.of(Map.of("realm", "r", "nonce", "n", "qop", "auth-int")::get).answerable());
        assertFalse(DigestChallenge.of(Map.of("realm", "r")::get).answerable());
        assertTrue(DigestChallenge.of(Map.of("realm", "r", "nonce", "n", "stale", "TRUE")::get).stale());
    }

    /** The parameters of a Digest header value, unquoted: a parser of the test's own. */
    static Map<String, String> params(String header) {
        Map<String, String> params = new HashMap<>();
        String rest = header.substring("Digest ".length());
        for (String part : rest.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
            int eq = part.indexOf('=');
            String value = part.substring(eq + 1).strip();
            params.put(part.substring(0, eq).strip(),
                    value.startsWith("\"") ? value.substring(1, value.length() - 1) : value);
        }
        return params;
    }

    static String md5(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
