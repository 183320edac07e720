package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import gateway.demoagent.DemoConnection;
import gateway.testkit.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A caller's key presses reach the model and call.json, whichever way they come: SIPp plays its own RFC 4733
 * captures (PT 101: seven updates and the end packet three times per key) for 1 and #, then sends 5 in a SIP INFO
 * (application/dtmf-relay). The caller presses each key once the model has been told of the one before; each key
 * becomes exactly one conversation item, and call.json lists them in recording time with their durations.
 */
@Tag("e2e")
class DtmfIT {

    private static final int RTP_MIN = 39_100;
    /** Deadline for each step of the call; ends a failing test only. */
    private static final Duration STEP_WITHIN = Duration.ofSeconds(30);
    /** The captures' end packets say 0x08C0 = 2240 RTP units: 280 ms. */
    private static final long CAPTURED_KEY_MS = 280;
    /** The INFO's Duration. */
    private static final long INFO_KEY_MS = 160;
    /** SIPp logs the 200 to its INFO a moment after the gateway placed the key: at most this much later. */
    private static final long HANDLING_SLACK_MS = 250;

    @TempDir
    Path recordings;

    @Test
    void keysByRfc4733AndBySipInfoReachTheModelOnceEachAndCallJson() throws Exception {
        try (GatewayUnderIT gw = GatewayUnderIT.start(RTP_MIN, recordings)) {
            Sipp.Running running = Sipp.scenario("uac_dtmf.xml").start(gw.sipPort(), "dtmf");
            DemoConnection session = gw.agent().awaitConnection(1, STEP_WITHIN);
            awaitKeysTold(session, List.of("1"));
            running.cue("the model was told of key 1");
            awaitKeysTold(session, List.of("1", "#"));
            running.cue("the model was told of key #");
            awaitKeysTold(session, List.of("1", "#", "5"));
            running.cue("the model was told of key 5");
            Sipp.Result sipp = running.await();
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
            assertTrue(session.receivedTypes().contains("response.create"),
                    "the model is asked to answer a key press: " + session.receivedTypes());

            RecordedCall call = RecordedCall.awaitOnly(recordings, STEP_WITHIN);
            CallJson json = call.json();
            List<JsonNode> keys = new ArrayList<>();
            json.root().path("dtmf").forEach(keys::add);
            assertEquals(List.of("1 " + CAPTURED_KEY_MS + " inbound", "# " + CAPTURED_KEY_MS + " inbound",
                    "5 " + INFO_KEY_MS + " inbound"), keys.stream().map(k -> k.path("digit").asText() + " "
                    + k.path("duration_ms").asLong() + " " + k.path("direction").asText()).toList(), json.toString());
            long first = keys.get(0).path("at_ms").asLong();
            long second = keys.get(1).path("at_ms").asLong();
            long third = keys.get(2).path("at_ms").asLong();
            assertTrue(0 <= first && first < second && second < third && third <= json.durationMs(), keys.toString());
            long infoAnsweredMs = Duration.between(sipp.response(200, "INVITE").time(),
                    sipp.response(200, "INFO", 2).time()).toMillis();
            assertTrue(third <= infoAnsweredMs + HANDLING_SLACK_MS && third >= infoAnsweredMs - HANDLING_SLACK_MS,
                    "the INFO's key at " + third + " ms, its 200 logged " + infoAnsweredMs + " ms after the answer");

            short[] caller = call.caller();
            int loudest = 0;
            for (short s : caller) {
                loudest = Math.max(loudest, Math.abs(s));
            }
            assertEquals(0, loudest, "the caller sent only telephone-events: none became audio on the left channel");
        }
    }

    /** Waits until the model's conversation holds exactly one user item per key of {@code keys}, in that order. */
    private static void awaitKeysTold(DemoConnection session, List<String> keys) throws InterruptedException {
        List<String> expected = keys.stream().map(k -> "The caller pressed " + k + " on the phone's keypad.").toList();
        Await.until(() -> keyItems(session), expected::equals, STEP_WITHIN,
                told -> "the model told of " + keys + ", so far " + told);
    }

    private static List<String> keyItems(DemoConnection session) {
        return session.conversation().stream()
                .filter(i -> "user".equals(i.role()) && i.text() != null && i.text().startsWith("The caller pressed"))
                .map(DemoConnection.Item::text).toList();
    }
}
