package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.testkit.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway logging JSON ({@code log.format: json}) takes one SIPp call: every line of its log is one JSON object,
 * and every line from the moment it is ready to the call's end (the Realtime connection, the INVITE, the answer, the
 * end) carries the call's id and the SIP Call-ID SIPp sent, though the call's work runs on a shared event loop.
 */
@Tag("e2e")
class CallLogLinesIT {

    private static final int RTP_MIN = 40_500;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How the JVM itself prints a warning to standard error. */
    static final String JVM_WARNING = "WARNING: ";

    @TempDir
    Path dir;

    @Test
    void everyLineAboutTheCallCarriesItsIds() throws Exception {
        Path recordings = Files.createDirectories(dir.resolve("recordings"));
        Path log = dir.resolve("gateway.log");
        Sipp.Result call;
        try (GatewayProcess gw = GatewayProcess.start(recordings, RTP_MIN, log, List.of("--log.format=json"))) {
            call = Sipp.scenario("uac_speech.xml").pauseMs(1_000).run(gw.sipPort(), "log-lines");
            assertEquals(Sipp.SUCCESS, call.exitCode(), call.describe());
            assertEquals(1, Recordings.awaitFinished(recordings, 1, TIMEOUT).size());
            Await.until(() -> gw.log().contains("ended ("), TIMEOUT, () -> "the call's end in the log:\n" + gw.log());
            gw.terminate();
            assertEquals(0, gw.awaitExit(TIMEOUT), gw.log());
        }
        String sipCallId = call.sent("INVITE").header("Call-ID").orElseThrow();
        List<JsonNode> lines = new ArrayList<>();
        for (String text : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            // The JVM's own warnings (native access by Netty's epoll) are printed by the JVM, not logged.
            if (!text.isBlank() && !text.startsWith(JVM_WARNING)) {
                JsonNode line = JSON.readTree(text);
                assertTrue(line.isObject() && line.has("timestamp") && line.has("level") && line.has("logger")
                        && line.has("message"), "not a log object: " + text);
                lines.add(line);
            }
        }
        int invite = indexOf(lines, "INVITE " + sipCallId);
        String callId = lines.get(invite).path("call_id").asText();
        assertTrue(callId.matches("\\d{8}T\\d{6}Z-[0-9a-f]{8}"),
                "our call id on the INVITE line: " + lines.get(invite));
        int end = indexOf(lines, "call " + callId + ": ended (");
        // The gateway is idle from Ready until SIPp calls: whatever it logs from then to the call's end is the call's.
        int ready = indexOf(lines, "Ready in ");
        List<JsonNode> callLines = lines.subList(ready + 1, end + 1);
        assertTrue(callLines.stream().anyMatch(l -> l.get("message").asText().startsWith("Connecting to ")),
                "the Realtime connection is among the call's lines: " + callLines);
        for (JsonNode line : callLines) {
            assertEquals(callId, line.path("call_id").asText(), "call_id of " + line);
            assertEquals(sipCallId, line.path("sip_call_id").asText(), "sip_call_id of " + line);
        }
        assertTrue(callLines.size() >= 4, callLines.toString());
        assertTrue(!lines.get(ready).has("call_id") && !lines.get(ready).has("sip_call_id"),
                "a line about no call has no ids: " + lines.get(ready));
    }

    private static int indexOf(List<JsonNode> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).get("message").asText().contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no line with '" + text + "' in " + lines);
    }
}
