package gateway.qa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.library.CallLog;
import gateway.library.CallMetadata;
import gateway.library.Role;
import gateway.library.Turn;
import gateway.recorder.RecordingService;
import gateway.testkit.browser.Chromium;
import gateway.testkit.browser.Page;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard and the call page's analytics in headless Chromium, over three calls recorded through the real
 * recorder with planted conversations (so their analytics are measured as a real call's): two calls at 10:00 UTC
 * whose caller waits 800 ms and 1600 ms for the agent, and one at 12:00 with a 400 ms reply, a 4 s stretch of dead
 * air and a talk-over. The dashboard's numbers are read from its DOM; a click on a point opens the list of the
 * calls behind it.
 */
class DashboardPageIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final Path ARTIFACTS = Path.of("target", "browser");
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SLOW = "20261201T100500Z-dddd0001";
    static final String SLOWER = "20261201T103000Z-dddd0002";
    static final String GAPPY = "20261201T121500Z-dddd0003";
    /** Measured times come back within one 20 ms frame. */
    private static final long FRAME_MS = 20;
    private static final String ROWS = "document.querySelector('#list-view').hidden ? null"
            + " : [...document.querySelectorAll('#calls tbody tr')].map(r => r.dataset.callId)";

    @TempDir
    Path base;

    /** Caller speaks 0.5-2 s, the agent answers after {@code latencyMs} for 1.5 s; 6 s in all. */
    private static PlantedCall reply(long latencyMs) {
        return new PlantedCall(6_000).caller(500, 2_000).agent(2_000 + latencyMs, 3_500 + latencyMs);
    }

    private static void writeCalls(RecordingService service) throws Exception {
        reply(800).record(service, meta(SLOW, "10:05:00", "sales"), "caller_bye", CallLog.of(List.of()));
        reply(1_600).record(service, meta(SLOWER, "10:30:00", "sales"), "agent_hangup", CallLog.of(List.of()));
        // Reply after 400 ms (1-2 s, 2.4-3.4 s), dead air 3.4-7.4 s, caller again 7.4-9 s with the agent
        // talking over it from 8.4 s to 10 s.
        new PlantedCall(11_000).caller(1_000, 2_000).agent(2_400, 3_400).caller(7_400, 9_000)
                .agent(8_400, 10_000).record(service, meta(GAPPY, "12:15:00", "support"), "caller_bye",
                        CallLog.of(List.of(new Turn(Role.CALLER, 1_000, 2_000, "Is anyone there?", "i1", false),
                                new Turn(Role.ASSISTANT, 2_400, 3_400, "Yes, one moment.", "i2", false))));
    }

    private static CallMetadata meta(String id, String time, String profile) {
        return new CallMetadata(id, id + "@sip", "sip:+15550001111@198.51.100.7", "sip:agent@gw.example.com",
                Instant.parse("2026-12-01T" + time + "Z"), "PCMU", "198.51.100.7:5060", profile, Map.of());
    }

    /** Serves the three calls once they are recorded and indexed. */
    private ApiFixture serveCalls() throws Exception {
        return ApiFixture.servingRecorded(base, DashboardPageIT::writeCalls);
    }

    @Test
    void theDashboardShowsTheMeasuredFiguresAndItsPointsOpenTheCallsBehindThem() throws Exception {
        try (ApiFixture api = serveCalls(); Chromium chromium = Chromium.launch(ARTIFACTS)) {
            Page page = chromium.newPage();
            page.navigate(api.uri("/#/dashboard?since=2026-12-01T10:00:00Z&until=2026-12-01T13:00:00Z").toString(),
                    TIMEOUT);
            page.waitFor("document.querySelectorAll('#chart-latency circle').length === 4", TIMEOUT);

            assertEquals(List.of(List.of("Calls", "3"), List.of("Answered", "3"), List.of("With talk-over", "33.3 %"),
                            List.of("With dead air", "33.3 %")),
                    rows(page, "['Calls', 'Answered', 'With talk-over', 'With dead air'].map(f =>"
                            + " [f, document.querySelector(`#dashboard-totals dd[data-fact='${f}']`).textContent])"));
            // Per-call p95s at 10:00 are 800 and 1600 ms: their median (nearest rank) 800, their p95 1600.
            JsonNode points = page.evaluate("[...document.querySelectorAll('#chart-latency circle')].map(c =>"
                    + " [c.classList.contains('p95') ? 'p95' : 'p50', c.dataset.start, Number(c.dataset.value)])");
            assertEquals(4, points.size(), points.toString());
            near(points, "p95", "2026-12-01T10:00:00.000Z", 1_600);
            near(points, "p50", "2026-12-01T10:00:00.000Z", 800);
            near(points, "p95", "2026-12-01T12:00:00.000Z", 400);
            near(points, "p50", "2026-12-01T12:00:00.000Z", 400);
            assertEquals(List.of(List.of("2026-12-01T10:00:00.000Z", "2"), List.of("2026-12-01T12:00:00.000Z", "1")),
                    rows(page, "[...document.querySelectorAll('#chart-calls rect')].map(r =>"
                            + " [r.dataset.start, r.dataset.value])"));
            assertEquals(List.of(List.of("2026-12-01T10:00:00.000Z", "agent_hangup", "1"),
                            List.of("2026-12-01T10:00:00.000Z", "caller_bye", "1"),
                            List.of("2026-12-01T12:00:00.000Z", "caller_bye", "1")),
                    rows(page, "[...document.querySelectorAll('#chart-reasons rect')].map(r =>"
                            + " [r.dataset.start, r.dataset.reason, r.dataset.value])"));
            assertEquals(List.of("agent_hangup", "caller_bye"), JSON.convertValue(page.evaluate(
                    "[...document.querySelectorAll('#reasons-legend li')].map(l => l.textContent)"), List.class));
            assertEquals(List.of(List.of("2", "2", "0.0 %", "0.0 %"), List.of("1", "1", "100.0 %", "100.0 %")),
                    rows(page, "[...document.querySelectorAll('#stats-table tbody tr')].map(r =>"
                            + " [1, 2, 5, 6].map(i => r.children[i].textContent))"));
            page.screenshot(ARTIFACTS.resolve("dashboard.png"));

            // The p95 point of 10:00 opens the list of the two calls behind it.
            page.click("#chart-latency circle.p95[data-start='2026-12-01T10:00:00.000Z']");
            page.waitFor(ROWS, v -> v.equals(JSON.valueToTree(List.of(SLOWER, SLOW))), TIMEOUT);
            assertEquals("#/?since=2026-12-01T10%3A00%3A00.000Z&until=2026-12-01T11%3A00%3A00.000Z",
                    page.evaluate("location.hash").asText());
            // The list shows each call's figures and sorts by them, slowest replies first.
            JsonNode p95 = page.evaluate("[...document.querySelectorAll('#calls tbody tr')].map(r =>"
                    + " parseInt(r.children[6].textContent))");
            assertTrue(Math.abs(p95.get(0).asLong() - 1_600) <= FRAME_MS && Math.abs(p95.get(1).asLong() - 800)
                    <= FRAME_MS, p95.toString());
            page.evaluate("location.hash = '#/'");
            page.waitFor(ROWS, v -> v.equals(JSON.valueToTree(List.of(GAPPY, SLOWER, SLOW))), TIMEOUT);
            page.evaluate("document.querySelector('#filters select[name=sort]').value = 'p95_latency'");
            page.click("#filters button[type=submit]");
            page.waitFor(ROWS, v -> v.equals(JSON.valueToTree(List.of(SLOWER, SLOW, GAPPY))), TIMEOUT);
            assertEquals("#/?sort=p95_latency", page.evaluate("location.hash").asText());

            // A segment of the end reasons opens the list narrowed to that reason; the profile travels along.
            page.evaluate("location.hash = '#/dashboard?since=2026-12-01T10:00:00Z&until=2026-12-01T11:00:00Z"
                    + "&profile=sales'");
            page.waitFor("document.querySelectorAll('#chart-reasons rect').length === 2", TIMEOUT);
            page.click("#chart-reasons rect[data-reason='agent_hangup']");
            page.waitFor(ROWS, v -> v.equals(JSON.valueToTree(List.of(SLOWER))), TIMEOUT);
            assertTrue(page.evaluate("location.hash").asText().endsWith("&profile=sales&end_reason=agent_hangup"));

            // The header's link opens the dashboard of the last 24 hours (none of the planted calls).
            page.click("#dashboard-link");
            page.waitFor("!document.querySelector('#stats-empty').hidden", TIMEOUT);
            assertEquals("#/dashboard", page.evaluate("location.hash").asText());
            assertEquals(0, page.evaluate("document.querySelectorAll('#chart-calls rect').length").asInt());
            assertEquals(List.of(), page.problems());
        }
    }

    @Test
    void theCallPageShowsTheAnalyticsAndMarksTheirStretchesWhereTheyHappened() throws Exception {
        try (ApiFixture api = serveCalls(); Chromium chromium = Chromium.launch(ARTIFACTS)) {
            Page page = chromium.newPage();
            page.navigate(api.uri("/#/calls/" + GAPPY).toString(), TIMEOUT);
            page.waitFor("document.querySelectorAll('#analytics-marks .mark').length === 2", TIMEOUT);

            JsonNode facts = page.evaluate("Object.fromEntries([...document.querySelectorAll('#call-analytics dd')]"
                    + ".map(d => [d.dataset.fact, d.textContent]))");
            assertEquals("1", facts.path("Replies").asText(), facts.toString());
            assertTrue(facts.path("Dead air").asText().startsWith("1 (longest 4.0 s)"), facts.toString());
            assertTrue(facts.path("Talk-over").asText().matches("1 \\((580|600|620) ms\\)"), facts.toString());
            assertEquals("1 / 1", facts.path("Turns (caller / agent)").asText());
            assertEquals("0", facts.path("Barge-ins").asText());
            assertEquals("the caller", facts.path("Hung up by").asText());

            // Each mark sits over its stretch of the waveform: its left and right edges, read back as recording
            // time from the canvas's width, are where the planted silence and overlap were.
            String marks = "(() => { const c = document.querySelector('#waveform').getBoundingClientRect();"
                    + " const ms = (x) => (x - c.left) / c.width * 11000;"
                    + " return [...document.querySelectorAll('#analytics-marks .mark')].map(m => {"
                    + " const r = m.getBoundingClientRect(); return [m.classList[1], ms(r.left), ms(r.right)]; });"
                    + " })()";
            JsonNode placed = page.evaluate(marks);
            assertMark(placed.get(0), "dead-air", 3_400, 7_400);
            assertMark(placed.get(1), "talk-over", 8_400, 9_000);
            page.screenshot(ARTIFACTS.resolve("call-analytics.png"));

            // A click on a mark seeks the player to its start.
            page.waitFor("document.querySelector('#player').readyState === 4", TIMEOUT);
            page.click("#analytics-marks .mark.dead-air");
            page.waitFor("document.querySelector('#player').currentTime", t -> Math.abs(t.asDouble() - 3.4) <= 0.021,
                    TIMEOUT);

            // The 1.6 s wait of the slower call is marked slow; its 0.8 s sibling has no mark.
            page.evaluate("location.hash = '#/calls/" + SLOWER + "'");
            page.waitFor("document.querySelectorAll('#analytics-marks .mark.slow').length === 1", TIMEOUT);
            assertMark(page.evaluate(marks.replace("11000", "6000")).get(0), "slow", 2_000, 3_600);
            page.evaluate("location.hash = '#/calls/" + SLOW + "'");
            page.waitFor("document.querySelector('#call-title').textContent !== ''"
                    + " && !document.querySelector('#analytics').hidden"
                    + " && document.querySelectorAll('#analytics-marks .mark').length === 0", TIMEOUT);
            assertEquals(List.of(), page.problems());
        }
    }

    /** A mark of {@code kind} from about {@code startMs} to {@code endMs}: a frame, and a pixel or two. */
    private static void assertMark(JsonNode mark, String kind, long startMs, long endMs) {
        assertEquals(kind, mark.get(0).asText(), mark.toString());
        double tolerance = FRAME_MS + 20;
        assertTrue(Math.abs(mark.get(1).asDouble() - startMs) <= tolerance, kind + " starts at " + mark);
        assertTrue(Math.abs(mark.get(2).asDouble() - endMs) <= tolerance, kind + " ends at " + mark);
    }

    /** The point of {@code series} at {@code start} is {@code ms} within a frame. */
    private static void near(JsonNode points, String series, String start, long ms) {
        for (JsonNode p : points) {
            if (p.get(0).asText().equals(series) && p.get(1).asText().equals(start)) {
                assertTrue(Math.abs(p.get(2).asLong() - ms) <= FRAME_MS, series + " at " + start + ": " + p);
                return;
            }
        }
        throw new AssertionError("no " + series + " point at " + start + " in " + points);
    }

    private static List<List<String>> rows(Page page, String expression) throws InterruptedException {
        return JSON.convertValue(page.evaluate(expression),
                JSON.getTypeFactory().constructCollectionType(List.class, List.class));
    }
}
