package gateway.qa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.testkit.browser.Chromium;
import gateway.testkit.browser.Page;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The QA page in headless Chromium on a listener without a token (this machine only), over the fixture's
 * recordings: it asks for no token, lists the calls newest first, narrows them by transcript words and duration,
 * pages by cursor, and shows a call's transcript, hold and download links; clicking the waveform or an event seeks
 * the player. The events of a call.json with holds, a session switch, DTMF and a tool call come out in time order.
 * A call with a quality block shows it, and its loss stretch is an event and is shaded in the caller's lane.
 */
class WebPageIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final Path ARTIFACTS = Path.of("target", "browser");
    /** One pixel of the waveform is about a millisecond of the fixture's one-second call. */
    private static final double CLICK_TOLERANCE_S = 0.01;
    private static final double SEEK_TOLERANCE_S = 0.001;
    /** The ids of the listed calls, in order, while the list is shown. */
    private static final String ROWS = "document.querySelector('#list-view').hidden ? null"
            + " : [...document.querySelectorAll('#calls tbody tr')].map(r => r.dataset.callId)";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path base;

    @Test
    void withoutATokenThePageFindsFiltersAndOpensCalls() throws Exception {
        try (ApiFixture api = ApiFixture.start(base, ""); Chromium chromium = Chromium.launch(ARTIFACTS)) {
            Page page = chromium.newPage();
            page.navigate(api.uri("/").toString(), TIMEOUT);
            awaitRows(page, ApiFixture.SECOND, ApiFixture.FIRST);
            assertTrue(page.evaluate("document.querySelector('#auth-view').hidden").asBoolean());

            page.type("#filters input[name=q]", "refund");
            page.click("#filters button[type=submit]");
            awaitRows(page, ApiFixture.FIRST);
            assertEquals("#/?q=refund", page.evaluate("location.hash").asText());
            page.click("#filters button[type=reset]");
            awaitRows(page, ApiFixture.SECOND, ApiFixture.FIRST);
            page.type("#filters input[name=min_duration_s]", "0.8");
            page.click("#filters button[type=submit]");
            awaitRows(page, ApiFixture.FIRST);

            page.evaluate("location.hash = '#/?limit=1'");
            awaitRows(page, ApiFixture.SECOND);
            page.click("#more");
            awaitRows(page, ApiFixture.SECOND, ApiFixture.FIRST);
            assertTrue(page.evaluate("document.querySelector('#more').hidden").asBoolean(), "no page after the last");

            page.click("#calls tr[data-call-id=" + Page.quote(ApiFixture.FIRST) + "] a");
            page.waitFor("document.querySelector('#player').readyState === 4", TIMEOUT);
            assertEquals(List.of(List.of("Caller", "Hello, I need a refund.", ""),
                            List.of("Assistant", "Sure, let me check.", "interrupted")),
                    list(page, "[...document.querySelectorAll('#transcript .turn')].map(t =>"
                            + " [t.querySelector('.speaker').textContent, t.querySelector('.text').textContent,"
                            + " t.querySelector('.badge')?.textContent ?? ''])"));
            assertEquals(List.of(List.of("0:00.2–0:00.3", "On hold for 0.1 s"),
                            List.of("0:00.5–0:00.5", "Caller audio concealed: 2 packets lost or late")),
                    list(page, "[...document.querySelectorAll('#events .event')].map(e =>"
                            + " [e.querySelector('.time').textContent, e.querySelector('.label').textContent])"));
            assertFalse(page.evaluate("document.querySelector('#quality').hidden").asBoolean());
            assertEquals(List.of(List.of("MOS (estimate)", "4.27 (R 88.4)"), List.of("Packets in / out", "50 / 51"),
                            List.of("Lost", "2 (3.8 %)"), List.of("Late", "0 (0.0 %)"), List.of("Duplicated", "1"),
                            List.of("Concealed", "40 ms"), List.of("Jitter", "2.1 ms (max 4.5 ms)"),
                            List.of("Round trip", "38 ms (max 52 ms)"), List.of("Jitter buffer", "0.4 ms on average"),
                            List.of("Caller reported", "0 % lost, jitter 1.2 ms")),
                    list(page, "[...document.querySelectorAll('#call-quality dt')].map(dt =>"
                            + " [dt.textContent, dt.nextElementSibling.textContent])"));
            // The loss is shaded in the caller's lane of the waveform, and only there.
            assertEquals(List.of(List.of(true, false)), list(page, "(() => { const c = document.querySelector"
                    + "('#waveform'); const x = Math.floor(c.width * 0.52); const ctx = c.getContext('2d');"
                    + " const h = c.height;"
                    + " const red = (y) => { const [r, g, b] = ctx.getImageData(x, y, 1, 1).data; return r > g + 40"
                    + " && r > b + 40; }; return [[red(2), red(Math.floor(h * 0.5))]]; })()"));
            assertEquals(7, page.evaluate("document.querySelectorAll('#downloads a[download]').length").asInt());

            page.click("#waveform");
            double middle = page.evaluate("document.querySelector('#player').duration / 2").asDouble();
            awaitPlayerAt(page, middle, CLICK_TOLERANCE_S);
            page.click("#events .hold .time");
            awaitPlayerAt(page, 0.2, SEEK_TOLERANCE_S);
            page.screenshot(ARTIFACTS.resolve("qa-page-fixture-call.png"));

            JsonNode events = page.evaluate("import('/static/timeline.js').then(t => t.timelineEvents({"
                    + " holds: [{start_ms: 1000, end_ms: 2500}],"
                    + " realtime_sessions: [{index: 1, start_ms: 3000, end_ms: 5000, end_reason: 'caller_bye'},"
                    + "   {index: 0, start_ms: 0, end_ms: 3000, end_reason: 'rollover'}],"
                    + " dtmf: [{digit: '7', at_ms: 500, duration_ms: 160, direction: 'inbound'},"
                    + "   {digit: '#', at_ms: 3500, duration_ms: 100, direction: 'outbound'}],"
                    + " tool_calls: [{start_ms: 4000, end_ms: 4200, name: 'lookup_order'}],"
                    + " recording_paused: [{start_ms: 4500, end_ms: 6000, by: 'tool'}]}))");
            assertEquals(JSON.readTree("""
                    [{"kind":"dtmf","startMs":500,"label":"DTMF 7"},
                     {"kind":"hold","startMs":1000,"endMs":2500,"label":"On hold for 1.5 s"},
                     {"kind":"session","startMs":3000,
                      "label":"Realtime session 2 takes over (previous one: rollover)"},
                     {"kind":"dtmf","startMs":3500,"label":"DTMF # sent to the caller"},
                     {"kind":"tool","startMs":4000,"endMs":4200,"label":"Tool call lookup_order"},
                     {"kind":"tool","startMs":4500,"endMs":6000,"label":"Recording paused (by tool) for 1.5 s"}]"""),
                    events);
            assertEquals(List.of(), page.problems());
        }
    }

    private static void awaitRows(Page page, String... ids) throws InterruptedException {
        JsonNode expected = JSON.valueToTree(List.of(ids));
        page.waitFor(ROWS, expected::equals, TIMEOUT);
    }

    private static void awaitPlayerAt(Page page, double seconds, double tolerance) throws InterruptedException {
        page.waitFor("document.querySelector('#player').currentTime",
                t -> Math.abs(t.asDouble() - seconds) <= tolerance, TIMEOUT);
    }

    private static List<List<String>> list(Page page, String expression) throws InterruptedException {
        return JSON.convertValue(page.evaluate(expression),
                JSON.getTypeFactory().constructCollectionType(List.class, List.class));
    }
}
