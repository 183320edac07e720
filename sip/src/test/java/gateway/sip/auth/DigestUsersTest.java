package gateway.sip.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The users file: plain passwords, pre-hashed HA1 per algorithm, and errors that name the line but no secret. */
class DigestUsersTest {

    private static final String REALM = "gw.example";

    @Test
    void aPlainPasswordGivesTheHa1OfEveryAlgorithm() throws Exception {
        DigestUsers users = DigestUsers.parse(List.of("# callers", "", "alice:s3cret:with:colons"), REALM);
        assertEquals(1, users.size());
        assertEquals(Optional.of(DigestTest.md5("alice:gw.example:s3cret:with:colons")),
                users.ha1("alice", DigestAlgorithm.MD5));
        assertEquals(64, users.ha1("alice", DigestAlgorithm.SHA_256).orElseThrow().length());
        assertEquals(Optional.empty(), users.ha1("bob", DigestAlgorithm.MD5));
    }

    @Test
    void preHashedLinesGiveTheirAlgorithmOnly() {
        String md5 = "0123456789ABCDEF0123456789abcdef";
        String sha = "ab".repeat(32);
        DigestUsers users = DigestUsers.parse(List.of("bob:MD5:" + md5, "carol:SHA-256:" + sha, "bob:sha-256:" + sha),
                REALM);
        assertEquals(Optional.of(md5.toLowerCase(java.util.Locale.ROOT)), users.ha1("bob", DigestAlgorithm.MD5));
        assertEquals(Optional.of(sha), users.ha1("bob", DigestAlgorithm.SHA_256));
        assertEquals(Optional.empty(), users.ha1("carol", DigestAlgorithm.MD5));
        assertEquals("DigestUsers[2 users]", users.toString());
    }

    @Test
    void badLinesAreNamedByNumberWithoutTheirSecret() {
        assertEquals("line 2: expected user:password, user:MD5:<HA1 hex> or user:SHA-256:<HA1 hex>",
                refused("alice:pw", "no-password-here"));
        assertEquals("line 1: a MD5 HA1 is 32 hex digits", refused("bob:MD5:0123"));
        assertEquals("line 1: a SHA-256 HA1 is 64 hex digits", refused("bob:SHA-256:" + "zz".repeat(32)));
        assertEquals("line 2: alice is listed twice", refused("alice:one", "alice:two"));
        assertEquals("line 2: a second MD5 entry for bob", refused("bob:MD5:" + "0".repeat(32),
                "bob:MD5:" + "1".repeat(32)));
        String bad = refused("al ice:pw");
        assertTrue(bad.startsWith("line 1: the user name may hold"), bad);
        assertFalse(refused("x:MD5:secret-not-hex").contains("secret"));
    }

    private static String refused(String... lines) {
        return assertThrows(IllegalArgumentException.class, () -> DigestUsers.parse(List.of(lines), REALM))
                .getMessage();
    }
}
