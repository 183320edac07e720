package gateway.sip.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import gateway.time.ManualScheduler;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Our nonces: fresh for their lifetime, stale after, and nobody else's pass for ours. */
class NoncesTest {

    private static final long LIFETIME = 30_000_000_000L;
    private final ManualScheduler clock = new ManualScheduler();
    private final Nonces nonces = new Nonces(clock, secret(1), LIFETIME);

    @Test
    void aNonceIsFreshForItsLifetimeThenStale() {
        String nonce = nonces.issue();
        assertEquals(new Nonces.Check(Nonces.Status.FRESH, clock.nanoTime()), nonces.check(nonce));
        clock.advanceNanos(LIFETIME);
        assertEquals(Nonces.Status.FRESH, nonces.check(nonce).status());
        clock.advanceNanos(1);
        assertEquals(Nonces.Status.STALE, nonces.check(nonce).status());
    }

    @Test
    void eachNonceIsNewEvenInTheSameNanosecond() {
        String first = nonces.issue();
        String second = nonces.issue();
        assertNotEquals(first, second);
        assertEquals(Nonces.Status.FRESH, nonces.check(second).status());
        assertEquals(43, first.length(), "32 bytes in unpadded base64url");
        assertEquals(-1, first.indexOf('"'));
    }

    @Test
    void alteredForgedAndOtherSecretsNoncesAreForeign() {
        String nonce = nonces.issue();
        byte[] bytes = Base64.getUrlDecoder().decode(nonce);
        bytes[3] ^= 1;
        assertEquals(Nonces.Status.FOREIGN, nonces.check(Base64.getUrlEncoder().withoutPadding()
                .encodeToString(bytes)).status(), "a changed issue time fails the MAC");
        assertEquals(Nonces.Status.FOREIGN, new Nonces(clock, secret(2), LIFETIME).check(nonce).status());
        assertEquals(Nonces.Status.FOREIGN, nonces.check("not*base64").status());
        assertEquals(Nonces.Status.FOREIGN, nonces.check("dGVzdA").status());
    }

    private static byte[] secret(int seed) {
        byte[] secret = new byte[32];
        java.util.Arrays.fill(secret, (byte) seed);
        return secret;
    }
}
