package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.testkit.Await;
import gateway.testkit.Signals;
import gateway.testkit.WavReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SIPp caller speaks and hangs up; QA then finds the call through the API, reads its call.json, seeks in its
 * audio.wav and fetches the caller's channel as a mono WAV whose samples are the stereo file's left channel.
 */
@Tag("e2e")
class QaApiIT {

    private static final int RTP_MIN = 33_700;
    /** Long enough for the speech fixture (3.5 s) to be recorded and echoed in part. */
    private static final long HOLD_MS = 5_000;
    private static final Duration LISTED_TIMEOUT = Duration.ofSeconds(10);
    /** A range inside the first second of audio: 44-byte header, then 0.5 s of stereo frames. */
    private static final String RANGE = "bytes=44-48043";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path recordings;
    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aRecordedCallIsListedAndServedWithRangesAndItsCallerChannel() throws Exception {
        try (GatewayUnderIT gw = GatewayUnderIT.start(RTP_MIN, recordings)) {
            Sipp.Result sipp = Sipp.scenario("uac_speech.xml").pauseMs(HOLD_MS).run(gw.sipPort(), "qa-api");
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());

            JsonNode page = Await.until(() -> json(get(gw, "/api/calls")), p -> p.path("calls").size() == 1,
                    LISTED_TIMEOUT, JsonNode::toString);
            JsonNode summary = page.get("calls").get(0);
            String id = summary.get("id").asText();
            Path dir = recordings.resolve(id);
            assertEquals("caller_bye", summary.get("end_reason").asText(), summary.toString());
            assertEquals("PCMU", summary.get("codec").asText());
            assertTrue(summary.get("from").asText().contains("sipp@127.0.0.1"), summary.toString());
            assertTrue(summary.get("recording_complete").asBoolean(), summary.toString());
            assertEquals(CallJson.read(dir.resolve("call.json")).durationMs(), summary.get("duration_ms").asLong());

            HttpResponse<byte[]> callJson = get(gw, "/api/calls/" + id);
            assertEquals(200, callJson.statusCode());
            assertArrayEquals(Files.readAllBytes(dir.resolve("call.json")), callJson.body());

            byte[] stereoBytes = Files.readAllBytes(dir.resolve("audio.wav"));
            HttpResponse<byte[]> range = get(gw, "/api/calls/" + id + "/audio.wav", "Range", RANGE);
            assertEquals(206, range.statusCode());
            assertEquals("bytes 44-48043/" + stereoBytes.length, range.headers().firstValue("content-range")
                    .orElseThrow());
            assertArrayEquals(Arrays.copyOfRange(stereoBytes, 44, 48_044), range.body());

            HttpResponse<byte[]> caller = get(gw, "/api/calls/" + id + "/audio.wav?channel=caller");
            assertEquals(200, caller.statusCode());
            Path mono = work.resolve("caller.wav");
            Files.write(mono, caller.body());
            WavReader.Wav monoWav = WavReader.read(mono);
            WavReader.Wav stereo = WavReader.read(dir.resolve("audio.wav"));
            assertEquals(1, monoWav.channels());
            assertEquals(stereo.sampleRate(), monoWav.sampleRate());
            assertArrayEquals(stereo.channel(RecordedCall.CALLER), monoWav.channel(0));
            double rms = Signals.rmsMs(monoWav.channel(0), monoWav.sampleRate(), 0, (long) monoWav.durationMs());
            assertTrue(rms > CallIsAnsweredAndRecordedIT.SILENCE_RMS, "the caller's speech is there, RMS " + rms);
        }
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

    private static JsonNode json(HttpResponse<byte[]> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
