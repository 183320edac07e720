package gateway.qa;

import static gateway.qa.CallsApiTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.library.AnalyticsBackfill;
import gateway.library.CallAnalytics;
import gateway.library.CallJson;
import gateway.library.CallLibrary;
import gateway.library.CallLog;
import gateway.library.CallMetadata;
import gateway.library.ConversationAnalyzer;
import gateway.library.LocalCallStore;
import gateway.recorder.RecorderSettings;
import gateway.recorder.RecordingService;
import gateway.testkit.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A call recorded before the analytics existed, over HTTP: a call recorded by the real recorder with planted latency,
 * talk-over and dead air has its analytics taken out of call.json (as an older gateway wrote it); once the backfill
 * has measured its audio.wav, the list's analytics filters find it with the figures the recorder measured live (the
 * same code), and {@code /api/stats} counts it as analysed.
 */
class RemeasuredAnalyticsApiTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ID = "20261120T090000Z-0000old1";
    private static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");

    @TempDir
    Path base;

    @Test
    void anOlderCallIsMeasuredAsTheRecorderWouldHaveAndServedWithItsFigures() throws Exception {
        Path recordings = Files.createDirectories(base.resolve("recordings"));
        RecordingService service = new RecordingService(recordings, new RecorderSettings(30, 2));
        try {
            new PlantedCall(20_000)
                    .caller(1_000, 3_000).agent(3_700, 6_000)          // a 700 ms reply
                    .caller(10_000, 12_500).agent(12_000, 14_000)       // 500 ms of talk-over
                    .caller(14_900, 15_400).agent(17_300, 18_000)       // a slow reply: 1900 ms
                    .record(service, new CallMetadata(ID, ID + "@198.51.100.7", "sip:+15550001@example.com",
                            "sip:agent@example.com", T0, "PCMU"), "caller_bye", CallLog.EMPTY);
        } finally {
            service.close();
        }
        Path file = recordings.resolve(ID).resolve("call.json");
        CallAnalytics live = CallJson.read(Files.readAllBytes(file)).analytics();
        assertTrue(CallJson.read(Files.readAllBytes(file)).complete(), "the planted audio is all in audio.wav");
        ObjectNode older = (ObjectNode) MAPPER.readTree(Files.readAllBytes(file));
        older.remove("analytics");
        Files.write(file, MAPPER.writeValueAsBytes(older));
        assertNull(CallJson.read(Files.readAllBytes(file)).analytics());

        CallLibrary library = CallLibrary.open(new LocalCallStore(recordings),
                new AnalyticsBackfill.Settings(1_000, ConversationAnalyzer.DEFAULT_DEAD_AIR_MS));
        try (ApiFixture api = ApiFixture.serving(recordings, library)) {
            Await.until(() -> library.backfill().counts().measured() == 1, Duration.ofSeconds(10),
                    () -> library.backfill().counts().toString());
            JsonNode all = json(api.send("GET", "/api/calls"));
            JsonNode calls = json(api.send("GET", "/api/calls?min_p95_latency_ms=1880&min_dead_air_ms=3980"
                    + "&has_talk_over=true")).path("calls");
            assertEquals(1, calls.size(), all.toString());
            JsonNode analytics = calls.get(0).path("analytics");
            assertTrue(Math.abs(1_900 - analytics.path("latency_p95_ms").asLong()) <= 20, analytics.toString());
            assertTrue(Math.abs(4_000 - analytics.path("longest_dead_air_ms").asLong()) <= 20, analytics.toString());
            assertEquals(1, analytics.path("talk_over_count").asInt(), analytics.toString());
            assertEquals(live.asRemeasured(), CallJson.read(Files.readAllBytes(file)).analytics(),
                    "measured from audio.wav, the figures the recorder measured as it wrote it");
            JsonNode detail = json(api.send("GET", "/api/calls/" + ID)).path("analytics");
            assertTrue(detail.path("remeasured").asBoolean(), detail.toString());
            JsonNode bucket = json(api.send("GET", "/api/stats?since=2026-11-20T09:00:00Z"
                    + "&until=2026-11-20T10:00:00Z")).path("buckets").get(0);
            assertEquals(1, bucket.path("analysed").asInt(), bucket.toString());
            assertEquals(1, bucket.path("talk_over").path("calls").asInt(), bucket.toString());
        }
    }
}
