package gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sip.auth.*, sip.rate-limit.*, scanner and sip.registrations keys: defaults, values, and errors by key. */
class SipAccessConfigTest {

    @TempDir
    Path dir;

    @Test
    void theDefaultsChangeNothingForCallersAndLimitFloods() throws Exception {
        GatewayConfig.SipAccess access = load().sipAccess();
        assertNull(access.auth(), "no users file, no passwords: today's behaviour");
        assertEquals(50, access.invitesPerSecond());
        assertEquals(100, access.inviteBurst());
        assertEquals(10, access.authFailuresPerMinute());
        assertEquals(10, access.authFailureBurst());
        assertTrue(access.scannerUserAgents().containsAll(List.of("friendly-scanner", "sipvicious", "sipcli")));
        assertEquals(List.of(), access.registrations());
    }

    @Test
    void aUsersFileTurnsDigestOnWithTheRealmOfThePublicHostByDefault() throws Exception {
        Path users = Files.writeString(dir.resolve("users"), "alice:secret\n");
        GatewayConfig.Auth auth = load("--sip.auth.users=" + users, "--sip.public-host=198.51.100.7").sipAccess()
                .auth();
        assertEquals("198.51.100.7", auth.realm());
        assertEquals(users, auth.usersFile());
        assertNull(auth.trustedSources());
        assertEquals(List.of("SHA-256", "MD5"), auth.algorithms());
        assertEquals(300, auth.nonceLifetimeSeconds());
        GatewayConfig.Auth tuned = load("--sip.auth.users=" + users, "--sip.auth.realm=pbx.example",
                "--sip.auth.trusted-sources=203.0.113.0/28", "--sip.auth.algorithms=md5",
                "--sip.auth.nonce-lifetime-seconds=5").sipAccess().auth();
        assertEquals("pbx.example", tuned.realm());
        assertTrue(tuned.trustedSources().allows(InetAddress.getByName("203.0.113.9")));
        assertFalse(tuned.trustedSources().allows(InetAddress.getByName("203.0.113.99")));
        assertEquals(List.of("MD5"), tuned.algorithms());
        assertEquals(5, tuned.nonceLifetimeSeconds());
    }

    @Test
    void authErrorsNameTheirKey() throws Exception {
        Path users = Files.writeString(dir.resolve("users"), "alice:secret\n");
        assertRefused("sip.auth.users", "cannot read the file /no/such/users", "--sip.auth.users=/no/such/users");
        assertRefused("sip.auth.trusted-sources", "only applies with sip.auth.users (no users, no passwords)",
                "--sip.auth.trusted-sources=10.0.0.0/8");
        assertRefused("sip.auth.realm", "only applies with sip.auth.users (no users, no passwords)",
                "--sip.auth.realm=x");
        assertRefused("sip.auth.algorithms", "'SHA-512' is not one of SHA-256, MD5", "--sip.auth.users=" + users,
                "--sip.auth.algorithms=SHA-256,SHA-512");
        assertRefused("sip.auth.algorithms", "MD5 is listed twice", "--sip.auth.users=" + users,
                "--sip.auth.algorithms=MD5,md5");
        assertRefused("sip.auth.realm", "may not hold \" or \\ or control characters", "--sip.auth.users=" + users,
                "--sip.auth.realm=a\"b");
        assertRefused("sip.auth.nonce-lifetime-seconds", "must be between 1 and 86400, got 0",
                "--sip.auth.users=" + users, "--sip.auth.nonce-lifetime-seconds=0");
        assertRefused("sip.rate-limit.invites-per-second", "must be between 1 and 100000, got 0",
                "--sip.rate-limit.invites-per-second=0");
        assertRefused("sip.scanner-user-agents", "words are printable ASCII without spaces: 'ü'",
                "--sip.scanner-user-agents=sipvicious,ü");
        assertEquals(List.of(), load("--sip.scanner-user-agents=").sipAccess().scannerUserAgents(), "none");
    }

