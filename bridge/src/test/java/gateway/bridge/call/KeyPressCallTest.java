package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.realtime.ClientEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key presses in whole calls on the manual clock: to the model, into call.json, and sent to the caller. */
class KeyPressCallTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EVENT_PT = 101;

    @TempDir
    Path dir;
    private CallFixture fx;

    @AfterEach
    void close() {
        fx.close();
    }

    private JsonNode hangUpAndRead(CallFixture.Line line) throws Exception {
        line.dialog.listener.onRemoteBye();
        fx.scheduler.runDue();
        line.call.finished().get(10, TimeUnit.SECONDS);
        return JSON.readTree(Files.readString(line.directory().resolve("call.json")));
    }

    private static List<String> keysTold(ScriptedRealtime.Session session) {
        return session.received(ClientEvent.ConversationItemCreate.class).stream()
                .map(ClientEvent.ConversationItemCreate::item)
                .filter(ClientEvent.ConversationItem.UserText.class::isInstance)
                .map(i -> ((ClientEvent.ConversationItem.UserText) i).text()).toList();
    }

    private static List<String> dtmf(JsonNode json) {
        List<String> keys = new ArrayList<>();
        for (JsonNode k : json.path("dtmf")) {
            keys.add(k.path("digit").asText() + " " + k.path("at_ms").asLong() + " " + k.path("duration_ms").asLong()
                    + " " + k.path("direction").asText());
        }
        return keys;
    }

    @Test
    void keysFromRtpAndInfoReachTheModelAndCallJsonAndAKeySentGoesOnTheWireAndIntoCallJson() throws Exception {
        fx = new CallFixture(dir, CallFixture.policy());
        CallFixture.Line line = fx.answered(FakeDialog.PCMU);
        ScriptedRealtime.Session session = fx.realtime.last();
        fx.talk(200, line);
        line.pressKey(7, 4);
        assertEquals(List.of("The caller pressed 7 on the phone's keypad."), keysTold(session));
        List<String> types = session.types();
        assertEquals("response.create", types.get(types.size() - 1), "the model is asked to answer the key");

        fx.talk(100, line);
        line.dialog.listener.onInfoDigit('5', 160);
        fx.scheduler.runDue();
        assertEquals(List.of("The caller pressed 7 on the phone's keypad.",
                "The caller pressed 5 on the phone's keypad."), keysTold(session));
        assertEquals(1, session.types().stream().filter("response.create"::equals).count(),
                "no second response.create while the first reply is expected");

        int before = line.sent.size();
        assertTrue(line.sessions.get(0).sendDigits("9", 100));
        fx.talk(400, line);
        List<CallFixture.RtpOut> events = line.sent.subList(before, line.sent.size()).stream()
                .filter(p -> p.payloadType() == EVENT_PT).toList();
        assertEquals(7, events.size(), "5 packets of 20 ms for 100 ms, the end packet twice more: " + events);
        for (int i = 0; i < events.size(); i++) {
            CallFixture.RtpOut p = events.get(i);
            assertEquals(i == 0, p.marker(), "the marker on the first packet only");
            assertEquals(events.get(0).timestamp(), p.timestamp(), "one timestamp for the event");
            int duration = Math.min(i + 1, 5) * 160;
            assertEquals(List.of(9, i >= 4 ? 0x80 | 10 : 10, duration >> 8, duration & 0xFF),
                    List.of(p.payload()[0] & 0xFF, p.payload()[1] & 0xFF, p.payload()[2] & 0xFF,
                            p.payload()[3] & 0xFF), "packet " + i);
        }
        int at = line.sent.indexOf(events.get(0));
        for (int i = 1; i < line.sent.size() - at; i++) {
            assertEquals((events.get(0).sequence() + i) & 0xFFFF, line.sent.get(at + i).sequence(), "in sequence");
        }

        JsonNode json = hangUpAndRead(line);
        List<String> keys = dtmf(json);
        assertEquals(3, keys.size(), json.toString());
        assertEquals("7 200 100 inbound", keys.get(0), "the key's first packet arrived at 200 ms, held 100 ms");
        assertEquals("5 440 160 inbound", keys.get(1), "the INFO came at 440 ms: 200, the key's 7 packets, 100");
        assertTrue(keys.get(2).matches("9 4[4-6]0 100 outbound"), "sent at the next tick: " + keys.get(2));
    }

    @Test
    void withDtmfToModelOffTheModelIsNotToldButCallJsonListsTheKeys() throws Exception {
        fx = new CallFixture(dir, CallFixture.policy()).keysNotToModel();
        CallFixture.Line line = fx.answered(FakeDialog.PCMU);
        ScriptedRealtime.Session session = fx.realtime.last();
        fx.talk(100, line);
        line.pressKey(11, 2);
        line.dialog.listener.onInfoDigit('4', 0);
        fx.scheduler.runDue();
        assertEquals(List.of(), keysTold(session));
        assertTrue(!session.types().contains("response.create"), session.types().toString());
        assertEquals(List.of("# 100 60 inbound", "4 200 0 inbound"), dtmf(hangUpAndRead(line)));
    }

    @Test
    void aCallerFloodingKeysGetsAThousandToTheModelAndIntoCallJson() throws Exception {
        fx = new CallFixture(dir, CallFixture.policy());
        CallFixture.Line line = fx.answered(FakeDialog.PCMU);
        ScriptedRealtime.Session session = fx.realtime.last();
        for (int i = 0; i < Call.MAX_KEYS_TOLD + 50; i++) {
            line.dialog.listener.onInfoDigit('1', 40);
        }
        fx.scheduler.runDue();
        assertEquals(Call.MAX_KEYS_TOLD, keysTold(session).size());
        assertEquals(RecordingLeg.MAX_KEYS, dtmf(hangUpAndRead(line)).size());
    }

    @Test
    void keysPressedWhileRecordingIsPausedAreToldToTheModelButLeftOutOfCallJson() throws Exception {
        fx = new CallFixture(dir, CallFixture.policy());
        CallFixture.Line line = fx.answered(FakeDialog.PCMU);
        ScriptedRealtime.Session session = fx.realtime.last();
        fx.talk(100, line);
        line.call.pauseRecording(true, "api");
        fx.scheduler.runDue();
        line.dialog.listener.onInfoDigit('1', 100);
        fx.scheduler.runDue();
        line.call.pauseRecording(false, "api");
        fx.scheduler.runDue();
        line.dialog.listener.onInfoDigit('2', 100);
        fx.scheduler.runDue();
        assertEquals(List.of("The caller pressed 1 on the phone's keypad.",
                "The caller pressed 2 on the phone's keypad."), keysTold(session));
        assertEquals(List.of("2 100 100 inbound"), dtmf(hangUpAndRead(line)));
    }
}
