package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.bridge.tools.ToolResult;
import gateway.realtime.ClientEvent;
import gateway.realtime.ServerEvent;
import gateway.realtime.SessionSettings;
import gateway.sip.InDialogNotify;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transfer to a human on the manual clock: the model's transfer_call, the REFER once the caller has been told, its
 * NOTIFY progress, BYE on a 2xx sipfrag, the model told when the REFER is refused, the sipfrag fails or no final
 * NOTIFY comes in time, and the fallback target when no Realtime session can be opened.
 */
class TransferCallTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUEUE = "sip:queue@pbx.example";
    private static final String SALES = "sip:sales@pbx.example";
    private static final TransferPolicy POLICY = new TransferPolicy(QUEUE, Map.of("sales", SALES), true, true,
            5_000, null);
    private static final String TOLD = "{\"transfer\":\"starting\",\"instructions\":\"Tell the caller now, in one"
            + " short sentence, that you are transferring them to a person. The transfer starts as soon as you have"
            + " said it.\"}";

    @TempDir
    Path dir;
    private CallFixture fx;

    @AfterEach
    void close() {
        if (fx != null) {
            fx.close();
        }
    }

    private static AgentProfile agent(TransferPolicy transfer) {
        return new AgentProfile(AgentProfile.DEFAULT_NAME, CallFixture.SESSION, null, null, true, true, false,
                List.of(), transfer);
    }

    private CallFixture.Line answered(TransferPolicy transfer) {
        fx = new CallFixture(dir, CallFixture.policy(), null, agent(transfer));
        return fx.answered(FakeDialog.PCMU);
    }

    /** The model asks for a transfer with {@code arguments}; the response ends; it tells the caller for 600 ms. */
    private void askAndTell(ScriptedRealtime.Session session, String arguments) {
        session.event(new ServerEvent.ResponseCreated("resp_1"));
        session.event(new ServerEvent.FunctionCallArgumentsDone("resp_1", "item_F", "call_T", "transfer_call",
                arguments));
        session.event(new ServerEvent.ResponseDone("resp_1", "completed", null));
        session.event(new ServerEvent.ResponseCreated("resp_2"));
        session.delta("resp_2", "item_A", CallTest.agentTone(600));
        session.event(new ServerEvent.ResponseDone("resp_2", "completed", null));
    }

    private static List<ClientEvent.ConversationItem> items(ScriptedRealtime.Session session) {
        return session.received(ClientEvent.ConversationItemCreate.class).stream()
                .map(ClientEvent.ConversationItemCreate::item).toList();
    }

    private static String refer(CallFixture.Line line) {
        return line.dialog.actions.stream().filter(a -> a.startsWith("REFER ")).findFirst().orElse(null);
    }

    private void notify(CallFixture.Line line, String subscriptionState, String sipfrag) {
        line.dialog.listener.onNotify(new InDialogNotify("refer", subscriptionState, "message/sipfrag", sipfrag));
        fx.scheduler.runDue();
    }

    @Test
    void theReferGoesOutOnceTheCallerWasToldAndA2xxSipfragEndsTheCallWithBye() throws Exception {
        CallFixture.Line line = answered(POLICY);
        ScriptedRealtime.Session session = fx.realtime.session(0);
        askAndTell(session, "{\"destination\":\"sales\",\"reason\":\"Wants a refund; order A-42 & more\"}");
        assertEquals(List.of(new ClientEvent.ConversationItem.FunctionCallOutput("call_T", TOLD)), items(session));
        assertEquals(1, session.received(ClientEvent.ResponseCreate.class).size(), "asked to tell the caller");
        fx.talk(500, line);
        assertEquals(null, refer(line), "not while the caller is being told");
        fx.talk(200, line);
        String uui = ReferContext.userToUser(line.call.id(), "Wants a refund; order A-42 & more");
        assertEquals("REFER <" + SALES + "?X-Call-Id=" + line.call.id()
                + "&X-Transfer-Reason=Wants%20a%20refund%3B%20order%20A-42%20%26%20more&User-to-User="
                + uui.replace(";", "%3B").replace("=", "%3D") + "> by <sip:agent@example.net>", refer(line));
        line.dialog.referred.complete(202);
        fx.advanceMillis(1);
        notify(line, "active;expires=60", "SIP/2.0 100 Trying\r\n");
        fx.talk(300, line);
        assertFalse(line.dialog.actions.contains("BYE"), "a 100 sipfrag is progress only");
        notify(line, "terminated;reason=noresource", "SIP/2.0 200 OK\r\n");
        assertTrue(line.dialog.actions.contains("BYE"), "BYE once the transferee answered: " + line.dialog.actions);
        JsonNode json = line.callJson();
        assertEquals("transferred", json.path("end_reason").asText());
        JsonNode transfer = json.path("transfer");
        assertEquals(SALES, transfer.path("target").asText(), transfer.toString());
        assertEquals(200, transfer.path("status").asInt());
        assertEquals(620, transfer.path("at_ms").asLong(), 40, "once the 600 ms of telling had played");
        assertTrue(json.path("duration_ms").asLong() >= transfer.path("at_ms").asLong() + 300,
                "the recording runs up to the BYE: " + json.path("duration_ms"));
        assertTrue(fx.metrics.scrape().contains("gateway_calls_ended_total{reason=\"transferred\"} 1.0"));
    }

    @Test
    void aRefusedReferIsToldToTheModelAndTheCallGoesOn() throws Exception {
        CallFixture.Line line = answered(POLICY);
        ScriptedRealtime.Session session = fx.realtime.session(0);
        askAndTell(session, "{}");
        fx.talk(700, line);
        assertTrue(refer(line).startsWith("REFER <" + QUEUE + "?X-Call-Id="), "the default target: " + refer(line));
        line.dialog.referred.complete(603);
        fx.advanceMillis(1);
        assertFailedOutput(session, "The transfer failed (SIP 603: the REFER was refused with 603).");
        fx.talk(200, line);
        assertFalse(line.dialog.actions.contains("BYE"), "the call goes on");
        line.hangUp();
        JsonNode json = line.callJson();
        assertEquals("caller_bye", json.path("end_reason").asText());
        assertEquals(603, json.path("transfer").path("status").asInt());
    }

    @Test
    void aFailingSipfragIsToldToTheModelAndAnotherTransferMayFollow() throws Exception {
        CallFixture.Line line = answered(POLICY);
        ScriptedRealtime.Session session = fx.realtime.session(0);
        askAndTell(session, "{}");
        fx.talk(700, line);
        line.dialog.referred.complete(202);
        fx.advanceMillis(1);
        notify(line, "active", "SIP/2.0 100 Trying\r\n");
        notify(line, "terminated", "SIP/2.0 503 Service Unavailable\r\n");
        assertFailedOutput(session, "The transfer failed (SIP 503: the transferee answered 503).");
        assertFalse(line.dialog.actions.contains("BYE"));
        fx.talk(100, line);
        session.event(new ServerEvent.ResponseCreated("resp_9"));
        session.event(new ServerEvent.FunctionCallArgumentsDone("resp_9", "item_G", "call_U", "transfer_call", "{}"));
        session.event(new ServerEvent.ResponseDone("resp_9", "completed", null));
        assertEquals(new ClientEvent.ConversationItem.FunctionCallOutput("call_U", TOLD), items(session).get(2),
                "a second transfer may be asked for");
        line.hangUp();
        assertEquals(503, line.callJson().path("transfer").path("status").asInt());
    }

    @Test
    void noFinalNotifyWithinTheTimeoutIsAFailureOnTheManualClock() throws Exception {
        CallFixture.Line line = answered(POLICY);
        ScriptedRealtime.Session session = fx.realtime.session(0);
        askAndTell(session, "{}");
        for (int ms = 0; refer(line) == null && ms < 2_000; ms += 20) {
            fx.talk(20, line);
        }
        line.dialog.referred.complete(202);
        notify(line, "active", "SIP/2.0 180 Ringing\r\n");
        fx.talk(4_960, line);
        assertEquals(1, items(session).size(), "no answer yet, and no verdict before the timeout");
        fx.talk(60, line);
        assertFailedOutput(session, "The transfer failed (SIP 408: no final NOTIFY within 5000 ms).");
        notify(line, "terminated", "SIP/2.0 200 OK\r\n");
        assertFalse(line.dialog.actions.contains("BYE"), "a NOTIFY after the verdict changes nothing");
        line.hangUp();
        assertEquals(408, line.callJson().path("transfer").path("status").asInt());
    }

    @Test
    void anUnknownDestinationIsAnErrorAndNoReferGoesOut() throws Exception {
        CallFixture.Line line = answered(POLICY);
        ScriptedRealtime.Session session = fx.realtime.session(0);
        session.event(new ServerEvent.ResponseCreated("resp_1"));
        session.event(new ServerEvent.FunctionCallArgumentsDone("resp_1", "item_F", "call_T", "transfer_call",
                "{\"destination\":\"moon\"}"));
        session.event(new ServerEvent.ResponseDone("resp_1", "completed", null));
        assertEquals(List.of(new ClientEvent.ConversationItem.FunctionCallOutput("call_T", new ToolResult.Failure(
                "unknown_destination", "There is no destination named moon; choose one of [sales] or leave it out.")
                .output())), items(session));
        fx.talk(1000, line);
        assertEquals(null, refer(line));
        line.hangUp();
    }

    @Test
    void theToolIsOfferedOnlyWithATargetAndListsTheNamedDestinations() throws Exception {
        SessionSettings.Tool tool = agent(POLICY).session().tools().stream()
                .filter(t -> t.name().equals("transfer_call")).findFirst().orElseThrow();
        JsonNode schema = JSON.readTree(tool.parameters());
        assertEquals("[\"sales\"]", schema.path("properties").path("destination").path("enum").toString());
        assertEquals("string", schema.path("properties").path("reason").path("type").asText());
        assertFalse(agent(TransferPolicy.NONE).toolNames().contains("transfer_call"));
        assertFalse(JSON.readTree(agent(new TransferPolicy(QUEUE, Map.of(), true, false, 5_000, null)).session()
                .tools().stream().filter(t -> t.name().equals("transfer_call")).findFirst().orElseThrow()
                .parameters()).path("properties").has("destination"), "no names, no destination");
    }

    @Test
    void withAFallbackACallWhoseSessionCannotBeOpenedIsRedirectedWith302() throws Exception {
        fx = new CallFixture(dir, CallFixture.policy(), null, agent(new TransferPolicy(null, Map.of(), true, false,
                5_000, QUEUE)));
        fx.realtime.refuseFrom(1);
        CallFixture.Line line = fx.place(FakeDialog.PCMU);
        assertEquals(List.of("180", "302 " + QUEUE), line.dialog.actions);
        line.call.finished().get(5, TimeUnit.SECONDS);
        assertFalse(Files.exists(line.directory()), "no recording for a call never answered");
        assertTrue(fx.metrics.scrape().contains("gateway_calls_ended_total{reason=\"fallback_transferred\"} 1.0"));
    }

    @Test
    void withAFallbackACallThatLosesItsSessionIsTransferredAndRecordedAsFallbackTransferred() throws Exception {
        fx = new CallFixture(dir, CallFixture.policy(), null, agent(new TransferPolicy(null, Map.of(), true, false,
                5_000, QUEUE)));
        CallFixture.Line line = fx.answered(FakeDialog.PCMU);
        fx.realtime.refuseFrom(2);
        fx.talk(500, line);
        fx.realtime.session(0).serverCloses(-1, "connection lost");
        fx.talk(1000, line);
        assertTrue(refer(line).startsWith("REFER <" + QUEUE + "?X-Call-Id=" + line.call.id()
                + "&X-Transfer-Reason=The%20voice%20agent%20is%20unavailable.>"), refer(line));
        line.dialog.referred.complete(202);
        notify(line, "terminated", "SIP/2.0 200 OK\r\n");
        assertTrue(line.dialog.actions.contains("BYE"));
        JsonNode json = line.callJson();
        assertEquals("fallback_transferred", json.path("end_reason").asText());
        assertEquals(QUEUE, json.path("transfer").path("target").asText());
    }

    @Test
    void anOperatorTransferCompletesWithTheOutcome() throws Exception {
        CallFixture.Line line = answered(POLICY);
        CompletableFuture<Integer> outcome = line.call.transfer("sip:desk@pbx.example", null);
        fx.advanceMillis(1);
        assertTrue(refer(line).startsWith("REFER <sip:desk@pbx.example?X-Call-Id="), refer(line));
        CompletableFuture<Integer> second = line.call.transfer("sip:other@pbx.example", null);
        fx.advanceMillis(1);
        assertTrue(second.isCompletedExceptionally(), "one transfer at a time");
        line.dialog.referred.complete(202);
        notify(line, "terminated", "SIP/2.0 486 Busy Here\r\n");
        assertEquals(486, outcome.get(1, TimeUnit.SECONDS));
        assertFalse(line.dialog.actions.contains("BYE"));
        line.hangUp();
    }

    private static void assertFailedOutput(ScriptedRealtime.Session session, String start) {
        List<ClientEvent.ConversationItem> items = items(session);
        assertEquals(2, items.size(), items.toString());
        ClientEvent.ConversationItem.FunctionCallOutput failed =
                (ClientEvent.ConversationItem.FunctionCallOutput) items.get(1);
        assertEquals("call_T", failed.callId());
        String message = failed.output();
        assertTrue(message.startsWith("{\"error\":{\"code\":\"transfer_failed\",\"message\":\"" + start), message);
        assertEquals(2, session.received(ClientEvent.ResponseCreate.class).size(), "the model is asked to go on");
    }
}
