package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.realtime.ClientEvent;
import gateway.realtime.ServerEvent;
import gateway.sip.MediaDirection;
import gateway.testkit.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The call's states around the answer, on the manual clock: while the 200 OK is on its way ({@code ANSWERING},
 * {@code ANSWERING_HELD}) and when the call ends before the SIP layer has said whether it left ({@code ENDING}).
 * The test holds the 200's fate ({@link FakeDialog#holdAnswer}) and tells it when it wants.
 */
class CallStateTransitionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private CallFixture fx;

    @AfterEach
    void close() {
        if (fx != null) {
            fx.close();
        }
    }

    /** Places a call whose 200 OK waits for the test, and configures its session: the call answers. */
    private CallFixture.Line answering(gateway.sip.NegotiatedMedia offer) {
        fx = new CallFixture(dir, CallFixture.policy());
        CallFixture.Line line = fx.place(offer);
        line.dialog.holdAnswer();
        ScriptedRealtime.Session session = fx.realtime.session(0);
        session.created("sess_A", CallFixture.EPOCH_SECONDS + 3600);
        session.updated("sess_A", CallFixture.EPOCH_SECONDS + 3600);
        fx.scheduler.runDue();
        assertEquals(List.of("180", "200 203.0.113.5:20000"), line.dialog.actions);
        return line;
    }

    private void answerLeaves(CallFixture.Line line, boolean left) {
        line.dialog.answer.complete(left);
        fx.scheduler.runDue();
    }

    private JsonNode callJson(CallFixture.Line line) throws Exception {
        line.call.finished().get(10, TimeUnit.SECONDS);
        return JSON.readTree(Files.readString(line.directory().resolve("call.json")));
    }

    @Test
    void audioFlowsBothWaysWhileThe200IsOnItsWay() throws Exception {
        CallFixture.Line line = answering(FakeDialog.PCMU);
        assertEquals(CallState.ANSWERING, line.call.state());
        ScriptedRealtime.Session session = fx.realtime.session(0);
        fx.talk(200, line);
        assertEquals(10 * 480, session.appendedSamples(), "the caller's first packets reach the model");
        session.event(new ServerEvent.ResponseCreated("resp_1"));
        session.delta("resp_1", "item_A", CallTest.agentTone(100));
        fx.advanceMillis(200);
        assertEquals(5, line.loudPacketsSince(0), "the agent is heard before the SIP layer confirms the 200");

        answerLeaves(line, true);
        assertEquals(CallState.TALKING, line.call.state());
        assertTrue(fx.metrics.scrape().contains("gateway_calls_answered_total 1.0"));
    }

    @Test
    void anOfferThatHoldsTheCallIsAnsweredHeldAndNoAudioFlowsEitherWayUntilTheCallerResumes() throws Exception {
        CallFixture.Line line = answering(FakeDialog.PCMU.withDirection(MediaDirection.RECVONLY));
        assertEquals(CallState.ANSWERING_HELD, line.call.state());
        ScriptedRealtime.Session session = fx.realtime.session(0);
        session.event(new ServerEvent.ResponseCreated("resp_1"));
        session.delta("resp_1", "item_A", CallTest.agentTone(1000));
        fx.talk(400, line);
        assertEquals(0, session.appendedSamples(), "no caller audio to the model");

        answerLeaves(line, true);
        assertEquals(CallState.HELD, line.call.state());
        assertEquals(List.of(new ClientEvent.ItemTruncate("item_A", 0, 0)),
                session.received(ClientEvent.ItemTruncate.class), "nothing of the reply was played: it is cut at 0 ms");
        assertEquals(List.of(new ClientEvent.ResponseCancel("resp_1")),
                session.received(ClientEvent.ResponseCancel.class));
        fx.talk(400, line);
        assertEquals(0, session.appendedSamples(), "still none while held");

        line.dialog.listener.onMediaChanged(FakeDialog.PCMU);
        fx.scheduler.runDue();
        assertEquals(CallState.TALKING, line.call.state());
        fx.talk(400, line);
        assertEquals(20 * 480, session.appendedSamples(), "caller audio flows once the caller resumes");

        line.dialog.listener.onRemoteBye();
        fx.scheduler.runDue();
        JsonNode holds = callJson(line).path("holds");
        assertEquals(1, holds.size(), holds.toString());
        assertEquals(400, holds.path(0).path("start_ms").asLong(), 20, "the hold counts from the 200 OK leaving");
        assertEquals(800, holds.path(0).path("end_ms").asLong(), 20);
    }

    @Test
    void aHoldOrResumeBeforeThe200LeftIsFollowedAtOnce() {
        CallFixture.Line line = answering(FakeDialog.PCMU);
        line.dialog.listener.onMediaChanged(FakeDialog.PCMU.withDirection(MediaDirection.INACTIVE));
        fx.scheduler.runDue();
        assertEquals(CallState.ANSWERING_HELD, line.call.state());
        line.dialog.listener.onMediaChanged(FakeDialog.PCMU);
        fx.scheduler.runDue();
        assertEquals(CallState.ANSWERING, line.call.state());
        fx.talk(100, line);
        assertEquals(5 * 480, fx.realtime.session(0).appendedSamples());
    }

    @Test
    void aCallEndedWhileThe200IsOnItsWayKeepsItsRecordingOnceThe200Left() throws Exception {
        CallFixture.Line line = answering(FakeDialog.PCMU);
        fx.talk(300, line);
        line.call.shutdown();
        fx.scheduler.runDue();
        assertEquals(CallState.ENDING, line.call.state());
        assertTrue(line.dialog.actions.contains("BYE"), "the legs are closed at once");
        assertTrue(fx.realtime.session(0).closedByCall());
        assertFalse(line.call.finished().isDone(), "the recording waits for the 200's fate");
        assertFalse(Files.exists(line.directory().resolve("call.json")));

        answerLeaves(line, true);
        assertEquals(CallState.ENDED, line.call.state());
        JsonNode json = callJson(line);
        assertEquals("shutdown", json.path("end_reason").asText());
        assertEquals(300, json.path("duration_ms").asLong(), 20);
    }

    @Test
    void aCallCancelledWhileThe200IsOnItsWayLeavesNoRecordingWhenThe200DidNotLeave() throws Exception {
        CallFixture.Line line = answering(FakeDialog.PCMU);
        fx.talk(200, line);
        line.dialog.listener.onCancel();
        fx.scheduler.runDue();
        assertEquals(CallState.ENDING, line.call.state());
        assertFalse(line.dialog.actions.contains("BYE"), "the caller ended it: no BYE");

        answerLeaves(line, false);
        assertEquals(CallState.ENDED, line.call.state());
        line.call.finished().get(5, TimeUnit.SECONDS);
        Await.until(() -> !Files.exists(line.directory()), Duration.ofSeconds(10),
                () -> "still there: " + line.directory());
        assertFalse(fx.metrics.scrape().contains("gateway_calls_answered_total 1.0"), "never answered");
        assertTrue(fx.metrics.scrape().contains("gateway_calls_ended_total{reason=\"cancelled\"} 1.0"));
    }

    @Test
    void a200ThatCouldNotLeaveEndsTheCallEvenBeforeTheDialogSaysWhy() throws Exception {
        CallFixture.Line line = answering(FakeDialog.PCMU);
        answerLeaves(line, false);
        assertEquals(CallState.ENDED, line.call.state());
        line.call.finished().get(5, TimeUnit.SECONDS);
        assertTrue(fx.realtime.session(0).closedByCall());
        assertTrue(fx.metrics.scrape().contains("gateway_calls_ended_total{reason=\"sip_terminated\"} 1.0"));
        Await.until(() -> !Files.exists(line.directory()), Duration.ofSeconds(10),
                () -> "still there: " + line.directory());
    }
}
