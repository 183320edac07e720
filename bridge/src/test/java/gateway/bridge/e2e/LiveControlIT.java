package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import gateway.demoagent.DemoAgent;
import gateway.demoagent.DemoConnection;
import gateway.demoagent.DemoScript;
import gateway.testkit.Await;
import gateway.testkit.Signals;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A supervisor steers a real SIPp call through the active calls API: the call is listed as it runs; new
 * instructions reach the model as a {@code session.update} naming them alone; a text to say reaches it as a
 * conversation item and a response, after the echo under way (the model never sees two responses at once), and is
 * played and recorded; the hang-up sends the caller a BYE. call.json lists the three actions, by whom and when, and
 * ends with {@code api_hangup}. Each step waits on what the previous one caused, never on a pause.
 */
@Tag("e2e")
class LiveControlIT {

    private static final int RTP_MIN = 39_300;
    private static final Duration STEP_WITHIN = Duration.ofSeconds(30);
    private static final String INSTRUCTIONS = "From now on, answer in French.";
    private static final String SAID = "A colleague will call you back within the hour.";
    private static final long TONE_MS = 800;
    /** The tone correlates perfectly with itself; anything else does not. */
    private static final double SAME_SOUND = 0.99;

    @TempDir
    Path recordings;

    @Test
    void aSupervisorChangesTheInstructionsHasTheAgentSaySomethingAndHangsUp() throws Exception {
        DemoScript script = GatewayUnderIT.wholeReplies().withToneMs(TONE_MS).withRecordFrames(true);
        try (GatewayUnderIT gw = GatewayUnderIT.start(script, RTP_MIN, recordings)) {
            Sipp.Running running = Sipp.scenario("uac_gateway_hangs_up.xml").start(gw.sipPort(), "live-control");
            JsonNode call = gw.awaitOneCallTalking(null, STEP_WITHIN);
            String id = call.path("id").asText();
            assertTrue(call.path("from").asText().startsWith("sip:sipp@"), call.toString());
            assertTrue(call.path("answered_at").asText().compareTo(call.path("started_at").asText()) >= 0,
                    call.toString());
            DemoConnection session = gw.agent().connection(1);

            assertEquals(200, gw.act(id, "instructions", "{\"instructions\":\"" + INSTRUCTIONS + "\"}", null));
            String update = "{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\",\"instructions\":\""
                    + INSTRUCTIONS + "\"}}";
            Await.until(() -> session.receivedFrames().contains(update), STEP_WITHIN,
                    () -> "the model got the new instructions alone: " + session.receivedFrames());

            gw.awaitReplyPlaying(1, 100, STEP_WITHIN);
            assertEquals(200, gw.act(id, "say", "{\"text\":\"" + SAID + "\"}", null));
            Await.until(() -> session.responseRequests().stream().anyMatch(r -> r.endsWith(SAID)), STEP_WITHIN,
                    () -> "the model was asked to say it: " + session.responseRequests());
            assertTrue(session.conversation().stream().anyMatch(i -> i.role().equals("system")
                    && i.text().endsWith(SAID)), "the text is a conversation item: " + session.conversation());
            String asked = session.responseRequests().get(session.responseRequests().size() - 1);
            assertTrue(asked.startsWith(INSTRUCTIONS), "on the new instructions: " + asked);
            gw.awaitReplyPlaying(2, TONE_MS, STEP_WITHIN);

            assertEquals(200, gw.act(id, "hangup", "{}", null));
            Sipp.Result sipp = running.await();
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), "SIPp took the gateway's BYE: " + sipp.describe());
            assertEquals(List.of(), session.refusals(), "never two responses at once, nothing refused");

            RecordedCall recorded = RecordedCall.awaitOnly(recordings, STEP_WITHIN);
            CallJson json = recorded.json();
            assertEquals("api_hangup", json.text("end_reason"), json.toString());
            JsonNode actions = json.root().path("actions");
            assertEquals(3, actions.size(), json.toString());
            assertAction(actions.get(0), "instructions", INSTRUCTIONS);
            assertAction(actions.get(1), "say", SAID);
            assertAction(actions.get(2), "hangup", null);
            long saidAt = actions.get(1).path("at_ms").asLong();
            assertTrue(actions.get(0).path("at_ms").asLong() <= saidAt
                    && saidAt <= actions.get(2).path("at_ms").asLong()
                    && actions.get(2).path("at_ms").asLong() <= json.durationMs(), actions.toString());

            CallJson.Turn spoken = json.turns("assistant").stream().filter(t -> t.text().endsWith(SAID)).findFirst()
                    .orElseThrow(() -> new AssertionError("no turn says it: " + json.turns()));
            assertTrue(spoken.startMs() >= saidAt, "said after it was asked: " + spoken + ", asked at " + saidAt);
            int at = (int) (spoken.startMs() * 24);
            Signals.Match m = Signals.bestMatch(recorded.assistant(), DemoAgent.tone(TONE_MS),
                    Math.max(0, at - Echoes.FRAME), at + Echoes.FRAME);
            assertTrue(m.score() >= SAME_SOUND, "the agent's voice is recorded where the turn says: " + m);

            Await.until(() -> gw.activeCalls(null).isEmpty(), STEP_WITHIN, () -> "the call is no longer listed");
            assertEquals(404, gw.act(id, "say", "{\"text\":\"too late\"}", null));
            assertTrue(gw.metric("gateway_calls_ended_total{reason=\"api_hangup\"}") >= 1);
        }
    }

    private static void assertAction(JsonNode action, String name, String detail) {
        assertEquals(name, action.path("action").asText(), action.toString());
        assertEquals("loopback", action.path("by").asText(), action.toString());
        if (detail == null) {
            assertTrue(action.path("detail").isNull(), action.toString());
        } else {
            assertEquals(detail, action.path("detail").asText(), action.toString());
        }
    }
}
