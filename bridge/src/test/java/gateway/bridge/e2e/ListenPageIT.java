package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import gateway.demoagent.DemoScript;
import gateway.testkit.Signals;
import gateway.testkit.browser.Chromium;
import gateway.testkit.browser.Page;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A supervisor listens to a real SIPp call from the QA page in headless Chromium, on a gateway that requires a
 * token: the caller hums a quiet 1 kHz tone (below the model's speech threshold, so it never takes a turn), and once
 * the page hears it the supervisor has the agent say something, in its 440 Hz voice. The page lists the call in
 * progress, opens the listen socket with a ticket when Listen is clicked, and receives both sides; what it measured
 * on each channel (the pitch, from the samples it got) is compared with the recording of the same channel, and every
 * frame arrived less than a second after the call carried it. The reply's transcript appears beside it, the page
 * sees the call end, and the token and the ticket never appear in an address.
 */
@Tag("e2e")
class ListenPageIT {

    private static final int RTP_MIN = 39_500;
    private static final String TOKEN = "listen-page-token_0123456789abcdef";
    private static final String SAID = "Thank you for holding.";
    private static final int REPLY_MS = 4_000;
    private static final double AGENT_HZ = 440;
    private static final Duration STEP_WITHIN = Duration.ofSeconds(30);
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    /** Each side is heard for this long before the page's measures are taken. */
    private static final long HEARD_MS = 1_500;
    private static final long MAX_DELAY_MS = 1_000;
    /** Zero crossings against a Goertzel scan of 5 Hz steps: the same tone within 2 %. */
    private static final double SAME_PITCH = 0.02;

    @TempDir
    Path recordings;

    @Test
    void theSupervisorHearsBothSidesWithinASecondAndTheTranscript() throws Exception {
        DemoScript script = DemoScript.defaults().withToneMs(REPLY_MS);
        try (GatewayUnderIT gw = GatewayUnderIT.start(script, RTP_MIN, recordings,
                List.of("--http.api-token=" + TOKEN))) {
            Sipp.Running running = Sipp.scenario("uac_tone_cue.xml").start(gw.sipPort(), "listen-page");
            String base = "http://127.0.0.1:" + gw.httpPort();
            String id = gw.awaitOneCallTalking(TOKEN, STEP_WITHIN).path("id").asText();

            JsonNode heard;
            try (Chromium chromium = Chromium.launch(QaPageIT.ARTIFACTS)) {
                Page page = chromium.newPage();
                page.navigate(base + "/", TIMEOUT);
                page.waitFor("!document.querySelector('#auth-view').hidden", TIMEOUT);
                page.type("#token", TOKEN);
                page.click("#auth-form button[type=submit]");
                String listen = "#active-calls tr[data-id=" + Page.quote(id) + "] button.listen";
                page.waitFor("document.querySelector(" + Page.quote(listen) + ")", TIMEOUT);
                page.click(listen);

                String stats = "document.querySelector('#live-stats').dataset";
                page.waitFor("Number(" + stats + ".callerLoudMs) >= " + HEARD_MS, STEP_WITHIN);
                assertEquals(200, gw.act(id, "say", "{\"text\":\"" + SAID + "\"}", TOKEN));
                heard = page.waitFor("(() => { const d = " + stats + "; return Number(d.callerLoudMs) >= "
                        + HEARD_MS + " && Number(d.assistantLoudMs) >= " + HEARD_MS + " && {...d}; })()",
                        STEP_WITHIN);
                page.waitFor("[...document.querySelectorAll('#live-transcript li.assistant')]"
                        + ".some(li => li.textContent.endsWith(" + Page.quote(SAID) + "))", STEP_WITHIN);
                page.screenshot(QaPageIT.ARTIFACTS.resolve("listen-page.png"));
                running.cue("the page heard both sides");
                Sipp.Result sipp = running.await();
                assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
                page.waitFor(stats + ".ended === 'true'", STEP_WITHIN);
                JsonNode end = page.evaluate("({..." + stats + "})");
                assertTrue(end.path("callerMaxDelayMs").asLong() < MAX_DELAY_MS
                        && end.path("assistantMaxDelayMs").asLong() < MAX_DELAY_MS, "every frame within 1 s: " + end);
                assertFalse(page.requestUrls().stream().anyMatch(u -> u.contains(TOKEN) || u.contains("ticket.")
                                || u.contains("ticket=")),
                        "neither the token nor the ticket is in an address: " + page.requestUrls());
                assertEquals(List.of(), page.problems());
            }

            RecordedCall call = RecordedCall.awaitOnly(recordings, STEP_WITHIN);
            double callerHz = pitch(call.caller(), Sipp.TONE_HZ);
            double agentHz = pitch(call.assistant(), AGENT_HZ);
            assertEquals(Sipp.TONE_HZ, callerHz, Sipp.TONE_HZ * SAME_PITCH, "the caller's tone is recorded");
            assertEquals(AGENT_HZ, agentHz, AGENT_HZ * SAME_PITCH, "the agent's voice is recorded");
            assertEquals(callerHz, heard.path("callerHz").asDouble(), callerHz * SAME_PITCH,
                    "the page heard the caller's channel as recorded: " + heard);
            assertEquals(agentHz, heard.path("assistantHz").asDouble(), agentHz * SAME_PITCH,
                    "the page heard the assistant's channel as recorded: " + heard);
            assertTrue(heard.path("callerMaxDelayMs").asLong() < MAX_DELAY_MS
                    && heard.path("assistantMaxDelayMs").asLong() < MAX_DELAY_MS, heard.toString());
        }
    }

    /** The dominant frequency of the channel's loud stretch around {@code near} Hz (a Goertzel scan of 5 Hz steps). */
    private static double pitch(short[] channel, double near) {
        List<Signals.Segment> loud = Signals.activity(channel, RecordedCall.SAMPLE_RATE, 20, 50, 200);
        assertFalse(loud.isEmpty(), "the channel has sound");
        Signals.Segment longest = loud.stream().max((a, b) -> Long.compare(a.endMs() - a.startMs(),
                b.endMs() - b.startMs())).orElseThrow();
        int from = (int) (longest.startMs() * 24) + 480;
        int to = Math.min((int) (longest.endMs() * 24) - 480, from + 24_000);
        return Signals.dominantFrequency(channel, from, to, RecordedCall.SAMPLE_RATE, 5, 2 * near);
    }
}
