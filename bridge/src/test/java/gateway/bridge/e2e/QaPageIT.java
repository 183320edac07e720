package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.demoagent.DemoScript;
import gateway.library.Role;
import gateway.testkit.Await;
import gateway.testkit.browser.Chromium;
import gateway.testkit.browser.Page;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * QA's page in headless Chromium after a real SIPp call (the caller hangs up once the agent's reply has played), on
 * a gateway that requires an API token: the page asks for the token, lists the call, plays its recording (fetched
 * with the token header, played from a blob: URL), shows call.json's transcript with speaker labels, seeks the
 * player when a turn is clicked, draws its waveform from the recording's own samples and downloads call.json
 * unchanged. The token never appears in a request's address, and the page reports no script error or
 * Content-Security-Policy violation. Screenshots go to {@code target/browser/}.
 */
@Tag("e2e")
class QaPageIT {

    private static final int RTP_MIN = 33_800;
    private static final String TOKEN = "qa-page-token_0123456789abcdef";
    /** Deadline for each step of the call (the echo has played some 7.7 s after the ACK); ends a failing test only. */
    private static final Duration STEP_WITHIN = Duration.ofSeconds(30);
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    static final Path ARTIFACTS = Path.of("target", "browser");
    /** HTMLMediaElement.HAVE_ENOUGH_DATA: the whole recording is in the blob, so the player gets there. */
    private static final int HAVE_ENOUGH_DATA = 4;
    /** The player's duration against call.json's duration_ms, which is the WAV's length in whole milliseconds. */
    private static final double DURATION_TOLERANCE_S = 0.002;
    /** A seek lands on the turn's start; media time is a double, so 4.169 may read back as 4.168999. */
    private static final double SEEK_TOLERANCE_S = 0.001;
    private static final int PEAK_BUCKETS = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path recordings;
    @TempDir
    Path downloads;

    @Test
    void qaFindsTheCallPlaysItAndSeeksToATurn() throws Exception {
        try (GatewayUnderIT gw = GatewayUnderIT.start(DemoScript.defaults(), RTP_MIN, recordings,
                List.of("--http.api-token=" + TOKEN))) {
            Sipp.Running running = Sipp.scenario("uac_speech_cue.xml").start(gw.sipPort(), "qa-page");
            LiveRecording.of(recordings, STEP_WITHIN).awaitEchoPlayed(0, STEP_WITHIN);
            running.cue("the reply played to its end");
            Sipp.Result sipp = running.await();
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
            RecordedCall call = RecordedCall.awaitOnly(recordings, TIMEOUT);
            String id = call.json().text("id");
            String base = "http://127.0.0.1:" + gw.httpPort();
            awaitListed(base, id);
            CallJson.Turn callerTurn = call.json().turns("caller").get(0);
            CallJson.Turn assistantTurn = call.json().turns("assistant").get(0);

            try (Chromium chromium = Chromium.launch(ARTIFACTS)) {
                chromium.allowDownloads(downloads);
                Page page = chromium.newPage();
                page.navigate(base + "/", TIMEOUT);

                page.waitFor("!document.querySelector('#auth-view').hidden", TIMEOUT);
                page.type("#token", TOKEN);
                page.click("#auth-form button[type=submit]");
                String row = "#calls tr[data-call-id=" + Page.quote(id) + "]";
                page.waitFor("document.querySelector(" + Page.quote(row) + ")", TIMEOUT);
                assertEquals(List.of(call.json().text("from"), call.json().text("to"), "caller_bye"),
                        texts(page, row + " td:nth-child(2), " + row + " td:nth-child(3), " + row
                                + " td:nth-child(5)"));
                assertEquals(1, page.evaluate("document.querySelectorAll('#calls tbody tr').length").asInt());
                page.screenshot(ARTIFACTS.resolve("qa-page-list.png"));

                page.click(row + " a");
                JsonNode player = page.waitFor("(() => { const p = document.querySelector('#player');"
                        + " return p.readyState === " + HAVE_ENOUGH_DATA + " && {duration: p.duration,"
                        + " src: p.currentSrc}; })()", TIMEOUT);
                assertEquals(call.json().durationMs() / 1000.0, player.get("duration").asDouble(),
                        DURATION_TOLERANCE_S, player.toString());
                assertTrue(player.get("src").asText().startsWith("blob:"), player.toString());

                assertEquals(expectedTranscript(call.json()), shownTranscript(page));

                page.click("#transcript .turn.assistant .text");
                awaitPlayerAt(page, assistantTurn);
                page.click("#transcript .turn.caller .text");
                awaitPlayerAt(page, callerTurn);
                page.waitFor("document.querySelector('#transcript .turn.caller').getAttribute('aria-current')"
                        + " === 'true'", TIMEOUT);

                for (int channel = 0; channel < 2; channel++) {
                    assertArrayEquals(peaks(call.wav().channel(channel), PEAK_BUCKETS),
                            pagePeaks(page, id, channel), "channel " + channel);
                }

                String guid = page.download("#downloads a[href=" + Page.quote("/api/calls/" + id) + "]", TIMEOUT);
                assertArrayEquals(Files.readAllBytes(call.dir().resolve("call.json")),
                        Files.readAllBytes(downloads.resolve(guid)));

                page.screenshot(ARTIFACTS.resolve("qa-page-call.png"));
                assertTrue(page.requestUrls().stream().anyMatch(u -> u.endsWith("/audio.wav")),
                        page.requestUrls().toString());
                assertFalse(page.requestUrls().stream().anyMatch(u -> u.contains(TOKEN)),
                        "the token is never in an address: " + page.requestUrls());
                assertEquals(0, page.evaluate("localStorage.length").asInt(), "the token is not kept beyond the tab");
                assertEquals(List.of(), page.problems());
            }
        }
    }

