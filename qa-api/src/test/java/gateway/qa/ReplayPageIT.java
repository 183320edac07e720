package gateway.qa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import gateway.library.CallLog;
import gateway.library.CallMetadata;
import gateway.library.ReplayOrigin;
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
 * A replay and its original side by side in headless Chromium, over two calls recorded through the real recorder
 * with planted conversations: the original's caller waits 1.6 s for the agent, the replay's 0.4 s. The replay's page
 * links to the original and compares their measured analytics; the original's page links to the replay and compares
 * the same way.
 */
class ReplayPageIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final Path ARTIFACTS = Path.of("target", "browser");
    private static final String ORIGINAL = "20261201T100500Z-eeee0001";
    private static final String REPLAY = "20261202T080000Z-eeee0002";
    /** Measured times come back within one 20 ms frame. */
    private static final long FRAME_MS = 20;
    private static final String P95_CELLS = "[...document.querySelectorAll("
            + "'#replay-panel tr[data-fact=\"Reply time p95\"] td.num')].map(td => [td.dataset.call,"
            + " parseInt(td.textContent)])";

    @TempDir
    Path base;

    private static CallMetadata meta(String id, String time, ReplayOrigin replay) {
        return new CallMetadata(id, id + "@sip", "sip:+15550001111@198.51.100.7", "sip:agent@gw.example.com",
                Instant.parse(time), "PCMU", replay == null ? "198.51.100.7:5060" : null, "default", Map.of(),
                replay);
    }

    private ApiFixture serveCalls() throws Exception {
        return ApiFixture.servingRecorded(base, service -> {
            new PlantedCall(6_000).caller(500, 2_000).agent(3_600, 5_100).record(service,
                    meta(ORIGINAL, "2026-12-01T10:05:00Z", null), "caller_bye", CallLog.of(List.of()));
            ReplayOrigin origin = new ReplayOrigin(ORIGINAL, "config calm.yaml, profile default");
            new PlantedCall(6_000).caller(500, 2_000).agent(2_400, 3_900).record(service,
                    meta(REPLAY, "2026-12-02T08:00:00Z", origin), "replay_end", CallLog.of(List.of()));
        });
    }

    @Test
    void aReplaysPageComparesItWithItsOriginalAndTheOriginalsPageLinksToIt() throws Exception {
        try (ApiFixture api = serveCalls(); Chromium chromium = Chromium.launch(ARTIFACTS)) {
            Page page = chromium.newPage();
            page.navigate(api.uri("/#/calls/" + REPLAY).toString(), TIMEOUT);
            page.waitFor("document.querySelectorAll('#replay-panel td.num').length > 0", TIMEOUT);
            assertEquals("A replay of " + ORIGINAL + " against config calm.yaml, profile default.",
                    page.evaluate("document.querySelector('#replay-of').textContent").asText());
            assertComparedSideBySide(page, "#replay-of a", ORIGINAL);
            assertEquals("replay_end", page.evaluate("document.querySelector('#replay-panel tr[data-fact=\"End"
                    + " reason\"] td.num[data-call=\"" + REPLAY + "\"]').textContent").asText());
            page.screenshot(ARTIFACTS.resolve("replay-side-by-side.png"));

            page.click("#replay-of a");
            page.waitFor("document.querySelectorAll('#replays a').length === 1", TIMEOUT);
            assertComparedSideBySide(page, "#replays a", REPLAY);
            page.screenshot(ARTIFACTS.resolve("replay-original.png"));
            assertEquals(List.of(), page.problems());
        }
    }

    /**
     * The page links ({@code link}) to {@code linked}, and its panel compares the original and the replay, in that
     * order, with each one's measured reply time p95.
     */
    private static void assertComparedSideBySide(Page page, String link, String linked) throws InterruptedException {
        assertEquals("#/calls/" + linked,
                page.evaluate("document.querySelector('" + link + "').getAttribute('href')").asText());
        assertEquals(List.of(ORIGINAL, REPLAY), ids(page.evaluate(
                "[...document.querySelectorAll('#replay-panel th[data-call]')].map(th => th.dataset.call)")));
        JsonNode p95 = page.evaluate(P95_CELLS);
        assertNear(p95, ORIGINAL, 1_600);
        assertNear(p95, REPLAY, 400);
    }

    private static List<String> ids(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    /** The p95 cell of {@code call} is {@code ms} within a frame. */
    private static void assertNear(JsonNode cells, String call, long ms) {
        for (JsonNode cell : cells) {
            if (cell.get(0).asText().equals(call)) {
                assertTrue(Math.abs(cell.get(1).asLong() - ms) <= FRAME_MS, call + ": " + cells);
                return;
            }
        }
        throw new AssertionError("no cell of " + call + ": " + cells);
    }
}
