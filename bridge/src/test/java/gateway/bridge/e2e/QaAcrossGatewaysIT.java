package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.storage.S3Server;
import gateway.testkit.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateway processes upload to one bucket (S3Proxy) and keep no local audio; a third process, started with
 * {@code --qa-only}, takes no calls and serves them all: it is ready once it has listed the bucket, its call list
 * shows a SIPp call of each gateway once its refresh has seen them, it serves a range of a call's audio from the
 * bucket byte for byte, and a legal hold placed through it is stored in the bucket and refuses a delete. Retention,
 * set on it, runs its dry run once the bucket is listed and deletes nothing of these new calls.
 */
@Tag("e2e")
class QaAcrossGatewaysIT {

    private static final int RTP_A = 41_200;
    private static final int RTP_B = 41_300;
    private static final String BUCKET = "shared-calls";
    private static final String PREFIX = "calls/";
    private static final long HOLD_MS = 1_500;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Bytes 44-48043: half a second of stereo frames after the header. */
    private static final String RANGE = "bytes=44-48043";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aQaOnlyInstanceListsTheCallsOfBothGatewaysServesTheirAudioAndHoldsThemInTheBucket() throws Exception {
        Path recordingsA = Files.createDirectories(dir.resolve("recordings-a"));
        Path recordingsB = Files.createDirectories(dir.resolve("recordings-b"));
        try (S3Server s3 = S3Server.start(dir.resolve("s3"), BUCKET)) {
            List<String> storage = new ArrayList<>(s3.flags(BUCKET));
            storage.add("--storage.s3.prefix=" + PREFIX);
            List<String> gateways = new ArrayList<>(storage);
            gateways.add("--recordings.keep-local=false");
            List<String> qaFlags = new ArrayList<>(storage);
            qaFlags.addAll(List.of("--storage.s3.index-refresh-seconds=1", "--recordings.retention-days=3650"));
            try (GatewayProcess a = GatewayProcess.start(recordingsA, RTP_A, dir.resolve("gateway-a.log"), gateways);
                 GatewayProcess b = GatewayProcess.start(recordingsB, RTP_B, dir.resolve("gateway-b.log"), gateways);
                 GatewayProcess qa = GatewayProcess.startQaOnly(dir.resolve("qa"), dir.resolve("qa.log"), qaFlags)) {
                Await.until(() -> get(qa, "/health/ready").statusCode() == 200, TIMEOUT,
                        () -> "QA-only instance not ready: " + text(get(qa, "/health/ready")));
                assertFalse(qa.log().contains("Ready in"), "no SIP listener: " + qa.log());
                Await.until(() -> qa.log().contains("retention dry run: 0 calls started before"), TIMEOUT,
                        () -> "retention configured on the QA-only instance starts after its first listing: "
                                + qa.log());
                assertEquals(List.of(), ids(qa));

                String callA = callThrough(a, recordingsA, "qa-bucket-a");
                String callB = callThrough(b, recordingsB, "qa-bucket-b");

                Await.until(() -> ids(qa).containsAll(List.of(callA, callB)), TIMEOUT,
                        () -> "the QA-only instance lists " + ids(qa) + ", not both " + callA + " and " + callB);
                assertEquals(2, ids(qa).size());

                byte[] audio = Files.readAllBytes(s3.objectFile(BUCKET, PREFIX + callA + "/audio.wav"));
                HttpResponse<byte[]> range = get(qa, "/api/calls/" + callA + "/audio.wav", "Range", RANGE);
                assertEquals(206, range.statusCode(), text(range));
                assertEquals("bytes 44-48043/" + audio.length, range.headers().firstValue("content-range")
                        .orElseThrow());
                assertArrayEquals(Arrays.copyOfRange(audio, 44, 48_044), range.body());

                HttpResponse<byte[]> held = send(qa, "PUT", "/api/calls/" + callB + "/hold",
                        "{\"reason\": \"case 17\"}");
                assertEquals(200, held.statusCode(), text(held));
                Path holdObject = s3.objectFile(BUCKET, PREFIX + callB + "/legal-hold.json");
                JsonNode stored = JSON.readTree(holdObject.toFile());
                assertEquals("case 17", stored.path("reason").asText());
                assertTrue(summary(qa, callB).path("legal_hold").asBoolean(), "the index shows the hold");
                assertFalse(summary(qa, callA).path("legal_hold").asBoolean());
                HttpResponse<byte[]> delete = send(qa, "DELETE", "/api/calls/" + callB, "");
                assertEquals(409, delete.statusCode(), text(delete));
                assertTrue(Files.exists(s3.objectFile(BUCKET, PREFIX + callB + "/audio.wav")), "kept");
            }
        }
    }

    /** A SIPp call to {@code gw}; returns its id once its upload is verified and its local audio removed. */
    private static String callThrough(GatewayProcess gw, Path recordings, String name) throws Exception {
        Sipp.Result sipp = Sipp.scenario("uac_speech.xml").pauseMs(HOLD_MS).run(gw.sipPort(), name);
        assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
        Path call = Recordings.awaitFinished(recordings, 1, TIMEOUT).get(0);
        Await.until(() -> Files.exists(call.resolve("storage.json")) && !Files.exists(call.resolve("audio.wav")),
                TIMEOUT, () -> "call " + call + " not uploaded with its local audio removed; log:\n" + gw.log());
        return call.getFileName().toString();
    }

    private static List<String> ids(GatewayProcess qa) {
        return StreamSupport.stream(calls(qa).spliterator(), false).map(c -> c.path("id").asText()).toList();
    }

    private static JsonNode summary(GatewayProcess qa, String id) {
        return StreamSupport.stream(calls(qa).spliterator(), false).filter(c -> c.path("id").asText().equals(id))
                .findFirst().orElseThrow(() -> new AssertionError(id + " not listed"));
    }

    private static JsonNode calls(GatewayProcess qa) {
        HttpResponse<byte[]> list = get(qa, "/api/calls");
        if (list.statusCode() != 200) {
            throw new AssertionError("GET /api/calls: " + text(list));
        }
        try {
            return JSON.readTree(list.body()).path("calls");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpResponse<byte[]> get(GatewayProcess gw, String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.httpPort() + path));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return exchange(b.build());
    }

    private static HttpResponse<byte[]> send(GatewayProcess gw, String method, String path, String body) {
        return exchange(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.httpPort() + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .headers(body.isEmpty() ? new String[] {"Accept", "application/json"}
                        : new String[] {"Content-Type", "application/json"})
                .build());
    }

    private static HttpResponse<byte[]> exchange(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String text(HttpResponse<byte[]> response) {
        return response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8);
    }
}
