package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.bridge.tools.Tool;
import gateway.bridge.tools.ToolInvocation;
import gateway.bridge.tools.ToolResult;
import gateway.realtime.ClientEvent;
import gateway.realtime.ServerEvent;
import gateway.realtime.SessionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent leading whole calls on the manual clock: the greeting, end_call after the goodbye has played, prompts to
 * a silent caller and the polite end, tools that answer late or never, one response at a time, MCP calls, errors
 * and usage, all checked on what the model received, what the caller heard and call.json.
 */
class AgentCallTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INSTRUCTIONS = CallFixture.SESSION.instructions();

    @TempDir
    Path dir;
    private CallFixture fx;

    @AfterEach
    void close() {
        if (fx != null) {
            fx.close();
        }
    }

    private CallFixture.Line answered(AgentProfile agent) {
        fx = new CallFixture(dir, CallFixture.policy(), null, agent);
        return fx.answered(FakeDialog.PCMU);
    }

    private static AgentProfile agent(String greeting, AgentProfile.SilencePolicy silence, List<Tool> tools) {
        return new AgentProfile(AgentProfile.DEFAULT_NAME, CallFixture.SESSION, greeting, silence, true, true, tools);
    }

    private JsonNode callJson(CallFixture.Line line) throws Exception {
        line.call.finished().get(10, TimeUnit.SECONDS);
        return JSON.readTree(Files.readString(line.directory().resolve("call.json")));
    }

    /** The live session speaks {@code ms} of the agent's tone in response {@code responseId}, all at once. */
    private static void speak(ScriptedRealtime.Session session, String responseId, String itemId, int ms) {
        session.delta(responseId, itemId, CallTest.agentTone(ms));
    }

    private static List<ClientEvent.ResponseCreate> responseCreates(ScriptedRealtime.Session session) {
        return session.received(ClientEvent.ResponseCreate.class);
    }

    private static List<ClientEvent.ConversationItem> items(ScriptedRealtime.Session session) {
        return session.received(ClientEvent.ConversationItemCreate.class).stream()
                .map(ClientEvent.ConversationItemCreate::item).toList();
    }

    @Test
    void theGreetingIsAskedForAtTheAnswerWithTheSessionsInstructionsAndIsPlayedFirst() throws Exception {
        CallFixture.Line line = answered(agent("Thank you for calling Acme.", null, List.of()));
        ScriptedRealtime.Session session = fx.realtime.session(0);
        assertEquals(List.of(new ClientEvent.ResponseCreate(INSTRUCTIONS + "\n\n" + ConversationControl.GREETING_NOTE
                + "Thank you for calling Acme.", "gw_response_0")), responseCreates(session));
        assertEquals(List.of("session.update", "response.create"), session.types(), "before any caller audio");
        session.event(new ServerEvent.ResponseCreated("resp_G"));
        int before = line.sent.size();
        speak(session, "resp_G", "item_G", 600);
        session.event(new ServerEvent.ResponseDone("resp_G", "completed", null));
        fx.advanceMillis(700);
        assertEquals(30, line.loudPacketsSince(before), "the greeting's 600 ms reached the caller");
        hangUp(line);
        JsonNode turn = callJson(line).path("turns").path(0);
        assertEquals("assistant", turn.path("role").asText());
        assertEquals("item_G", turn.path("item_id").asText());
        assertEquals(600, turn.path("end_ms").asLong() - turn.path("start_ms").asLong(), 20);
    }

    @Test
    void endCallHangsUpOnceTheGoodbyeHasBeenPlayedWhole() throws Exception {
        CallFixture.Line line = answered(agent(null, null, List.of()));
        ScriptedRealtime.Session session = fx.realtime.session(0);
        fx.talk(500, line);
        session.event(new ServerEvent.ResponseCreated("resp_1"));
        int before = line.sent.size();
        speak(session, "resp_1", "item_A", 800);
        session.event(new ServerEvent.FunctionCallArgumentsDone("resp_1", "item_F", "call_E", "end_call", "{}"));
        session.event(new ServerEvent.ResponseDone("resp_1", "completed", null));
        assertEquals(List.of(new ClientEvent.ConversationItem.FunctionCallOutput("call_E", "{\"call\":\"ending\"}")),
                items(session));
        assertEquals(List.of(), responseCreates(session), "the model is not asked to go on: the call ends");
        fx.advanceMillis(600);
        assertFalse(line.dialog.actions.contains("BYE"), "not while the goodbye plays");
        fx.advanceMillis(400);
        assertTrue(line.dialog.actions.contains("BYE"), "BYE once it played: " + line.dialog.actions);
        assertEquals(40, line.loudPacketsSince(before), "the whole goodbye reached the caller");
        JsonNode json = callJson(line);
        assertEquals("agent_hangup", json.path("end_reason").asText());
        JsonNode turn = json.path("turns").path(0);
        assertFalse(turn.path("interrupted").asBoolean(), "the goodbye was not cut: " + turn);
        JsonNode tool = json.path("tools").path(0);
        assertEquals("end_call", tool.path("name").asText());
        assertEquals("call_E", tool.path("call_id").asText());
        assertEquals("{\"call\":\"ending\"}", tool.path("output").toString());
        assertTrue(tool.path("error").isNull());
    }

    @Test
    void aSilentCallerIsPromptedThenTheAgentSaysGoodbyeAndHangsUp() throws Exception {
        CallFixture.Line line = answered(agent(null, new AgentProfile.SilencePolicy(2000, 2), List.of()));
        ScriptedRealtime.Session session = fx.realtime.session(0);
        fx.talk(1980, line);                                 // the service hears no speech in it
        assertEquals(List.of(), responseCreates(session));
        fx.talk(40, line);
        assertEquals(List.of(new ClientEvent.ResponseCreate(INSTRUCTIONS + "\n\n" + ConversationControl.SILENCE_NOTE,
                "gw_response_0")), responseCreates(session));
        reply(session, line, "resp_P1", 500);
        fx.talk(1900, line);
        assertEquals(1, responseCreates(session).size(), "the silence counts from the end of the prompt");
        fx.talk(200, line);
        assertEquals(INSTRUCTIONS + "\n\n" + ConversationControl.SILENCE_NOTE,
                responseCreates(session).get(1).instructions());
        reply(session, line, "resp_P2", 500);
        fx.talk(2100, line);
        assertEquals(INSTRUCTIONS + "\n\n" + ConversationControl.GOODBYE_NOTE,
                responseCreates(session).get(2).instructions());
        session.event(new ServerEvent.ResponseCreated("resp_BYE"));
        speak(session, "resp_BYE", "item_BYE", 700);
        session.event(new ServerEvent.ResponseDone("resp_BYE", "completed", null));
        fx.talk(600, line);
        assertFalse(line.dialog.actions.contains("BYE"), "not while the goodbye plays");
        fx.talk(200, line);
        assertTrue(line.dialog.actions.contains("BYE"));
        assertEquals("caller_silent", callJson(line).path("end_reason").asText());
    }

    @Test
    void callerSpeechStartsTheCountOfPromptsAgain() throws Exception {
        CallFixture.Line line = answered(agent(null, new AgentProfile.SilencePolicy(1000, 1), List.of()));
        ScriptedRealtime.Session session = fx.realtime.session(0);
        fx.talk(1020, line);
        assertEquals(1, responseCreates(session).size());
        reply(session, line, "resp_P1", 200);
        session.event(new ServerEvent.SpeechStarted(1500, "item_U"));
        session.event(new ServerEvent.SpeechStopped(2000, "item_U"));
        session.event(new ServerEvent.ResponseCreated("resp_A"));
        session.event(new ServerEvent.ResponseDone("resp_A", "completed", null));
        fx.talk(1100, line);
        assertEquals(INSTRUCTIONS + "\n\n" + ConversationControl.SILENCE_NOTE,
                responseCreates(session).get(1).instructions(), "a prompt again, not the goodbye");
        hangUp(line);
        assertEquals("caller_bye", callJson(line).path("end_reason").asText());
    }

    @Test
    void aToolThatAnswersLateHasItsOutputSentOnceItsResponseIsDoneAndTheModelGoesOn() throws Exception {
        LateTool lookup = new LateTool("lookup_order", 5_000);
        CallFixture.Line line = answered(agent(null, null, List.of(lookup)));
        ScriptedRealtime.Session session = fx.realtime.session(0);
        call(session, "call_L", "lookup_order", "{\"order\":\"42\"}");
        assertEquals(List.of(new ToolInvocation(line.call.id(), "default", "lookup_order", "call_L",
                "{\"order\":\"42\"}", "sip:alice@example.com", "sip:agent@example.net")), lookup.invocations);
        session.event(new ServerEvent.ResponseDone("resp_1", "completed", null));
        fx.advanceMillis(300);
        assertEquals(List.of(), items(session), "no output before the tool answered");
        lookup.answer(0, new ToolResult.Success("{\"status\":\"shipped\"}"));
        fx.advanceMillis(1);
        assertEquals(List.of(new ClientEvent.ConversationItem.FunctionCallOutput("call_L",
                "{\"status\":\"shipped\"}")), items(session));
        assertEquals(1, responseCreates(session).size(), "then the model goes on");
        hangUp(line);
        JsonNode tool = callJson(line).path("tools").path(0);
        assertEquals("{\"order\":\"42\"}", tool.path("arguments").toString(), "arguments as JSON");
        assertEquals("{\"status\":\"shipped\"}", tool.path("output").toString());
        assertEquals(300, tool.path("latency_ms").asLong(), 2);
        assertEquals(300, tool.path("end_ms").asLong() - tool.path("start_ms").asLong(), 20);
    }

    @Test
    void aToolThatNeverAnswersGivesTheModelATimeoutErrorAndIsCancelled() throws Exception {
        LateTool slow = new LateTool("slow_lookup", 1_000);
        CallFixture.Line line = answered(agent(null, null, List.of(slow)));
        ScriptedRealtime.Session session = fx.realtime.session(0);
        call(session, "call_S", "slow_lookup", "{}");
        session.event(new ServerEvent.ResponseDone("resp_1", "completed", null));
        fx.advanceMillis(999);
        assertEquals(List.of(), items(session));
        fx.advanceMillis(1);
        assertEquals(List.of(new ClientEvent.ConversationItem.FunctionCallOutput("call_S", new ToolResult.Failure(
                "timeout", "The tool did not answer within 1000 ms.").output())), items(session));
        assertTrue(slow.futures.get(0).isCancelled(), "the request is cancelled");
        slow.answer(0, new ToolResult.Success("{\"late\":true}"));
        fx.advanceMillis(1);
        assertEquals(1, items(session).size(), "an answer after the timeout is ignored");
        hangUp(line);
        JsonNode tool = callJson(line).path("tools").path(0);
        assertEquals("timeout", tool.path("error").asText());
        String metrics = fx.metrics.scrape();
        assertTrue(metrics.contains("gateway_tool_calls_total{outcome=\"timeout\",tool=\"slow_lookup\"} 1.0"),
                metrics);
    }

    @Test
    void aCallThatEndsWhileAToolRunsCancelsItAndSaysSoInCallJson() throws Exception {
        LateTool slow = new LateTool("slow_lookup", 10_000);
        CallFixture.Line line = answered(agent(null, null, List.of(slow)));
        ScriptedRealtime.Session session = fx.realtime.session(0);
        call(session, "call_S", "slow_lookup", "{}");
        fx.advanceMillis(100);
        hangUp(line);
        assertTrue(slow.futures.get(0).isCancelled());
        assertEquals("call_ended", callJson(line).path("tools").path(0).path("error").asText());
    }

    @Test
    void anUnknownToolAndBadArgumentsGetErrorObjects() throws Exception {
        CallFixture.Line line = answered(agent(null, null, List.of()));
        ScriptedRealtime.Session session = fx.realtime.session(0);
        session.event(new ServerEvent.ResponseCreated("resp_1"));
        session.event(new ServerEvent.FunctionCallArgumentsDone("resp_1", "item_F", "call_X", "launch\"rockets",
                "{}"));
        session.event(new ServerEvent.ResponseDone("resp_1", "completed", null));
        assertEquals(List.of(new ClientEvent.ConversationItem.FunctionCallOutput("call_X", new ToolResult.Failure(
                "unknown_tool", "There is no tool named launchrockets.").output())), items(session));
        hangUp(line);
        assertTrue(fx.metrics.scrape().contains("gateway_tool_calls_total{outcome=\"error\",tool=\"other\"} 1.0"));
    }

    @Test
    void aResponseTheServiceStartedMeanwhileIsWaitedForAndARefusedCreateIsSentAgain() throws Exception {
        LateTool lookup = new LateTool("lookup_order", 5_000);
        CallFixture.Line line = answered(agent(null, null, List.of(lookup)));
        ScriptedRealtime.Session session = fx.realtime.session(0);
        call(session, "call_L", "lookup_order", "{}");
        session.event(new ServerEvent.ResponseDone("resp_1", "completed", null));
        session.event(new ServerEvent.ResponseCreated("resp_2"));         // the caller spoke: the service answers
        lookup.answer(0, new ToolResult.Success("{}"));
        fx.advanceMillis(1);
        assertEquals(1, items(session).size(), "the output goes at once");
        assertEquals(List.of(), responseCreates(session), "one response at a time: resp_2 is active");
        session.event(new ServerEvent.ResponseDone("resp_2", "completed", null));
        assertEquals(1, responseCreates(session).size());
        ClientEvent.ResponseCreate sent = responseCreates(session).get(0);
        session.event(new ServerEvent.ErrorEvent("invalid_request_error", ResponseGate.ALREADY_ACTIVE,
                "Conversation already has an active response in progress: resp_3.", null, sent.eventId()));
        session.event(new ServerEvent.ResponseCreated("resp_3"));
        assertEquals(1, responseCreates(session).size(), "refused: it waits for resp_3");
        session.event(new ServerEvent.ResponseDone("resp_3", "completed", null));
        assertEquals(List.of(sent, sent), responseCreates(session), "and goes again, the same event");
        hangUp(line);
        assertTrue(fx.metrics.scrape().contains("gateway_realtime_errors_total{code=\""
                + ResponseGate.ALREADY_ACTIVE + "\",kind=\"invalid_request\"} 1.0"));
    }

    @Test
    void theUsageOfEveryResponseIsSummedIntoCallJsonAndTheErrorsAndLimitsAreMetrics() throws Exception {
        CallFixture.Line line = answered(agent(null, null, List.of()));
        ScriptedRealtime.Session session = fx.realtime.session(0);
        session.event(new ServerEvent.ResponseCreated("resp_1"));
        session.event(new ServerEvent.ResponseDone("resp_1", "completed", null, null, null,
                new ServerEvent.Usage(100, 20, 64, 10, 40)));
        session.event(new ServerEvent.ResponseCreated("resp_2"));
        session.event(new ServerEvent.ResponseDone("resp_2", "failed", null, "tokens", "rate_limit_exceeded",
                new ServerEvent.Usage(110, 5, 0, 0, 0)));
        session.event(new ServerEvent.RateLimitsUpdated(List.of(new ServerEvent.RateLimit("tokens", 40_000, 39_711,
                1.5), new ServerEvent.RateLimit("requests", 5_000, 4_998, 0.1))));
        session.event(new ServerEvent.ErrorEvent("server_error", "server_error", "The server had an error.", null));
        hangUp(line);
        JsonNode usage = callJson(line).path("usage");
        assertEquals("{\"responses\":2,\"input_text_tokens\":210,\"input_audio_tokens\":25,\"input_cached_tokens\":64,"
                + "\"output_text_tokens\":10,\"output_audio_tokens\":40,\"total_tokens\":285}", usage.toString());
        String metrics = fx.metrics.scrape();
        for (String sample : List.of("gateway_realtime_errors_total{code=\"rate_limit_exceeded\",kind=\"rate_limit\"}"
                        + " 1.0", "gateway_realtime_errors_total{code=\"server_error\",kind=\"server_error\"} 1.0",
                "gateway_realtime_rate_limit_remaining{name=\"tokens\"} 39711.0",
                "gateway_realtime_rate_limit_limit{name=\"requests\"} 5000.0",
                "gateway_realtime_tokens_total{direction=\"input\",kind=\"cached\"} 64.0",
                "gateway_realtime_tokens_total{direction=\"output\",kind=\"audio\"} 40.0")) {
            assertTrue(metrics.contains(sample), sample + " in " + metrics);
        }
    }

    @Test
    void aRemoteMcpCallIsLoggedAndARequestToApproveOneIsRefused() throws Exception {
        CallFixture.Line line = answered(agent(null, null, List.of()));
        ScriptedRealtime.Session session = fx.realtime.session(0);
        session.event(new ServerEvent.ResponseCreated("resp_1"));
        session.event(new ServerEvent.OutputItemAdded("resp_1", "mcp_1", "mcp_call"));
        fx.advanceMillis(250);
        session.event(new ServerEvent.OutputItemDone("resp_1", "mcp_1", "mcp_call", "crm", "find_customer",
                "{\"phone\":\"+15550001111\"}", "{\"name\":\"Alice\"}", null));
        session.event(new ServerEvent.OutputItemDone("resp_1", "mcpr_2", "mcp_approval_request", "crm",
                "delete_customer", "{}", null, null));
        assertEquals(List.of(), items(session), "the answer waits for the response to be done");
        session.event(new ServerEvent.ResponseDone("resp_1", "completed", null));
        assertEquals(List.of(new ClientEvent.ConversationItem.McpApprovalResponse("mcpr_2", false,
                ToolRunner.APPROVAL_REFUSED)), items(session));
        assertEquals(1, responseCreates(session).size());
        hangUp(line);
        JsonNode tools = callJson(line).path("tools");
        assertEquals("find_customer", tools.path(0).path("name").asText());
        assertEquals("crm", tools.path(0).path("server").asText());
        assertEquals(250, tools.path(0).path("latency_ms").asLong(), 2);
        assertEquals("{\"name\":\"Alice\"}", tools.path(0).path("output").toString());
        assertEquals("approval_refused", tools.path(1).path("error").asText());
    }

    @Test
    void theSessionIsToldEveryToolAndTheVoiceSettings() {
        AgentProfile profile = new AgentProfile("sales", new SessionSettings("Sell.", "cedar",
                new SessionSettings.Transcription("gpt-4o-transcribe", "de", "Acme GmbH"),
                new SessionSettings.TurnDetection.SemanticVad("low"), SessionSettings.NoiseReduction.FAR_FIELD, 512,
                List.of(), List.of()), null, null, true, true, List.of(new LateTool("lookup_order", 1000)));
        fx = new CallFixture(dir, CallFixture.policy(), null, profile);
        fx.place(FakeDialog.PCMU);
        ClientEvent.SessionUpdate update = fx.realtime.session(0).received(ClientEvent.SessionUpdate.class).get(0);
        assertEquals(List.of("pause_recording", "resume_recording", "end_call", "lookup_order"),
                update.settings().tools().stream().map(SessionSettings.Tool::name).toList());
        assertEquals(profile.base().withTools(update.settings().tools()), update.settings());
    }

    private void reply(ScriptedRealtime.Session session, CallFixture.Line line, String responseId, int ms) {
        session.event(new ServerEvent.ResponseCreated(responseId));
        speak(session, responseId, "item_" + responseId, ms);
        session.event(new ServerEvent.ResponseDone(responseId, "completed", null));
        fx.talk(ms + 40, line);
    }

    /** Response resp_1 of the live session calls tool {@code name} as {@code callId} with {@code arguments}. */
    private static void call(ScriptedRealtime.Session session, String callId, String name, String arguments) {
        session.event(new ServerEvent.ResponseCreated("resp_1"));
        session.event(new ServerEvent.FunctionCallArgumentsDone("resp_1", "item_F", callId, name, arguments));
    }

    private void hangUp(CallFixture.Line line) {
        line.dialog.listener.onRemoteBye();
        fx.scheduler.runDue();
    }

    /** A tool whose answers the test gives, each when it likes: a webhook as the call sees one. */
    private static final class LateTool implements Tool {
        final List<ToolInvocation> invocations = new ArrayList<>();
        final List<CompletableFuture<ToolResult>> futures = new ArrayList<>();
        private final SessionSettings.Tool definition;
        private final long timeoutMs;

        LateTool(String name, long timeoutMs) {
            this.definition = new SessionSettings.Tool(name, "A tool of the test.");
            this.timeoutMs = timeoutMs;
        }

        @Override
        public SessionSettings.Tool definition() {
            return definition;
        }

        @Override
        public long timeoutMs() {
            return timeoutMs;
        }

        @Override
        public CompletableFuture<ToolResult> call(ToolInvocation invocation) {
            invocations.add(invocation);
            CompletableFuture<ToolResult> future = new CompletableFuture<>();
            futures.add(future);
            return future;
        }

        void answer(int n, ToolResult result) {
            futures.get(n).complete(result);
        }
    }
}
