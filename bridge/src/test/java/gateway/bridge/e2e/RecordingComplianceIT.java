package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import gateway.bridge.call.ConsentPrompt;
import gateway.demoagent.DemoConnection;
import gateway.testkit.Await;
import gateway.testkit.Signals;
import gateway.testkit.WavWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compliance on a real SIPp call: the consent announcement is played before the agent and recorded on the assistant
 * channel; QA pauses the recording through the API once the caller has said something, the caller speaks again
 * while it is paused (the model hears it, the recording does not), QA resumes it and the caller speaks a third time.
 * The paused stretch is silence on both channels, listed in call.json, while the rest of the call is recorded as
 * usual.
 */
@Tag("e2e")
class RecordingComplianceIT {

    private static final int RTP_MIN = 34_500;
    private static final int ANNOUNCEMENT_MS = 800;
    /** The edge of a pause falls within one 20 ms frame of where call.json puts it. */
    private static final long EDGE_MS = 40;
    /**
     * Sample 0 is taken just before the 200 OK is built, and SIPp logs that 200 a little later; a pause starts when
     * the call's loop takes the API's request. Each may take longer on a busy machine: the pause's edges lie up to
     * this much later than the API's answers, measured from SIPp's 200.
     */
    private static final long HANDLING_SLACK_MS = 250;
    /** The recorded speech against the JDK-decoded, linearly resampled reference: about 0.995 when it is there. */
    private static final double SPEECH_SCORE = 0.8;
    /** Deadline for each step of the call; ends a failing test only. */
    private static final Duration STEP_WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path recordings;
    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** One API request: local time just before it was sent and just after its answer came. */
    private record Request(LocalDateTime sent, LocalDateTime answered, int status) {
    }

