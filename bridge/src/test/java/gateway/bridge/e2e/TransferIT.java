package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import gateway.demoagent.DemoConnection;
import gateway.demoagent.DemoScript;
import gateway.testkit.Await;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transfer to a human against SIPp callers: the model's transfer_call (scripted in the demo agent) makes the gateway
 * tell the caller, then send REFER in the dialog with Refer-To = the target carrying the call's context as URI
 * headers and Referred-By = the number the caller called; a 202 and a 200 sipfrag end the call with the gateway's
 * BYE (end_reason transferred); a 603 or a 503 sipfrag are told to the model and the call goes on. With a fallback
 * target, a call whose Realtime session cannot be opened is redirected with 302, and one that loses it after the
 * answer is transferred there by REFER (end_reason fallback_transferred).
 */
@Tag("e2e")
class TransferIT {

    private static final int RTP_MIN = 39_400;
    private static final Duration STEP_WITHIN = Duration.ofSeconds(30);
    private static final String QUEUE = "sip:queue@pbx.example";
    private static final String SALES = "sip:sales@pbx.example";
    private static final String REASON = "Wants a refund for order A-42";
    private static final List<String> TRANSFER_ARGS = List.of("--agent.transfer-target=" + QUEUE,
            "--agent.transfer-destinations={\"sales\":\"" + SALES + "\"}",
            "--agent.transfer-headers=x-headers,user-to-user", "--agent.transfer-timeout-ms=20000");

    @TempDir
    Path recordings;

    private static DemoScript transferOnFirstTurn(String arguments) {
        return GatewayUnderIT.wholeReplies().withToolCall(1, "transfer_call", arguments);
    }

    @Test
    void aTransferTheTransfereeAnswersEndsTheCallWithByeAndIsRecorded() throws Exception {
        DemoScript script = transferOnFirstTurn("{\"destination\":\"sales\",\"reason\":\"" + REASON + "\"}");
        try (GatewayUnderIT gw = GatewayUnderIT.start(script, RTP_MIN, recordings, TRANSFER_ARGS)) {
            Sipp.Result sipp = Sipp.scenario("uac_transfer_accepted.xml").run(gw.sipPort(), "transfer-accepted");
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), "SIPp took the REFER and the BYE: " + sipp.describe());
            SipMessage refer = received(sipp, "REFER");
            RecordedCall call = RecordedCall.awaitOnly(recordings, STEP_WITHIN);
            String callId = call.json().text("id");

            // On the wire: Refer-To = the named destination with the context as escaped URI headers.
            String referTo = refer.header("Refer-To").orElseThrow();
            assertTrue(referTo.startsWith("<" + SALES + "?") && referTo.endsWith(">"), referTo);
            String headers = referTo.substring(SALES.length() + 2, referTo.length() - 1);
            assertEquals("X-Call-Id=" + callId + "&X-Transfer-Reason=" + REASON.replace(" ", "%20")
                    + "&User-to-User=" + HexFormat.of().formatHex((callId + ";" + REASON)
                    .getBytes(StandardCharsets.UTF_8)) + "%3Bencoding%3Dhex", headers);
            assertEquals(REASON, URLDecoder.decode(headers.split("&")[1].substring("X-Transfer-Reason=".length()),
                    StandardCharsets.UTF_8));
            String referredBy = refer.header("Referred-By").orElseThrow();
            assertTrue(referredBy.contains("sip:service@127.0.0.1"), "Referred-By = the URI called: " + referredBy);
            assertTrue(refer.header("Contact").orElseThrow().contains("sip:gateway@127.0.0.1"), refer.toString());