    /** Waits for the player's position to be the start of {@code turn}; fails with where it is instead. */
    private static void awaitPlayerAt(Page page, CallJson.Turn turn) throws InterruptedException {
        double expected = turn.startMs() / 1000.0;
        page.waitFor("document.querySelector('#player').currentTime",
                t -> Math.abs(t.asDouble() - expected) <= SEEK_TOLERANCE_S, TIMEOUT);
    }

    private static List<List<String>> expectedTranscript(CallJson json) {
        return json.turns().stream()
                .map(t -> List.of(Role.valueOf(t.role().toUpperCase(Locale.ROOT)).label(), t.text()))
                .toList();
    }

    private static List<List<String>> shownTranscript(Page page) throws InterruptedException {
        JsonNode shown = page.evaluate("[...document.querySelectorAll('#transcript .turn')].map(t =>"
                + " [t.querySelector('.speaker').textContent, t.querySelector('.text').textContent])");
        return JSON.convertValue(shown, JSON.getTypeFactory().constructCollectionType(List.class, List.class));
    }

    private static List<String> texts(Page page, String selector) throws InterruptedException {
        JsonNode texts = page.evaluate("[...document.querySelectorAll(" + Page.quote(selector)
                + ")].map(e => e.textContent)");
        return JSON.convertValue(texts, JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    }

    /** The page's own WAV reader and peak finder (wav.js) run on the recording fetched as the page fetches it. */
    private static int[] pagePeaks(Page page, String id, int channel) throws InterruptedException {
        JsonNode peaks = page.evaluate("import('/static/wav.js').then(async wav => {"
                + " const r = await fetch('/api/calls/' + " + Page.quote(id) + " + '/audio.wav',"
                + " {headers: {Authorization: 'Bearer ' + sessionStorage.getItem('gateway.api-token')}});"
                + " return Array.from(wav.peaks(wav.parseWav(await r.arrayBuffer()), " + channel + ", "
                + PEAK_BUCKETS + ")); })");
        return JSON.convertValue(peaks, int[].class);
    }

    /** The lowest and highest sample (counting 0) of each of {@code buckets} equal stretches, as wav.js has them. */
    static int[] peaks(short[] samples, int buckets) {
        int[] out = new int[2 * buckets];
        for (int b = 0; b < buckets; b++) {
            int from = (int) ((long) b * samples.length / buckets);
            int to = (int) ((long) (b + 1) * samples.length / buckets);
            int min = 0;
            int max = 0;
            for (int i = from; i < to; i++) {
                min = Math.min(min, samples[i]);
                max = Math.max(max, samples[i]);
            }
            out[2 * b] = min;
            out[2 * b + 1] = max;
        }
        return out;
    }

    private static void awaitListed(String base, String id) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest list = HttpRequest.newBuilder(URI.create(base + "/api/calls"))
                .header("Authorization", "Bearer " + TOKEN).build();
        Await.until(() -> {
            try {
                return http.send(list, HttpResponse.BodyHandlers.ofString()).body();
            } catch (IOException e) {
                return e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return e.toString();
            }
        }, body -> body.contains("\"id\":\"" + id + "\""), TIMEOUT, body -> "the API lists " + body);
    }
}
