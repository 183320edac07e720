package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.demoagent.DemoConnection;
import gateway.demoagent.DemoScript;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routing by number on real SIPp calls: a call to 1001 reaches the sales profile and one to 2002 the support profile
 * (each with its own instructions and voice, as the demo agent received them in session.update, and its name in
 * call.json); the headers sales lists reach call.json and its instructions, an unlisted one neither; a call to a
 * number no route takes gets 404 under routing.unknown=reject, with no Realtime session and no recording.
 */
@Tag("e2e")
class RoutingProfilesIT {

    private static final int RTP_MIN = 39_700;
    private static final Duration STEP_WITHIN = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path recordings;

    @Test
    void twoNumbersReachTwoProfilesWithTheirHeadersAndAnUnknownOneGets404() throws Exception {
        DemoScript script = DemoScript.defaults().withRecordFrames(true);
        try (GatewayUnderIT gw = GatewayUnderIT.start(script, RTP_MIN, recordings, List.of(
                "--profiles.sales.instructions=You sell. Customer {{header.X-Customer-Id}}"
                        + " ({{header.P-Asserted-Identity}}) called {{to}}.",
                "--profiles.sales.voice=cedar",
                "--profiles.sales.context-headers=X-Customer-Id, P-Asserted-Identity, User-to-User",
                "--profiles.support.instructions=You support.",
                "--profiles.support.voice=verse",
                "--routes=[{\"match\":\"1001\",\"profile\":\"sales\"},{\"match\":\"2*\",\"profile\":\"support\"}]",
                "--routing.unknown=reject"))) {
            Sipp.Result sales = Sipp.scenario("uac_context_headers.xml").pauseMs(500).args("-s", "1001")
                    .run(gw.sipPort(), "routing-sales");
            assertEquals(Sipp.SUCCESS, sales.exitCode(), sales.describe());
            Path salesDir = Recordings.awaitFinished(recordings, 1, STEP_WITHIN).get(0);
            Sipp.Result support = Sipp.scenario("uac_context_headers.xml").pauseMs(500).args("-s", "2002")
                    .run(gw.sipPort(), "routing-support");
            assertEquals(Sipp.SUCCESS, support.exitCode(), support.describe());
            // Directories are named by call id, which does not sort by time: the support call's is the new one.
            Path supportDir = Recordings.awaitFinished(recordings, 2, STEP_WITHIN).stream()
                    .filter(d -> !d.equals(salesDir)).findFirst().orElseThrow();

            JsonNode salesSession = sessionUpdate(gw.agent().awaitConnection(1, STEP_WITHIN));
            assertEquals("You sell. Customer C-42 (\"Alice\" <sip:+15551234@carrier.example>) called"
                    + " sip:1001@127.0.0.1:" + gw.sipPort() + ".", salesSession.path("instructions").asText());
            assertEquals("cedar", salesSession.at("/audio/output/voice").asText());
            JsonNode supportSession = sessionUpdate(gw.agent().awaitConnection(2, STEP_WITHIN));
            assertEquals("You support.", supportSession.path("instructions").asText());
            assertEquals("verse", supportSession.at("/audio/output/voice").asText());

            CallJson salesJson = RecordedCall.load(salesDir).json();
            assertEquals("sales", salesJson.text("profile"));
            assertEquals(JSON.readTree("{\"X-Customer-Id\":[\"C-42\"],"
                            + "\"P-Asserted-Identity\":[\"\\\"Alice\\\" <sip:+15551234@carrier.example>\"]}"),
                    salesJson.root().path("sip_headers"), "the listed headers the INVITE had, in the listed order");
            CallJson supportJson = RecordedCall.load(supportDir).json();
            assertEquals("support", supportJson.text("profile"));
            assertTrue(supportJson.root().path("sip_headers").isMissingNode(), "support lists no header");
            for (int n = 1; n <= 2; n++) {
                for (String frame : gw.agent().connection(n).receivedFrames()) {
                    assertFalse(frame.contains("do-not-pass") || frame.contains("15550000"),
                            "no unlisted header reaches the agent: " + frame);
                }
            }
            assertFalse(salesJson.root().toString().contains("do-not-pass"));

            Sipp.Result unknown = Sipp.scenario("uac_expect_404.xml").args("-s", "3003")
                    .run(gw.sipPort(), "routing-unknown");
            assertEquals(Sipp.SUCCESS, unknown.exitCode(), unknown.describe());
            assertTrue(unknown.messages().stream().noneMatch(m -> m.statusCode() == 180 || m.statusCode() == 200),
                    "no ringing, no answer");
            assertEquals(2, gw.agent().connections(), "no Realtime session for the unknown number");
            assertEquals(2, Recordings.callDirs(recordings).size(), "and no recording");
            assertEquals(1.0, gw.metric("gateway_calls_refused_total{reason=\"unknown_number\"}"));
        }
    }

    /** The session of the first session.update the demo agent received on {@code connection}. */
    private static JsonNode sessionUpdate(DemoConnection connection) throws Exception {
        for (String frame : connection.receivedFrames()) {
            JsonNode event = JSON.readTree(frame);
            if (event.path("type").asText().equals("session.update")) {
                return event.path("session");
            }
        }
        throw new AssertionError("no session.update on connection " + connection.number());
    }
}
