package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.demoagent.DemoScript;
import gateway.storage.S3Server;
import gateway.testkit.Await;
import gateway.testkit.WavReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SIPp call while object storage (S3Proxy) is down: the call is answered and recorded as usual, its upload fails
 * and waits; the gateway restarts during the outage and finds the call pending; storage comes back and the call
 * lands in the bucket byte for byte with the SHA-256 call.json gives, the local audio is removed (keep-local=false),
 * and the QA API serves the whole file, a range and the caller channel from the bucket, equal to the original.
 */
@Tag("e2e")
class RecordingsInObjectStorageIT {

    private static final int RTP_MIN = 36_300;
    private static final String BUCKET = "calls";
    private static final String PREFIX = "gw-e2e/";
    private static final long HOLD_MS = 2_000;
    private static final Duration UPLOAD_TIMEOUT = Duration.ofSeconds(20);
    /** Bytes 44-48043: half a second of stereo frames after the header. */
    private static final String RANGE = "bytes=44-48043";
    private static final Pattern FAILURES = Pattern.compile("(?m)^gateway_storage_upload_failures_total (\\S+)$");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path recordings;
    @TempDir
    Path s3Dir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aCallRecordedDuringAnOutageIsUploadedAfterARestartAndServedFromTheBucket() throws Exception {
        try (S3Server s3 = S3Server.start(s3Dir, BUCKET)) {
            List<String> flags = new ArrayList<>(s3.flags(BUCKET));
            flags.addAll(List.of("--storage.s3.prefix=" + PREFIX, "--storage.retry-min-ms=100",
                    "--storage.retry-max-ms=400", "--recordings.keep-local=false"));
            String id;
            byte[] audio;
            byte[] captions;
            try (GatewayUnderIT gw = GatewayUnderIT.start(DemoScript.defaults(), RTP_MIN, recordings, flags)) {
                s3.stop();
                Sipp.Result sipp = Sipp.scenario("uac_speech.xml").pauseMs(HOLD_MS).run(gw.sipPort(), "storage");
                assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
                Await.until(() -> failures(gw) >= 2, UPLOAD_TIMEOUT, () -> "failed attempts: " + failures(gw));
                Path dir = onlyCall();
                id = dir.getFileName().toString();
                assertFalse(Files.exists(dir.resolve("storage.json")), "not uploaded during the outage");
                audio = Files.readAllBytes(dir.resolve("audio.wav"));
                captions = Files.readAllBytes(dir.resolve("captions.vtt"));
            }

            try (GatewayUnderIT gw = GatewayUnderIT.start(DemoScript.defaults(), RTP_MIN, recordings, flags)) {
                Path dir = recordings.resolve(id);
                s3.start();
                Await.until(() -> Files.exists(dir.resolve("storage.json")), UPLOAD_TIMEOUT,
                        () -> "no storage.json in " + dir);
                // storage.json is written once every object is verified, and the local audio removed right after.
                Await.until(() -> !Files.exists(dir.resolve("audio.wav")), UPLOAD_TIMEOUT,
                        () -> "keep-local=false removed the audio from " + dir);
                JsonNode callJson = JSON.readTree(dir.resolve("call.json").toFile());
                assertEquals(sha256(audio), callJson.path("files").path("audio.wav").path("sha256").asText());
                assertEquals(audio.length, callJson.path("files").path("audio.wav").path("bytes").asLong());
                assertArrayEquals(audio, Files.readAllBytes(s3.objectFile(BUCKET, PREFIX + id + "/audio.wav")));
                assertArrayEquals(captions, Files.readAllBytes(s3.objectFile(BUCKET, PREFIX + id + "/captions.vtt")));
                assertArrayEquals(Files.readAllBytes(dir.resolve("call.json")),
                        Files.readAllBytes(s3.objectFile(BUCKET, PREFIX + id + "/call.json")));

                HttpResponse<byte[]> whole = get(gw, "/api/calls/" + id + "/audio.wav");
                assertEquals(200, whole.statusCode());
                assertArrayEquals(audio, whole.body());
                HttpResponse<byte[]> range = get(gw, "/api/calls/" + id + "/audio.wav", "Range", RANGE);
                assertEquals(206, range.statusCode());
                assertEquals("bytes 44-48043/" + audio.length, range.headers().firstValue("content-range")
                        .orElseThrow());
                assertArrayEquals(Arrays.copyOfRange(audio, 44, 48_044), range.body());
                HttpResponse<byte[]> caller = get(gw, "/api/calls/" + id + "/audio.wav?channel=caller");
                assertEquals(200, caller.statusCode());
                Path original = Files.write(s3Dir.resolve("original.wav"), audio);
                Path mono = Files.write(s3Dir.resolve("caller.wav"), caller.body());
                assertArrayEquals(WavReader.read(original).channel(RecordedCall.CALLER),
                        WavReader.read(mono).channel(0));
                assertArrayEquals(captions, get(gw, "/api/calls/" + id + "/captions.vtt").body());
            }
        }
    }

    private Path onlyCall() throws IOException {
        List<Path> calls = Recordings.callDirs(recordings);   // not .shares, .audit: the QA API's own files
        assertEquals(1, calls.size(), calls.toString());
        assertTrue(Files.exists(calls.get(0).resolve("call.json")));
        return calls.get(0);
    }

    private double failures(GatewayUnderIT gw) {
        Matcher m = FAILURES.matcher(new String(get(gw, "/metrics").body()));
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    private HttpResponse<byte[]> get(GatewayUnderIT gw, String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.httpPort() + path));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
