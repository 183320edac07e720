package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.demoagent.DemoScript;
import gateway.testkit.Await;
import gateway.testkit.browser.Chromium;
import gateway.testkit.browser.Page;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real SIPp call with the demo agent (the caller speaks, the agent echoes, the caller hangs up once the reply has
 * played) seen by QA: call.json's analytics have a reply whose gap is the measured reply time, {@code /api/stats}
 * counts the call in its day with that reply time, and in headless Chromium the dashboard's bar for the day opens
 * the list with the call, whose page shows the analytics. Screenshot: {@code target/browser/dashboard-real-call.png}.
 */
@Tag("e2e")
class DashboardCallIT {

    private static final int RTP_MIN = 41_800;
    private static final Duration STEP_WITHIN = Duration.ofSeconds(30);
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path recordings;

    @Test
    void aRecordedCallIsCountedOnTheDashboardAndItsBarOpensIt() throws Exception {
        try (GatewayUnderIT gw = GatewayUnderIT.start(DemoScript.defaults(), RTP_MIN, recordings)) {
            Sipp.Running running = Sipp.scenario("uac_speech_cue.xml").start(gw.sipPort(), "dashboard");
            LiveRecording.of(recordings, STEP_WITHIN).awaitEchoPlayed(0, STEP_WITHIN);
            running.cue("the reply played to its end");
            Sipp.Result sipp = running.await();
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
            RecordedCall call = RecordedCall.awaitOnly(recordings, TIMEOUT);
            String id = call.json().text("id");
            JsonNode analytics = call.json().root().path("analytics");
            assertTrue(analytics.path("replies").asInt() >= 1, analytics.toString());
            long longestGap = 0;
            for (JsonNode gap : analytics.path("reply_gaps")) {
                longestGap = Math.max(longestGap, gap.path("end_ms").asLong() - gap.path("start_ms").asLong());
            }
            assertEquals(analytics.path("latency_max_ms").asLong(), longestGap, "the stretches are the replies");
            assertEquals(analytics.path("replies").asInt(), analytics.path("reply_gaps").size());
            assertEquals("caller", analytics.path("hung_up_by").asText());

            String base = "http://127.0.0.1:" + gw.httpPort();
            JsonNode day = awaitCounted(base);
            assertEquals("{\"caller_bye\":1}", day.path("end_reasons").toString());
            assertEquals(call.json().durationMs(), day.path("duration_ms").path("sum").asLong());
            assertEquals(analytics.path("latency_p95_ms").asLong(), day.path("latency_ms").path("p50").asLong());

            try (Chromium chromium = Chromium.launch(QaPageIT.ARTIFACTS)) {
                Page page = chromium.newPage();
                page.navigate(base + "/#/dashboard?bucket=day", TIMEOUT);
                page.waitFor("document.querySelector('#chart-calls rect')", TIMEOUT);
                assertEquals("1", page.evaluate("document.querySelector('#chart-calls rect').dataset.value").asText());
                assertEquals(analytics.path("latency_p95_ms").asLong(), page.evaluate(
                        "Number(document.querySelector('#chart-latency circle.p95').dataset.value)").asLong());
                page.screenshot(QaPageIT.ARTIFACTS.resolve("dashboard-real-call.png"));
                page.click("#chart-calls rect");
                page.waitFor("document.querySelector('#list-view').hidden ? null : [...document.querySelectorAll("
                        + "'#calls tbody tr')].map(r => r.dataset.callId)",
                        v -> v.equals(JSON.valueToTree(List.of(id))), TIMEOUT);
                page.click("#calls tbody tr a");
                page.waitFor("document.querySelector(\"#call-analytics dd[data-fact='Replies']\")?.textContent === '"
                        + analytics.path("replies").asInt() + "'", TIMEOUT);
                assertEquals(List.of(), page.problems());
            }
        }
    }

    /** The day bucket of {@code /api/stats} that counts the call, once one does. */
    private static JsonNode awaitCounted(String base) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest stats = HttpRequest.newBuilder(URI.create(base + "/api/stats?bucket=day")).build();
        JsonNode answer = Await.until(() -> {
            try {
                return JSON.readTree(http.send(stats, HttpResponse.BodyHandlers.ofString()).body());
            } catch (IOException e) {
                return JSON.createObjectNode().put("error", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return JSON.createObjectNode().put("error", e.toString());
            }
        }, body -> dayOfTheCall(body) != null, TIMEOUT, body -> "/api/stats says " + body);
        return dayOfTheCall(answer);
    }

    /** The one bucket with a call, or null while none has one. */
    private static JsonNode dayOfTheCall(JsonNode stats) {
        JsonNode found = null;
        for (JsonNode bucket : stats.path("buckets")) {
            if (bucket.path("calls").asInt() > 0) {
                found = bucket;
            }
        }
        return found;
    }
}
