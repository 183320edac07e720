package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import gateway.realtime.ClientEvent;
import gateway.realtime.ServerEvent;
import gateway.sip.MediaDirection;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A drain's end on the manual clock ({@link Call#sayGoodbye}): the agent's reply under way gives way to the goodbye,
 * which plays out whole to the caller and into the recording before the BYE ({@code shutdown}); the BYE goes at the
 * bound even if the goodbye is not over, and at once on a call that cannot hear one.
 */
class DrainGoodbyeCallTest {

    private static final String INSTRUCTIONS = CallFixture.SESSION.instructions();
    private static final String GOODBYE = "We have to end this call now. Goodbye.";

    @AutoClose
    private final CallFixture fx;

    DrainGoodbyeCallTest(@TempDir Path dir) {
        this.fx = new CallFixture(dir, CallFixture.policy());
    }

    private CallFixture.Line answered() {
        return fx.answered(FakeDialog.PCMU);
    }

    private static List<ClientEvent.ResponseCreate> responseCreates(ScriptedRealtime.Session session) {
        return session.received(ClientEvent.ResponseCreate.class);
    }

    private void sayGoodbye(CallFixture.Line line, String text, long maxMs) {
        line.call.sayGoodbye(text, maxMs);
        fx.scheduler.runDue();
    }

    @Test
    void theGoodbyeReplacesTheReplyUnderWayAndPlaysWholeBeforeTheBye() throws Exception {
        CallFixture.Line line = answered();
        ScriptedRealtime.Session session = fx.realtime.session(0);
        fx.talk(400, line);
        session.event(new ServerEvent.ResponseCreated("resp_1"));
        session.delta("resp_1", "item_A", CallTest.agentTone(3000));
        fx.talk(400, line);

        sayGoodbye(line, GOODBYE, 8000);
        assertEquals(List.of(new ClientEvent.ResponseCancel("resp_1")),
                session.received(ClientEvent.ResponseCancel.class), "the reply under way is cancelled");
        assertEquals(1, session.received(ClientEvent.ItemTruncate.class).size(), "and cut where the caller was");
        assertEquals(List.of(), responseCreates(session), "one response at a time: after the cancelled one is done");
        session.event(new ServerEvent.ResponseDone("resp_1", "cancelled", null));
        assertEquals(List.of(new ClientEvent.ResponseCreate(INSTRUCTIONS + "\n\n" + ConversationControl.SHUTDOWN_NOTE
                + GOODBYE, "gw_response_0")), responseCreates(session));

        session.event(new ServerEvent.ResponseCreated("resp_BYE"));
        int before = line.sent.size();
        session.delta("resp_BYE", "item_BYE", CallTest.agentTone(700));
        session.event(new ServerEvent.ResponseDone("resp_BYE", "completed", null));
        fx.talk(600, line);
        assertFalse(line.dialog.actions.contains("BYE"), "not while the goodbye plays");
        fx.talk(200, line);
        assertTrue(line.dialog.actions.contains("BYE"), "BYE once it played: " + line.dialog.actions);
        assertEquals(35, line.loudPacketsSince(before), "the whole goodbye reached the caller");

        JsonNode json = line.callJson();
        assertEquals("shutdown", json.path("end_reason").asText());
        JsonNode cut = json.path("turns").path(0);
        assertEquals("item_A", cut.path("item_id").asText());
        assertTrue(cut.path("interrupted").asBoolean(), "the reply under way was cut: " + cut);
        JsonNode goodbye = json.path("turns").path(1);
        assertEquals("item_BYE", goodbye.path("item_id").asText());
        assertFalse(goodbye.path("interrupted").asBoolean(), "the goodbye was not cut: " + goodbye);
        assertEquals(700, goodbye.path("end_ms").asLong() - goodbye.path("start_ms").asLong(), 20,
                "the goodbye's 700 ms are on the recording's assistant channel");
    }

    @Test
    void theByeGoesAtTheBoundEvenIfTheGoodbyeIsNotOver() throws Exception {
        CallFixture.Line line = answered();
        ScriptedRealtime.Session session = fx.realtime.session(0);
        fx.talk(200, line);
        sayGoodbye(line, GOODBYE, 2000);
        assertEquals(1, responseCreates(session).size(), "nothing was under way: the goodbye is asked for at once");
        session.event(new ServerEvent.ResponseCreated("resp_BYE"));
        session.delta("resp_BYE", "item_BYE", CallTest.agentTone(5000));
        fx.talk(1960, line);
        assertFalse(line.dialog.actions.contains("BYE"), "within the bound");
        fx.talk(60, line);
        assertTrue(line.dialog.actions.contains("BYE"), "at the bound: " + line.dialog.actions);
        assertEquals("shutdown", line.callJson().path("end_reason").asText());
    }

    @Test
    void aCallOnHoldGetsItsByeAtOnce() throws Exception {
        CallFixture.Line line = answered();
        ScriptedRealtime.Session session = fx.realtime.session(0);
        fx.talk(200, line);
        line.dialog.listener.onMediaChanged(FakeDialog.PCMU.withDirection(MediaDirection.RECVONLY));
        fx.scheduler.runDue();
        sayGoodbye(line, GOODBYE, 8000);
        assertTrue(line.dialog.actions.contains("BYE"), line.dialog.actions.toString());
        assertEquals(List.of(), responseCreates(session), "no goodbye the caller would not hear");
        assertEquals("shutdown", line.callJson().path("end_reason").asText());
    }

    @Test
    void aCallWhoseSessionWasLostGetsItsByeAtOnce() throws Exception {
        CallFixture.Line line = answered();
        fx.talk(200, line);
        fx.realtime.session(0).serverCloses(-1, "connection lost");
        fx.scheduler.runDue();
        sayGoodbye(line, GOODBYE, 8000);
        assertTrue(line.dialog.actions.contains("BYE"), line.dialog.actions.toString());
        assertEquals("shutdown", line.callJson().path("end_reason").asText());
    }

    @Test
    void anEmptyGoodbyeMeansTheByeAtOnce() throws Exception {
        CallFixture.Line line = answered();
        fx.talk(200, line);
        sayGoodbye(line, "", 8000);
        assertTrue(line.dialog.actions.contains("BYE"), line.dialog.actions.toString());
        assertEquals(List.of(), responseCreates(fx.realtime.session(0)));
        assertEquals("shutdown", line.callJson().path("end_reason").asText());
    }
}
