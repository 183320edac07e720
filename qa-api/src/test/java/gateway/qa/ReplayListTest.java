package gateway.qa;

import static gateway.qa.ApiFixture.FIRST;
import static gateway.qa.ApiFixture.SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.library.CallLog;
import gateway.library.CallMetadata;
import gateway.library.CallQuery;
import gateway.library.ReplayOrigin;
import gateway.recorder.CallSummary;
import gateway.recorder.RecorderSettings;
import gateway.recorder.RecordingService;
import gateway.testkit.Await;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays in the QA API: a replay's line of the list and its call.json name the original ({@code replay_of}), the
 * list filters on it, and a phone call's line is as it was (no {@code replay_of}).
 */
class ReplayListTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REPLAY = "20261201T090000Z-cccc0003";

    @TempDir
    Path base;
    private ApiFixture api;

    @BeforeEach
    void start() throws Exception {
        api = ApiFixture.start(base, "");
        try (RecordingService service = new RecordingService(api.recordings, new RecorderSettings(5, 4))) {
            Instant start = Instant.parse("2026-12-01T09:00:00Z");
            ApiFixture.record(service, new CallMetadata(REPLAY, "replay-" + REPLAY, "sip:+15550001111@198.51.100.7",
                    "sip:agent@gw.example.com", start, "PCMU", null, "sales", Map.of(),
                    new ReplayOrigin(FIRST, "profile sales")), 24_000,
                    new CallSummary(start.plusSeconds(1), 24_000, "replay_end", CallLog.EMPTY));
        }
        api.library.callFinished(REPLAY);
        Await.until(() -> api.library.list(CallQuery.newest(10)).orElseThrow().calls().stream()
                .anyMatch(c -> c.id().equals(REPLAY)), Duration.ofSeconds(10), () -> "the replay indexed");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private JsonNode list(String query) throws Exception {
        HttpResponse<byte[]> r = api.get("/api/calls" + query);
        assertEquals(200, r.statusCode(), new String(r.body()));
        return JSON.readTree(r.body());
    }

    private static List<String> ids(JsonNode page) {
        return StreamSupport.stream(page.get("calls").spliterator(), false).map(c -> c.get("id").asText()).toList();
    }

    @Test
    void aReplayNamesItsOriginalInTheListAndItsCallJsonAndTheListFiltersOnIt() throws Exception {
        JsonNode all = list("");
        assertEquals(List.of(REPLAY, SECOND, FIRST), ids(all));
        assertEquals(FIRST, all.get("calls").get(0).get("replay_of").asText());
        assertTrue(all.get("calls").get(1).path("replay_of").isMissingNode(), "a phone call's line is as before");
        assertEquals(List.of(REPLAY), ids(list("?replay_of=" + FIRST)));
        assertEquals(List.of(), ids(list("?replay_of=" + SECOND)));
        JsonNode detail = JSON.readTree(api.get("/api/calls/" + REPLAY).body());
        assertEquals(FIRST, detail.get("replay_of").asText());
        assertEquals("profile sales", detail.get("replay_agent").asText());
        assertEquals("replay_end", detail.get("end_reason").asText());
    }

    @Test
    void aReplayOfThatIsNoCallIdIsRefused() throws Exception {
        HttpResponse<byte[]> r = api.get("/api/calls?replay_of=..%2Fetc");
        assertEquals(400, r.statusCode());
        assertEquals("invalid_parameter", JSON.readTree(r.body()).get("error").get("code").asText());
        assertTrue(JSON.readTree(r.body()).get("error").get("message").asText().startsWith("replay_of"));
    }
}
