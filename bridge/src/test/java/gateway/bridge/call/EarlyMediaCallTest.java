package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import gateway.testkit.WavReader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Early media on the manual clock ({@code agent.early-media: consent}, RFC 3960): a 183 with our SDP instead of the
 * 180, the consent prompt played and recorded from sample 0, the Realtime session opened only once it has played,
 * then the 200; a CANCEL during it keeps the recording and opens no session.
 */
class EarlyMediaCallTest {

    private static final int PROMPT_MS = 600;
    private static final String EARLY = "183 203.0.113.5:" + CallFixture.GATEWAY_RTP.getPort();
    private static final String OK = "200 203.0.113.5:" + CallFixture.GATEWAY_RTP.getPort();

    @TempDir
    Path dir;

    private CallFixture fx;
    private final short[] prompt = CallTest.agentTone(PROMPT_MS);

    @AfterEach
    void close() {
        if (fx != null) {
            fx.close();
        }
    }

    private CallFixture fixture(int answerDelayMs) {
        fx = new CallFixture(dir, CallFixture.policy(), new ConsentPrompt(prompt),
                AgentProfile.of(CallFixture.SESSION, true).withEarlyMedia(true), answerDelayMs);
        return fx;
    }

    /** The first session says it is created and configured, as the service does. */
    private void sessionReady() {
        ScriptedRealtime.Session session = fx.realtime.last();
        session.created("sess_1", CallFixture.EPOCH_SECONDS + 3600);
        session.updated("sess_1", CallFixture.EPOCH_SECONDS + 3600);
        fx.scheduler.runDue();
    }

    @Test
    void thePromptPlaysInA183ThenTheSessionOpensAndThe200RepeatsTheAnswer() throws Exception {
        CallFixture.Line line = fixture(0).place(FakeDialog.PCMU);
        assertEquals(List.of(EARLY), line.dialog.actions, "a 183 with our SDP, no 180");
        fx.advanceMillis(300);
        assertEquals(16, line.loudPacketsSince(0), "the prompt's first 320 ms went out (frames at 0, 20 … 300 ms)");
        assertTrue(fx.realtime.sessions.isEmpty(), "no Realtime session while the prompt plays");

        fx.advanceMillis(PROMPT_MS - 300 - 20);
        assertEquals(30, line.loudPacketsSince(0), "the whole prompt, once");
        assertTrue(fx.realtime.sessions.isEmpty(), "its last frame went out but has not played out yet");
        fx.advanceMillis(40);
        assertEquals(1, fx.realtime.sessions.size(), "the session opens once the prompt has played");
        assertEquals(List.of(EARLY), line.dialog.actions, "no 200 before the session is ready");
        fx.advanceMillis(200);
        sessionReady();
        assertEquals(List.of(EARLY, OK), line.dialog.actions);
        long answeredMs = PROMPT_MS + 220;

        fx.talk(400, line);
        assertEquals(20 * 480, fx.realtime.session(0).appendedSamples(), "the caller is heard from the 200 on");
        line.hangUp();
        JsonNode json = line.callJson();
        assertEquals(0, json.path("early_media").path("start_ms").asLong());
        assertEquals(answeredMs, json.path("early_media").path("answered_ms").asLong(), 20);
        JsonNode turn = json.path("turns").path(0);
        assertEquals(ConsentPrompt.ITEM_ID, turn.path("item_id").asText());
        assertEquals(0, turn.path("start_ms").asLong());
        assertEquals(PROMPT_MS, turn.path("end_ms").asLong());
        assertEquals(1, json.path("turns").size(), "the prompt is not played again after the answer");
        short[] assistant = WavReader.read(line.directory().resolve("audio.wav")).channel(1);
        for (int i = 0; i < prompt.length; i++) {
            if (assistant[i] != prompt[i]) {
                throw new AssertionError("the assistant channel holds the prompt from sample 0; differs at " + i);
            }
        }
    }

    @Test
    void aCancelDuringTheEarlyMediaKeepsWhatWasHeardAndOpensNoSession() throws Exception {
        CallFixture.Line line = fixture(0).place(FakeDialog.PCMU);
        fx.advanceMillis(200);
        line.dialog.listener.onCancel();
        fx.scheduler.runDue();
        fx.advanceMillis(PROMPT_MS);
        assertEquals(0, fx.realtime.connects(), "no Realtime connection for a caller who gave up");
        assertEquals(List.of(EARLY), line.dialog.actions, "no 200, and no BYE: the SIP layer answered the CANCEL");

        JsonNode json = line.callJson();
        assertEquals("cancelled", json.path("end_reason").asText());
        assertEquals(0, json.path("early_media").path("start_ms").asLong());
        assertTrue(json.path("early_media").path("answered_ms").isMissingNode(), json.toString());
        assertEquals(200, json.path("duration_ms").asLong(), 20);
        short[] assistant = WavReader.read(line.directory().resolve("audio.wav")).channel(1);
        for (int i = 0; i < 180 * 24; i++) {
            if (assistant[i] != prompt[i]) {
                throw new AssertionError("the prompt the caller heard is recorded; differs at " + i);
            }
        }
    }

    @Test
    void aLongerAnswerDelayHoldsThe200AfterThePromptAndTheSession() throws Exception {
        CallFixture.Line line = fixture(2000).place(FakeDialog.PCMU);
        fx.advanceMillis(PROMPT_MS + 20);
        sessionReady();
        fx.advanceMillis(1000);
        assertEquals(List.of(EARLY), line.dialog.actions, "sip.answer-delay-ms still counts from the INVITE");
        fx.advanceMillis(400);
        assertEquals(List.of(EARLY, OK), line.dialog.actions);
        line.hangUp();
        assertEquals(2000, line.callJson().path("early_media").path("answered_ms").asLong(), 20);
    }

    @Test
    void aLateOfferRingsAndPlaysThePromptAfterTheAnswerAsWithoutEarlyMedia() throws Exception {
        CallFixture.Line line = fixture(0).place(null);
        assertEquals(List.of("180"), line.dialog.actions, "no SDP answer can go in a 183 for a late offer");
        assertEquals(1, fx.realtime.sessions.size());
        sessionReady();
        assertEquals("180", line.dialog.actions.get(0));
        assertTrue(line.dialog.actions.get(1).startsWith("200 "), line.dialog.actions.toString());
        line.hangUp();
        JsonNode json = line.callJson();
        assertTrue(json.path("early_media").isMissingNode(), json.toString());
        assertEquals(ConsentPrompt.ITEM_ID, json.path("turns").path(0).path("item_id").asText());
    }

    @Test
    void noSessionAfterThePromptRefusesTheCallWith503AndKeepsTheRecording() throws Exception {
        fixture(0).realtime.refuseFrom(1);
        CallFixture.Line line = fx.place(FakeDialog.PCMU);
        fx.advanceMillis(PROMPT_MS - 40);
        assertEquals(0, fx.realtime.connects(), "nothing is asked of the service while the prompt plays");
        fx.advanceMillis(60_000);
        assertTrue(fx.realtime.connects() >= 1);
        assertEquals(EARLY, line.dialog.actions.get(0));
        assertTrue(line.dialog.actions.contains("503 Service Unavailable"), line.dialog.actions.toString());
        assertFalse(line.dialog.actions.contains(OK));
        JsonNode json = line.callJson();
        assertEquals("realtime_unavailable", json.path("end_reason").asText());
    }
}
