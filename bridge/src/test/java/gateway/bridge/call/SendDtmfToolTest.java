package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.bridge.tools.ToolResult;
import gateway.realtime.ClientEvent;
import gateway.realtime.ServerEvent;
import gateway.realtime.SessionSettings;
import gateway.sip.NegotiatedMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model's send_dtmf tool in whole calls on the manual clock: offered only where telephone-event was negotiated,
 * its keys on the wire as RFC 4733 events with the duration asked for, in call.json as {@code outbound} keys and as
 * a tool call; bad arguments get an error object and send nothing.
 */
class SendDtmfToolTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EVENT_PT = 101;
    /** RFC 4733 §3.2: events 10 and 11 are * and #. */
    private static final int HASH = 11;

    @TempDir
    Path dir;
    private CallFixture fx;

    @AfterEach
    void close() {
        if (fx != null) {
            fx.close();
        }
    }

    private static AgentProfile agent(boolean dtmfTool) {
        return new AgentProfile(AgentProfile.DEFAULT_NAME, CallFixture.SESSION, null, null, false, true, dtmfTool,
                List.of());
    }

    private List<String> offered(boolean dtmfTool, NegotiatedMedia offer) {
        fx = new CallFixture(dir, CallFixture.policy(), null, agent(dtmfTool));
        fx.place(offer);
        ClientEvent.SessionUpdate update = fx.realtime.session(0).received(ClientEvent.SessionUpdate.class).get(0);
        return update.settings().tools().stream().map(SessionSettings.Tool::name).toList();
    }

    @Test
    void offeredOnlyWhenTelephoneEventWasNegotiatedAndTheToolIsOn() {
        assertEquals(List.of("end_call", "send_dtmf"), offered(true, FakeDialog.PCMU));
        fx.close();
        NegotiatedMedia noEvents = new NegotiatedMedia(FakeDialog.PCMU.codec(), 0, -1, 20,
                FakeDialog.PCMU.direction(), FakeDialog.CALLER_RTP);
        assertEquals(List.of("end_call"), offered(true, noEvents));
        fx.close();
        assertEquals(List.of("end_call"), offered(false, FakeDialog.PCMU));
    }

    @Test
    void theKeysGoOnTheWireWithTheirDurationAndIntoCallJson() throws Exception {
        fx = new CallFixture(dir, CallFixture.policy(), null, agent(true));
        CallFixture.Line line = fx.answered(FakeDialog.PCMU);
        ScriptedRealtime.Session session = fx.realtime.session(0);
        fx.talk(200, line);
        int before = line.sent.size();
        session.event(new ServerEvent.ResponseCreated("resp_1"));
        session.event(new ServerEvent.FunctionCallArgumentsDone("resp_1", "item_F", "call_K", "send_dtmf",
                "{\"digits\":\"4#\",\"duration_ms\":60}"));
        session.event(new ServerEvent.ResponseDone("resp_1", "completed", null));
        assertEquals(List.of(new ClientEvent.ConversationItem.FunctionCallOutput("call_K",
                "{\"sending\":\"4#\",\"duration_ms\":60}")), outputs(session));
        fx.talk(600, line);

        List<CallFixture.RtpOut> events = line.sent.subList(before, line.sent.size()).stream()
                .filter(p -> p.payloadType() == EVENT_PT).toList();
        // Each key: 3 packets of 20 ms for 60 ms, the end packet twice more.
        assertEquals(10, events.size(), events.toString());
        for (int key = 0; key < 2; key++) {
            List<CallFixture.RtpOut> packets = events.subList(key * 5, key * 5 + 5);
            for (int i = 0; i < packets.size(); i++) {
                CallFixture.RtpOut p = packets.get(i);
                int duration = Math.min(i + 1, 3) * 160;
                assertEquals(i == 0, p.marker(), "the marker on an event's first packet only");
                assertEquals(packets.get(0).timestamp(), p.timestamp(), "one timestamp per event");
                assertEquals(List.of(key == 0 ? 4 : HASH, i >= 2 ? 0x80 | 10 : 10, duration >> 8, duration & 0xFF),
                        List.of(p.payload()[0] & 0xFF, p.payload()[1] & 0xFF, p.payload()[2] & 0xFF,
                                p.payload()[3] & 0xFF), "key " + key + ", packet " + i);
            }
        }
        assertTrue(events.get(5).timestamp() > events.get(0).timestamp(), "the second key is a new event");

        line.dialog.listener.onRemoteBye();
        fx.scheduler.runDue();
        line.call.finished().get(10, TimeUnit.SECONDS);
        JsonNode json = JSON.readTree(Files.readString(line.directory().resolve("call.json")));
        List<String> keys = new ArrayList<>();
        for (JsonNode k : json.path("dtmf")) {
            keys.add(k.path("digit").asText() + " " + k.path("duration_ms").asLong() + " "
                    + k.path("direction").asText());
        }
        assertEquals(List.of("4 60 outbound", "# 60 outbound"), keys, json.path("dtmf").toString());
        assertTrue(json.path("dtmf").path(0).path("at_ms").asLong() >= 200, json.path("dtmf").toString());
        assertTrue(json.path("dtmf").path(1).path("at_ms").asLong()
                >= json.path("dtmf").path(0).path("at_ms").asLong() + 60 + 80, "a key, then the 80 ms gap");
        JsonNode tool = json.path("tools").path(0);
        assertEquals("send_dtmf", tool.path("name").asText());
        assertTrue(tool.path("error").isNull(), tool.toString());
    }

    @Test
    void badKeysOrDurationsGetAnErrorAndSendNothing() {
        fx = new CallFixture(dir, CallFixture.policy(), null, agent(true));
        CallFixture.Line line = fx.answered(FakeDialog.PCMU);
        ScriptedRealtime.Session session = fx.realtime.session(0);
        List<String> bad = List.of("{\"digits\":\"12x\"}", "{\"digits\":\"\"}", "{}", "[1]",
                "{\"digits\":\"1\",\"duration_ms\":39}", "{\"digits\":\"1\",\"duration_ms\":2001}",
                "{\"digits\":\"1\",\"duration_ms\":\"long\"}", "{\"digits\":\"" + "1".repeat(65) + "\"}");
        for (int n = 0; n < bad.size(); n++) {
            session.event(new ServerEvent.ResponseCreated("resp_" + n));
            session.event(new ServerEvent.FunctionCallArgumentsDone("resp_" + n, "item_" + n, "call_" + n,
                    "send_dtmf", bad.get(n)));
            session.event(new ServerEvent.ResponseDone("resp_" + n, "completed", null));
        }
        List<ClientEvent.ConversationItem> outputs = outputs(session);
        assertEquals(bad.size(), outputs.size());
        for (ClientEvent.ConversationItem output : outputs) {
            String text = ((ClientEvent.ConversationItem.FunctionCallOutput) output).output();
            assertTrue(text.contains("\"code\":\"invalid_arguments\""), text);
        }
        fx.talk(400, line);
        assertEquals(0, line.sent.stream().filter(p -> p.payloadType() == EVENT_PT).count());
        assertEquals(new ToolResult.Failure("invalid_arguments", "duration_ms must be 40 to 2000.").output(),
                ((ClientEvent.ConversationItem.FunctionCallOutput) outputs.get(4)).output());
    }

    private static List<ClientEvent.ConversationItem> outputs(ScriptedRealtime.Session session) {
        return session.received(ClientEvent.ConversationItemCreate.class).stream()
                .map(ClientEvent.ConversationItemCreate::item)
                .filter(ClientEvent.ConversationItem.FunctionCallOutput.class::isInstance).toList();
    }
}
