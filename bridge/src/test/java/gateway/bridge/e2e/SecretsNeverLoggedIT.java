package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.demoagent.DemoAgent;
import gateway.demoagent.DemoScript;
import gateway.testkit.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A gateway (a separate JVM, its whole log in a file) with every kind of secret set — the Realtime API key, the HTTP
 * token, a digest password, a registration password, the webhook signing secret, object-storage keys — goes through
 * what makes a gateway talk about them: a call with the right password and one with a wrong one, API requests with
 * the right token and a wrong one, a registrar and an object store that do not answer, a stop. Not one of the
 * secrets, nor the password's digest HA1, appears anywhere in the log, written as text or as JSON.
 */
@Tag("e2e")
class SecretsNeverLoggedIT {

    private static final int RTP_MIN = 35_600;
    private static final String REALM = "secrets.test";
    private static final String USER = "sipp";
    private static final Map<String, String> SECRETS = Map.of(
            "realtime.api-key", "sk-test-NeverLogMe-0a1b2c3d",
            "http.api-token", "tok-NeverLogMe-4e5f6a7b8c9d",
            "sip.auth.users password", "pw-NeverLogMe-digest",
            "sip.registrations password", "pw-NeverLogMe-register",
            "agent.tools-secret", "hmac-NeverLogMe-tools",
            "storage.s3.access-key", "AKIANEVERLOGME12345",
            "storage.s3.secret-key", "s3-NeverLogMe-secret-key",
            "events.secret", "hmac-NeverLogMe-events",
            "http.tokens viewer", "tok-NeverLogMe-viewer-0f1e2d",
            "http.share-key", "hmac-NeverLogMe-share-links");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static String md5Hex(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "log.format {0}")
    @ValueSource(strings = {"text", "json"})
    void noSecretReachesTheLog(String format) throws Exception {
        String password = SECRETS.get("sip.auth.users password");
        Path users = Files.writeString(dir.resolve("users"), USER + ":" + password + "\n");
        Path recordings = Files.createDirectories(dir.resolve("recordings"));
        Path log = dir.resolve("gateway.log");
        int deadPort = Sipp.freeUdpPort();
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults().withRequiredApiKey(
                SECRETS.get("realtime.api-key")))) {
            try (GatewayProcess gw = GatewayProcess.start(recordings, RTP_MIN, log, List.of(
                    "--log.format=" + format, "--realtime.url=" + agent.url(),
                    "--realtime.api-key=" + SECRETS.get("realtime.api-key"),
                    "--http.api-token=" + SECRETS.get("http.api-token"),
                    "--http.tokens=[{\"name\":\"qa1\",\"role\":\"viewer\",\"token\":\""
                            + SECRETS.get("http.tokens viewer") + "\"}]",
                    "--http.share-key=" + SECRETS.get("http.share-key"),
                    "--sip.auth.users=" + users, "--sip.auth.realm=" + REALM, "--sip.auth.algorithms=MD5",
                    "--sip.registrations=[{\"registrar\":\"127.0.0.1:" + deadPort + "\",\"user\":\"reg\","
                            + "\"transport\":\"tcp\",\"password\":\"" + SECRETS.get("sip.registrations password")
                            + "\",\"expires\":60}]",
                    "--agent.tools-secret=" + SECRETS.get("agent.tools-secret"),
                    "--events.webhook-url=http://127.0.0.1:" + deadPort + "/events",
                    "--events.secret=" + SECRETS.get("events.secret"),
                    "--storage.s3.bucket=recordings", "--storage.s3.endpoint=http://127.0.0.1:" + deadPort,
                    "--storage.s3.path-style=true", "--storage.retry-min-ms=100",
                    "--storage.s3.access-key=" + SECRETS.get("storage.s3.access-key"),
                    "--storage.s3.secret-key=" + SECRETS.get("storage.s3.secret-key")))) {
                Sipp.Result wrong = Sipp.scenario("uac_auth_refused.xml").args("-au", USER, "-ap", "wrong-horse")
                        .run(gw.sipPort(), "secrets-wrong");
                assertEquals(Sipp.SUCCESS, wrong.exitCode(), wrong.describe());
                Sipp.Result right = Sipp.scenario("uac_auth.xml").pauseMs(1_000).args("-au", USER, "-ap", password)
                        .run(gw.sipPort(), "secrets-right");
                assertEquals(Sipp.SUCCESS, right.exitCode(), right.describe());
                assertEquals(1, Recordings.awaitFinished(recordings, 1, TIMEOUT).size());

                HttpClient http = HttpClient.newHttpClient();
                for (String token : List.of(SECRETS.get("http.api-token"), SECRETS.get("http.tokens viewer"),
                        "tok-wrong-0123456789")) {
                    HttpResponse<String> listed = http.send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + gw.httpPort() + "/api/calls"))
                            .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
                    assertFalse(listed.body().contains(SECRETS.get("http.api-token")), listed.body());
                }
                Await.until(() -> gw.log().contains("Registration of reg at") && gw.log().contains("upload of call"),
                        TIMEOUT, () -> "the failed registration and upload in the log:\n" + gw.log());
                gw.terminate();
                assertEquals(0, gw.awaitExit(TIMEOUT), gw.log());
            }
        }
        String whole = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(whole.contains("Ready in") && whole.contains("Stopped"), "the whole run was logged:\n" + whole);
        for (Map.Entry<String, String> secret : SECRETS.entrySet()) {
            assertFalse(whole.contains(secret.getValue()), secret.getKey() + " is in the log:\n" + whole);
        }
        if (format.equals("json")) {
            for (String line : whole.split("\n")) {
                assertTrue(line.isBlank() || line.startsWith(CallLogLinesIT.JVM_WARNING)
                        || new ObjectMapper().readTree(line).has("message"), "not JSON: " + line);
            }
        }
        String ha1 = md5Hex(USER + ":" + REALM + ":" + SECRETS.get("sip.auth.users password"));
        assertFalse(whole.toLowerCase(Locale.ROOT).contains(ha1), "the digest HA1 is in the log");
    }
}