    @Test
    void registrationsComeFromTheYamlFileAsAList() throws Exception {
        Path file = Files.writeString(dir.resolve("gateway.yaml"), """
                sip:
                  registrations:
                    - registrar: sip.provider.example
                      user: "+15550100"
                      password: s3cret
                    - registrar: "[2001:db8::5]:5080"
                      user: trunk-7
                      auth-user: acct-7
                      password: other
                      expires: 600
                      transport: TCP
                """);
        List<GatewayConfig.Registration> registrations = load("--config", file.toString()).sipAccess()
                .registrations();
        assertEquals(new GatewayConfig.Registration("sip.provider.example", 5060, "+15550100", "+15550100", "s3cret",
                3600, "udp"), registrations.get(0));
        assertEquals(new GatewayConfig.Registration("2001:db8::5", 5080, "trunk-7", "acct-7", "other", 600, "tcp"),
                registrations.get(1));
        assertFalse(registrations.toString().contains("s3cret"), registrations.toString());
    }

    @Test
    void aRegistrationInAFlagIsJson() throws Exception {
        List<GatewayConfig.Registration> registrations = load(
                "--sip.registrations=[{\"registrar\":\"127.0.0.1:5070\",\"user\":\"gw\",\"password\":\"pw\","
                        + "\"expires\":\"120\"}]").sipAccess().registrations();
        assertEquals(new GatewayConfig.Registration("127.0.0.1", 5070, "gw", "gw", "pw", 120, "udp"),
                registrations.get(0));
    }

    @Test
    void registrationErrorsNameTheFieldAndNeverThePassword() {
        assertRefused("sip.registrations[0].password", "is required",
                "--sip.registrations=[{\"registrar\":\"h\",\"user\":\"u\"}]");
        assertRefused("sip.registrations[0].registrar", "must be host or host:port (an IP address or a name)",
                "--sip.registrations=[{\"registrar\":\"sip:h\",\"user\":\"u\",\"password\":\"topsecret\"}]");
        assertRefused("sip.registrations[1].expires", "must be between 60 and 86400 seconds, got 5",
                "--sip.registrations=[{\"registrar\":\"h\",\"user\":\"u\",\"password\":\"p\"},"
                        + "{\"registrar\":\"h2\",\"user\":\"u\",\"password\":\"p\",\"expires\":5}]");
        assertRefused("sip.registrations[0].transport", "must be udp or tcp, got 'tls'",
                "--sip.registrations=[{\"registrar\":\"h\",\"user\":\"u\",\"password\":\"p\",\"transport\":\"tls\"}]");
        assertRefused("sip.registrations[0].secret", "unknown field (known: auth-user, expires, password, registrar,"
                + " transport, user)", "--sip.registrations=[{\"registrar\":\"h\",\"user\":\"u\",\"secret\":\"p\"}]");
        assertRefused("sip.registrations[1]", "u is registered at h:5060 twice",
                "--sip.registrations=[{\"registrar\":\"h\",\"user\":\"u\",\"password\":\"p\"},"
                        + "{\"registrar\":\"h:5060\",\"user\":\"u\",\"password\":\"q\"}]");
        assertRefused("sip.registrations", "must be a list of registrations", "--sip.registrations={\"a\":1}");
        ConfigException e = assertThrows(ConfigException.class, () -> load(
                "--sip.registrations=[{\"registrar\":\"h:99999\",\"user\":\"u\",\"password\":\"topsecret\"}]"));
        assertEquals("sip.registrations[0].registrar", e.key());
        assertFalse(e.getMessage().contains("topsecret"));
    }

    private static void assertRefused(String key, String message, String... args) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(args));
        assertEquals(key, e.key(), e.getMessage());
        assertEquals(key + ": " + message, e.getMessage());
    }

    private static GatewayConfig load(String... args) throws ConfigException {
        return ConfigLoader.load(new ArrayList<>(List.of(args)), Map.of());
    }
}
