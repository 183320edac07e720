package gateway.qa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request targets that try to leave the recordings directory, sent byte for byte over a socket: each gets 400 or 404
 * with a JSON error, and no response carries the content of the files placed beside the recordings directory
 * ({@code ../secret.txt}, {@code ../outside/call.json}) or reachable through a link inside it.
 */
class TraversalTest {

    private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.1 (\\d{3}) ");

    @TempDir
    static Path base;
    private static ApiFixture api;

    @BeforeAll
    static void start() throws Exception {
        api = ApiFixture.start(base, "");
        assertTrue(Files.readString(base.resolve("secret.txt")).contains(ApiFixture.SECRET));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    static List<String> targets() {
        String longId = "a".repeat(129);
        return List.of(
                "/api/calls/..%2f..%2fsecret.txt",
                "/api/calls/..%2F..%2Foutside/call.json",
                "/api/calls/%2e%2e",
                "/api/calls/%2e%2e/call.json",
                "/api/calls/%2E%2E/%2E%2E/secret.txt",
                "/api/calls/%252e%252e/call.json",
                "/api/calls/%252e%252e%252fsecret.txt",
                "/api/calls/..%5c..%5csecret.txt",
                "/api/calls/..%5coutside/call.json",
                "/api/calls/%5c..%5coutside",
                "/api/calls/../outside/call.json",
                "/api/calls/../../secret.txt",
                "/../outside/call.json",
                "/api/calls//outside/call.json",
                "/api/calls/%2Foutside%2Fcall.json",
                "/api/calls/%2f" + base.toString().replace("/", "%2f") + "%2fsecret.txt",
                "/api/calls/outside%00/call.json",
                "/api/calls/%00",
                "/api/calls/" + longId,
                "/api/calls/" + longId + "/audio.wav",
                "/api/calls/%c0%ae%c0%ae/secret.txt",
                "/api/calls/%zz",
                "/api/calls/linked",
                "/api/calls/linked/audio.wav",
                "/api/calls/linked/transcript.txt",
                "/api/calls/outside",
                "/api/calls/" + ApiFixture.FIRST + "/..%2f..%2fsecret.txt",
                "/api/calls/" + ApiFixture.FIRST + "/%2e%2e",
                "/api/calls/" + ApiFixture.FIRST + "/../../secret.txt");
    }

    @ParameterizedTest
    @MethodSource("targets")
    void nothingOutsideTheRecordingsIsServed(String target) throws Exception {
        String response = api.rawGet(target);
        Matcher status = STATUS.matcher(response);
        assertTrue(status.find(), response);
        int code = Integer.parseInt(status.group(1));
        assertTrue(code == 400 || code == 404, target + " → " + response);
        assertTrue(response.contains("\"error\":{\"code\":\""), response);
        assertFalse(response.contains(ApiFixture.SECRET), target + " leaked: " + response);
    }

    @ParameterizedTest
    @MethodSource("targets")
    void deletingThroughTheSameTargetsRemovesNothing(String target) throws Exception {
        String response = api.raw("DELETE " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertFalse(response.startsWith("HTTP/1.1 204"), target + " → " + response);
        assertTrue(Files.exists(base.resolve("outside").resolve("call.json")));
        assertTrue(Files.exists(base.resolve("secret.txt")));
        assertEquals(ApiFixture.SECRET, Files.readString(base.resolve("secret.txt")));
    }
}
