package gateway.qa;

import static gateway.qa.CallsApiTest.assertError;
import static gateway.qa.CallsApiTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/stats} over a real socket with a viewer's token, on the fixture's two calls (18:01, 1 s,
 * caller_bye; 19:00, 0.5 s, realtime_lost, on 2026-11-30): bucketed by hour and by day, defaults from the clock,
 * audited, and every bad parameter a 400 naming it.
 */
class StatsApiTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:20:00Z");

    @TempDir
    Path base;
    private ApiFixture api;

    @BeforeEach
    void start() throws Exception {
        api = ApiFixture.start(base, RolesTest.policy(), RolesTest.VIEWER);
        api.now.set(NOW);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void hourBucketsHoldTheCallsThatStartedInThem() throws Exception {
        HttpResponse<byte[]> r = api.get("/api/stats?since=2026-11-30T18:00:00Z&until=2026-11-30T21:00:00Z");
        assertEquals(200, r.statusCode());
        assertEquals("no-store", r.headers().firstValue("cache-control").orElse(""));
        JsonNode body = json(r);
        assertEquals("hour", body.path("bucket").asText());
        assertEquals("per_call_p95", body.path("latency").asText());
        JsonNode buckets = body.path("buckets");
        assertEquals(3, buckets.size());
        JsonNode first = buckets.get(0);
        assertEquals("2026-11-30T18:00:00.000Z", first.path("start").asText());
        assertEquals("2026-11-30T19:00:00.000Z", first.path("end").asText());
        assertEquals(1, first.path("calls").asInt());
        assertEquals(1, first.path("answered").asInt());
        assertEquals("{\"caller_bye\":1}", first.path("end_reasons").toString());
        assertEquals(1000, first.path("duration_ms").path("sum").asLong());
        assertEquals(1, first.path("analysed").asInt(), "the recorder measured the fixture's call");
        JsonNode second = buckets.get(1);
        assertEquals("{\"realtime_lost\":1}", second.path("end_reasons").toString());
        assertEquals(500, second.path("duration_ms").path("mean").asLong());
        assertEquals(0, buckets.get(2).path("calls").asInt());
        assertEquals("{}", buckets.get(2).path("end_reasons").toString());
    }

    @Test
    void withoutBoundsTheLastBucketsUpToNowAreCountedAndTheRequestIsAudited() throws Exception {
        JsonNode body = json(api.get("/api/stats?bucket=day&profile=sales"));
        assertEquals("2026-11-08T00:00:00.000Z", body.path("since").asText(), "24 days up to today's end");
        assertEquals("2026-12-02T00:00:00.000Z", body.path("until").asText());
        assertEquals("sales", body.path("profile").asText());
        assertEquals(24, body.path("buckets").size());
        assertEquals(0, body.path("buckets").get(22).path("calls").asInt(), "the fixture's calls have no profile");

        JsonNode all = json(api.get("/api/stats?bucket=day"));
        assertEquals(2, all.path("buckets").get(22).path("calls").asInt());
        assertEquals("2026-11-30T00:00:00.000Z", all.path("buckets").get(22).path("start").asText());

        List<JsonNode> audit = QaRecordsTest.lines(api, 2);
        assertEquals(List.of("victor stats bucket=day&profile=sales", "victor stats bucket=day"), audit.stream()
                .map(l -> l.path("actor").asText() + " " + l.path("action").asText() + " "
                        + l.path("detail").asText()).toList());
    }

    @Test
    void badParametersAre400sNamingThem() throws Exception {
        List<List<String>> cases = List.of(
                List.of("bucket=week", "bucket must be hour or day"),
                List.of("since=yesterday", "since must be ISO-8601"),
                List.of("since=2026-12-01&until=2026-11-30", "since must be before until"),
                List.of("since=2026-01-01&until=2026-03-01", "since is more than 744 hours before until"),
                List.of("profile=a%20b", "profile must be a routing profile's name"),
                List.of("bucket=day&bucket=hour", "bucket is given more than once"));
        for (List<String> c : cases) {
            HttpResponse<byte[]> r = api.get("/api/stats?" + c.get(0));
            assertError(r, 400, "invalid_parameter");
            String message = json(r).path("error").path("message").asText();
            assertEquals(true, message.startsWith(c.get(1)), c.get(0) + ": " + message);
        }
        assertError(api.get("/api/stats?min_duration_ms=1"), 400, "unknown_parameter");
        assertError(api.send("DELETE", "/api/stats"), 405, "method_not_allowed");
    }
}
