package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import gateway.bridge.call.ConsentPrompt;
import gateway.testkit.Await;
import gateway.testkit.Signals;
import gateway.testkit.WavWriter;
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
 * Compliance on a real SIPp call: the consent announcement is played before the agent and recorded on the assistant
 * channel; QA pauses the recording through the API while the caller talks, and the paused stretch is silence on both
 * channels, listed in call.json, while the rest of the call is recorded as usual.
 */
@Tag("e2e")
class RecordingComplianceIT {

    private static final int RTP_MIN = 34_500;
    /** The caller stays this long after the ACK: the speech (3.5 s) and an echo of part of it. */
    private static final long HOLD_MS = 6_000;
    private static final int ANNOUNCEMENT_MS = 800;
    /** When QA pauses and resumes, after the call's directory appears (the answer). */
    private static final long PAUSE_AFTER_MS = 1_200;
    private static final long RESUME_AFTER_MS = 2_200;
    /** The edge of a pause falls within one 20 ms frame of where call.json puts it. */
    private static final long EDGE_MS = 40;

    @TempDir
    Path recordings;
    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void theAnnouncementPlaysFirstAndAPauseFromTheApiLeavesSilenceListedInCallJson() throws Exception {
        short[] announcement = tone(ANNOUNCEMENT_MS, 600);
        Path wav = work.resolve("consent.wav");
        WavWriter.write(wav, 24_000, announcement);
        try (GatewayUnderIT gw = GatewayUnderIT.start(GatewayUnderIT.wholeReplies(), RTP_MIN, recordings,
                List.of("--recordings.consent-prompt=" + wav))) {
            Sipp.Running call = Sipp.scenario("uac_speech.xml").pauseMs(HOLD_MS).start(gw.sipPort(), "compliance");
            Path dir = Await.until(() -> {
                try {
                    return Recordings.callDirs(recordings);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, dirs -> dirs.size() == 1, Duration.ofSeconds(10), Object::toString).get(0);
            long answered = System.nanoTime();
            String id = dir.getFileName().toString();
            waitUntil(answered, PAUSE_AFTER_MS);
            assertEquals(200, post(gw, "/api/calls/" + id + "/pause-recording").statusCode());
            waitUntil(answered, RESUME_AFTER_MS);
            assertEquals(200, post(gw, "/api/calls/" + id + "/resume-recording").statusCode());
            Sipp.Result sipp = call.await();
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());

            RecordedCall recorded = RecordedCall.awaitOnly(recordings, Duration.ofSeconds(10));
            CallJson json = recorded.json();
            JsonNode pause = json.root().path("recording_paused").path(0);
            assertEquals("api", pause.path("by").asText(), json.toString());
            long start = pause.path("start_ms").asLong();
            long end = pause.path("end_ms").asLong();
            assertEquals(RESUME_AFTER_MS - PAUSE_AFTER_MS, end - start, 300, "paused for about a second: " + pause);
            int rate = RecordedCall.SAMPLE_RATE;
            short[] caller = recorded.caller();
            short[] assistant = recorded.assistant();
            assertEquals(0, Signals.rmsMs(caller, rate, start + EDGE_MS, end - EDGE_MS), 1e-9,
                    "the caller is not recorded while paused, though SIPp kept talking");
            assertEquals(0, Signals.rmsMs(assistant, rate, start + EDGE_MS, end - EDGE_MS), 1e-9);
            assertTrue(Signals.rmsMs(caller, rate, end + EDGE_MS, end + 600) > CallIsAnsweredAndRecordedIT.SPEECH_RMS,
                    "recorded again right after the resume");
            assertTrue(Signals.rmsMs(caller, rate, start - 600, start - EDGE_MS)
                    > CallIsAnsweredAndRecordedIT.SPEECH_RMS, "and up to the pause");

            Signals.Match first = Signals.bestMatch(assistant, announcement, 0, rate / 10);
            assertTrue(first.score() > 0.99, "the announcement opens the assistant channel: " + first);
            assertEquals(0, first.lagMs(rate), 20, "at the answer");
            JsonNode turn = json.root().path("turns").path(0);
            assertEquals(ConsentPrompt.ITEM_ID, turn.path("item_id").asText());
            assertEquals(ANNOUNCEMENT_MS, turn.path("end_ms").asLong() - turn.path("start_ms").asLong(), 20);
        }
    }

    private HttpResponse<String> post(GatewayUnderIT gw, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.httpPort() + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until {@code ms} after {@code since}: the moment QA acts, not a guess at when something is done. */
    private static void waitUntil(long since, long ms) throws InterruptedException {
        long left = since + ms * 1_000_000L - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000L, (int) (left % 1_000_000L));
        }
    }

    private static short[] tone(int ms, double hz) {
        return Signals.sine(hz, 24_000, 9000, ms * 24);
    }
}
