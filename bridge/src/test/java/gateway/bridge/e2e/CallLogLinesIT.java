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

    /**
     * The SIP layer's own lines (a request received, a retransmitted INVITE absorbed by its transaction, an
     * in-dialog OPTIONS and BYE, a CANCEL) carry the SIP Call-ID, and our call id once the call exists; the Realtime
     * socket's lines (written by the client before any event reaches the call) carry our call id.
     */
    @Test
    void theSipLayersAndTheRealtimeSocketsLinesCarryTheCallsIds() throws Exception {
        Path recordings = Files.createDirectories(dir.resolve("recordings"));
        Path log = dir.resolve("gateway.log");
        try (GatewayProcess gw = GatewayProcess.start(recordings, RTP_MIN, log, List.of("--log.format=json",
                "--log.level=DEBUG", "--rtp.timeout-seconds=0", "--sip.answer-delay-ms=1000"));
             RawSipClient kept = new RawSipClient(gw.sipPort());
             RawSipClient cancelled = new RawSipClient(gw.sipPort())) {
            String invite = kept.invite("logs", "log-ids-kept", RTP_MIN + 190);
            kept.send(invite);
            kept.send(invite);                                   // a retransmission
            SipMessage ok = kept.awaitFinalResponse(TIMEOUT);
            assertEquals(200, ok.statusCode(), ok.toString());
            String to = ok.header("To").orElseThrow();
            kept.send(kept.inDialog("logs", "log-ids-kept", to, "ACK", 1, "-ack"));
            kept.send(kept.inDialog("logs", "log-ids-kept", to, "OPTIONS", 2, "-options"));
            assertEquals(200, kept.awaitFinalResponse(TIMEOUT).statusCode());
            kept.send(kept.inDialog("logs", "log-ids-kept", to, "BYE", 3, "-bye"));
            assertEquals(200, kept.awaitFinalResponse(TIMEOUT).statusCode());

            String cancelledInvite = cancelled.invite("logs", "log-ids-cancelled", RTP_MIN + 192);
            cancelled.send(cancelledInvite);
            cancelled.send(cancelledInvite.replace("INVITE", "CANCEL")
                    .replace("Content-Type: application/sdp\n", "").replaceAll("(?s)Content-Length: \\d+\n\n.*",
                            "Content-Length: 0\n\n"));
            List<Integer> finals = List.of(cancelled.awaitFinalResponse(TIMEOUT).statusCode(),
                    cancelled.awaitFinalResponse(TIMEOUT).statusCode());
            assertTrue(finals.containsAll(List.of(200, 487)), finals.toString());
            Await.until(() -> gw.log().split("ended \\(").length == 3, TIMEOUT,
                    () -> "both calls' ends in the log:\n" + gw.log());
            gw.terminate();
            assertEquals(0, gw.awaitExit(TIMEOUT), gw.log());
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String text : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (text.startsWith("{")) {
                lines.add(JSON.readTree(text));
            }
        }
        String keptId = lines.get(indexOf(lines, "INVITE log-ids-kept")).path("call_id").asText();
        String cancelledId = lines.get(indexOf(lines, "INVITE log-ids-cancelled")).path("call_id").asText();
        assertTrue(keptId.matches("\\d{8}T\\d{6}Z-[0-9a-f]{8}") && !keptId.equals(cancelledId), keptId);

        assertIds(lines, "gateway.sip", "INVITE 1 from", "log-ids-kept", null);
        assertIds(lines, "gateway.sip", "INVITE retransmitted", "log-ids-kept", keptId);
        assertIds(lines, "gateway.sip", "OPTIONS 2 from", "log-ids-kept", keptId);
        assertIds(lines, "gateway.sip", "BYE 3 from", "log-ids-kept", keptId);
        assertIds(lines, "gateway.sip", "CANCEL 1 from", "log-ids-cancelled", cancelledId);
        assertIds(lines, "gateway.realtime", "Realtime socket open", "log-ids-kept", keptId);
        assertIds(lines, "gateway.realtime", "Realtime socket closed", "log-ids-kept", keptId);
    }

    /**
     * The lines of {@code logger} (a prefix) containing {@code text} for the call {@code sipCallId}: at least one, each
     * with that SIP Call-ID and, unless {@code callId} is null, our call id.
     */
    private static void assertIds(List<JsonNode> lines, String logger, String text, String sipCallId, String callId) {
        List<JsonNode> found = lines.stream().filter(l -> l.path("logger").asText().startsWith(logger)
                && l.path("message").asText().contains(text) && sipCallId.equals(l.path("sip_call_id").asText()))
                .toList();
        assertTrue(!found.isEmpty(), "no line '" + text + "' of " + logger + " with sip_call_id " + sipCallId
                + " in " + lines.stream().filter(l -> l.path("message").asText().contains(text)).toList());
        for (JsonNode line : found) {
            if (callId != null) {
                assertEquals(callId, line.path("call_id").asText(), line.toString());
            }
        }
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