    @Test
    void theAnnouncementPlaysFirstAndAPauseFromTheApiLeavesSilenceListedInCallJson() throws Exception {
        short[] announcement = tone(ANNOUNCEMENT_MS, 600);
        Path wav = work.resolve("consent.wav");
        WavWriter.write(wav, 24_000, announcement);
        try (GatewayUnderIT gw = GatewayUnderIT.start(GatewayUnderIT.wholeReplies(), RTP_MIN, recordings,
                List.of("--recordings.consent-prompt=" + wav))) {
            Sipp.Running running = Sipp.scenario("uac_three_turns.xml").start(gw.sipPort(), "compliance");
            String id = LiveRecording.of(recordings, STEP_WITHIN).dir().getFileName().toString();
            // The model takes an utterance once it has had all of it: by then the call recorded all of it too.
            awaitCallerItems(gw, 1);
            Request pause = post(gw, "/api/calls/" + id + "/pause-recording");
            assertEquals(200, pause.status());
            running.cue("the recording was paused");
            awaitCallerItems(gw, 2);
            Request resume = post(gw, "/api/calls/" + id + "/resume-recording");
            assertEquals(200, resume.status());
            running.cue("the recording was resumed");
            awaitCallerItems(gw, 3);
            running.cue("the model took the third utterance");
            Sipp.Result sipp = running.await();
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());

            RecordedCall recorded = RecordedCall.awaitOnly(recordings, STEP_WITHIN);
            CallJson json = recorded.json();
            JsonNode pauses = json.root().path("recording_paused");
            assertEquals(1, pauses.size(), json.toString());
            assertEquals("api", pauses.get(0).path("by").asText(), json.toString());
            long start = pauses.get(0).path("start_ms").asLong();
            long end = pauses.get(0).path("end_ms").asLong();
            SipMessage answered = sipp.response(200, "INVITE");
            assertBetween(start, pause, answered, "start");
            assertBetween(end, resume, answered, "end");

            int rate = RecordedCall.SAMPLE_RATE;
            short[] caller = recorded.caller();
            short[] assistant = recorded.assistant();
            assertEquals(0, Signals.rmsMs(caller, rate, start + EDGE_MS, end - EDGE_MS), 1e-9,
                    "the caller is not recorded while paused, though SIPp said its second utterance then");
            assertEquals(0, Signals.rmsMs(assistant, rate, start + EDGE_MS, end - EDGE_MS), 1e-9);
            List<Signals.Segment> spoken = Signals.activity(caller, rate, 20, CallIsAnsweredAndRecordedIT.SPEECH_RMS,
                    CallIsAnsweredAndRecordedIT.WORD_GAP_MS);
            assertEquals(2, spoken.size(), "the first and the third utterance, not the second: " + spoken);
            assertTrue(spoken.get(0).endMs() <= start + EDGE_MS, "the first before the pause: " + spoken);
            assertTrue(spoken.get(1).startMs() >= end - EDGE_MS, "the third after the resume: " + spoken);
            short[] reference = Speech.shortReference("speech_short.ulaw");
            for (Signals.Segment said : spoken) {
                int at = (int) (said.startMs() * rate / 1000);
                Signals.Match m = Signals.bestMatch(caller, reference, Math.max(0, at - rate / 10), at + rate / 10);
                assertTrue(m.score() >= SPEECH_SCORE, "recorded as said: " + said + ", " + m);
            }

            JsonNode turn = json.root().path("turns").path(0);
            assertEquals(ConsentPrompt.ITEM_ID, turn.path("item_id").asText());
            long skipped = Echoes.skippedTicks(gw);
            long turnStart = turn.path("start_ms").asLong();
            assertEquals(0, turnStart, Echoes.TICK_MS * (1 + skipped), "the announcement plays at the answer");
            int holes = assertPlayedInWholeFrames(assistant, announcement, (int) (turnStart * rate / 1000), skipped);
            assertEquals(ANNOUNCEMENT_MS + holes * Echoes.TICK_MS,
                    turn.path("end_ms").asLong() - turnStart, Echoes.TICK_MS, turn.toString());
        }
    }

    /** A pause edge at {@code ms} (recording time) lies between the request and its answer, relative to the answer. */
    private static void assertBetween(long ms, Request request, SipMessage answered, String what) {
        long sent = Duration.between(answered.time(), request.sent()).toMillis();
        long done = Duration.between(answered.time(), request.answered()).toMillis();
        // -1: both clocks are cut to whole milliseconds; a pause edge is a frame edge.
        assertTrue(ms >= sent - 1 - EDGE_MS && ms <= done + HANDLING_SLACK_MS, "pause " + what + " at " + ms
                + " ms, QA asked at " + sent + " ms and had the answer at " + done + " ms after SIPp's 200");
    }

    /**
     * Asserts that {@code channel} holds {@code sound} sample for sample from about {@code at} (within a frame), in
     * whole 20 ms frames of which at most {@code skippedTicks} may be silent (ticks the gateway skipped, after which
     * the sound goes on where it stopped); returns how many were.
     */
    private static int assertPlayedInWholeFrames(short[] channel, short[] sound, int at, long skippedTicks) {
        int start = -1;
        for (int i = Math.max(0, at - Echoes.FRAME); i <= at + Echoes.FRAME && start < 0; i++) {
            if (i + Echoes.FRAME <= channel.length
                    && Arrays.equals(channel, i, i + Echoes.FRAME, sound, 0, Echoes.FRAME)) {
                start = i;
            }
        }
        assertTrue(start >= 0, "the sound's first frame within a frame of sample " + at);
        int holes = 0;
        for (int played = 0, i = start; played < sound.length; i += Echoes.FRAME) {
            int n = Math.min(Echoes.FRAME, sound.length - played);
            assertTrue(i + n <= channel.length, "the sound is cut short at " + played + " of " + sound.length);
            if (Arrays.equals(channel, i, i + n, new short[n], 0, n)) {
                holes++;
                assertTrue(holes <= skippedTicks, holes + " silent frames in the sound at " + i + ", "
                        + skippedTicks + " ticks skipped");
            } else {
                assertTrue(Arrays.equals(channel, i, i + n, sound, played, played + n),
                        "sample for sample from " + start + ": differs in the frame at " + i);
                played += n;
            }
        }
        return holes;
    }

    /** Waits until the model has taken {@code n} of the caller's utterances (its user items). */
    private static void awaitCallerItems(GatewayUnderIT gw, int n) throws InterruptedException {
        DemoConnection session = gw.agent().connection(1);
        Await.until(() -> session.conversation().stream().filter(i -> i.role().equals("user")).count() >= n,
                STEP_WITHIN, () -> "the model took caller utterance " + n + ": " + session.conversation());
    }

    private Request post(GatewayUnderIT gw, String path) throws Exception {
        LocalDateTime sent = LocalDateTime.now();                   // the clock SIPp's message log uses
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gw.httpPort() + path)).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        return new Request(sent, LocalDateTime.now(), response.statusCode());
    }

    private static short[] tone(int ms, double hz) {
        return Signals.sine(hz, 24_000, 9000, ms * 24);
    }
}