            // The order: the caller was told (the reply to the tool's output played) before the REFER went out.
            DemoConnection session = gw.agent().connection(1);
            List<DemoConnection.ToolCall> calls = session.toolCalls();
            assertEquals(1, calls.size(), calls.toString());
            assertEquals("transfer_call", calls.get(0).name());
            assertTrue(calls.get(0).output().contains("\"transfer\":\"starting\""), calls.get(0).output());
            CallJson json = call.json();
            assertEquals("transferred", json.text("end_reason"), json.toString());
            CallJson.Turn told = json.turns("assistant").get(0);
            JsonNode transfer = json.root().path("transfer");
            assertEquals(SALES, transfer.path("target").asText(), transfer.toString());
            assertEquals(200, transfer.path("status").asInt(), transfer.toString());
            assertTrue(transfer.path("at_ms").asLong() >= told.endMs(), "REFER at " + transfer + " after the"
                    + " caller was told, until " + told.endMs() + " ms");
            SipMessage bye = received(sipp, "BYE");
            SipMessage finalNotify = sipp.messages().stream().filter(m -> !m.received() && !m.isResponse()
                    && m.method().equals("NOTIFY") && m.cseq() == 3).findFirst().orElseThrow();
            assertTrue(!bye.time().isBefore(finalNotify.time()), "BYE only after the 200 sipfrag");
            assertTrue(json.durationMs() >= transfer.path("at_ms").asLong(), "the recording runs up to the BYE");
            assertEquals(1.0, gw.metric("gateway_calls_ended_total{reason=\"transferred\"}"));
        }
    }

    @Test
    void aReferRefusedWith603IsToldToTheModelAndTheCallGoesOn() throws Exception {
        failedTransferGoesOn("uac_transfer_refused.xml", "transfer-refused", 603, QUEUE);
    }

    @Test
    void aFailingSipfragIsToldToTheModelAndTheCallGoesOn() throws Exception {
        failedTransferGoesOn("uac_transfer_fails.xml", "transfer-fails", 503, QUEUE);
    }

    private void failedTransferGoesOn(String scenario, String name, int status, String target) throws Exception {
        try (GatewayUnderIT gw = GatewayUnderIT.start(transferOnFirstTurn("{}"), RTP_MIN, recordings,
                TRANSFER_ARGS)) {
            Sipp.Running running = Sipp.scenario(scenario).start(gw.sipPort(), name);
            DemoConnection session = Await.until(() -> gw.agent().connections() == 0 ? null
                    : gw.agent().connection(1), s -> s != null, STEP_WITHIN, s -> "no Realtime session");
            List<DemoConnection.ToolCall> calls = Await.until(session::toolCalls, c -> !c.isEmpty()
                    && c.get(0).output() != null && c.get(0).output().contains("transfer_failed"), STEP_WITHIN,
                    c -> "the model was not told the transfer failed: " + c);
            Await.until(() -> session.responseRequests().size() >= 2, STEP_WITHIN,
                    () -> "the model was not asked to go on: " + session.responseRequests());
            running.cue("the model was told the transfer failed");
            Sipp.Result sipp = running.await();
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
            String referTo = received(sipp, "REFER").header("Refer-To").orElseThrow();
            assertTrue(referTo.startsWith("<" + target + "?X-Call-Id="), referTo);
            assertTrue(sipp.messages().stream().noneMatch(m -> m.received() && !m.isResponse()
                    && m.method().equals("BYE")), "the gateway did not hang up");
            assertTrue(calls.get(0).output().contains("SIP " + status), calls.get(0).output());

            CallJson json = RecordedCall.awaitOnly(recordings, STEP_WITHIN).json();
            assertEquals("caller_bye", json.text("end_reason"), json.toString());
            assertEquals(status, json.root().path("transfer").path("status").asInt(), json.toString());
            assertEquals(target, json.root().path("transfer").path("target").asText());
        }
    }

    @Test
    void withAFallbackTargetACallTheAgentCannotTakeIsRedirectedWith302() throws Exception {
        DemoScript refusing = DemoScript.defaults().refuseConnectionsFrom(1);
        try (GatewayUnderIT gw = GatewayUnderIT.start(refusing, RTP_MIN, recordings,
                List.of("--agent.fallback-transfer=" + QUEUE))) {
            Sipp.Result sipp = Sipp.scenario("uac_expect_302.xml").run(gw.sipPort(), "fallback-302");
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
            SipMessage redirect = sipp.response(302, "INVITE");
            assertEquals("<" + QUEUE + ">", redirect.header("Contact").orElseThrow());
            assertTrue(sipp.messages().stream().noneMatch(m -> m.statusCode() == 200), "never answered");
            assertEquals(1.0, gw.metric("gateway_calls_ended_total{reason=\"fallback_transferred\"}"));
        }
        assertEquals(0, Recordings.callDirs(recordings).size(), "no recording for a call that was not answered");
    }

    @Test
    void withAFallbackTargetACallThatLosesTheAgentIsTransferredThere() throws Exception {
        // The agent drops the first session (1011) and refuses every new one, so the call cannot go on with it.
        DemoScript losing = DemoScript.defaults().closeAfterMs(1, 2_500, 1011).refuseConnectionsFrom(2);
        try (GatewayUnderIT gw = GatewayUnderIT.start(losing, RTP_MIN, recordings,
                List.of("--agent.fallback-transfer=" + QUEUE, "--agent.transfer-headers=x-headers"))) {
            Sipp.Result sipp = Sipp.scenario("uac_transfer_accepted.xml").run(gw.sipPort(), "fallback-refer");
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), "SIPp took the REFER and the BYE: " + sipp.describe());
            CallJson json = RecordedCall.awaitOnly(recordings, STEP_WITHIN).json();
            assertEquals("<" + QUEUE + "?X-Call-Id=" + json.text("id")
                    + "&X-Transfer-Reason=The%20voice%20agent%20is%20unavailable.>",
                    received(sipp, "REFER").header("Refer-To").orElseThrow());
            assertEquals("fallback_transferred", json.text("end_reason"), json.toString());
            assertEquals(200, json.root().path("transfer").path("status").asInt(), json.toString());
            assertTrue(json.root().path("transfer").path("at_ms").asLong() >= 2_500, json.toString());
        }
    }

    /**
     * A supervisor hands the caller over through the active calls API ({@code POST …/transfer}): the same REFER goes
     * out at once, the transferee answers, the call ends {@code transferred}, and call.json lists the action.
     */
    @Test
    void aSupervisorTransfersTheCallerThroughTheActiveCallsApi() throws Exception {
        try (GatewayUnderIT gw = GatewayUnderIT.start(DemoScript.defaults(), RTP_MIN, recordings, List.of())) {
            Sipp.Running running = Sipp.scenario("uac_transfer_accepted.xml").start(gw.sipPort(), "transfer-api");
            String id = gw.awaitOneCallTalking(null, STEP_WITHIN).path("id").asText();
            assertEquals(400, gw.act(id, "transfer", "{\"target\":\"tel:+15551234\"}", null), "not a SIP URI");
            assertEquals(200, gw.act(id, "transfer", "{\"target\":\"" + SALES + "\",\"reason\":\"vip\"}", null));
            Sipp.Result sipp = running.await();
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
            String referTo = received(sipp, "REFER").header("Refer-To").orElseThrow();
            assertTrue(referTo.startsWith("<" + SALES + "?X-Call-Id=" + id + "&X-Transfer-Reason=vip"), referTo);
            CallJson json = RecordedCall.awaitOnly(recordings, STEP_WITHIN).json();
            assertEquals("transferred", json.text("end_reason"), json.toString());
            assertEquals(200, json.root().path("transfer").path("status").asInt(), json.toString());
            JsonNode action = json.root().path("actions").get(0);
            assertEquals("transfer", action.path("action").asText(), json.toString());
            assertEquals(SALES, action.path("detail").asText());
            assertEquals("loopback", action.path("by").asText());
        }
    }

    private static SipMessage received(Sipp.Result sipp, String method) {
        return sipp.messages().stream().filter(m -> m.received() && !m.isResponse() && m.method().equals(method))
                .findFirst().orElseThrow(() -> new AssertionError("no " + method + " from the gateway"));
    }
}
