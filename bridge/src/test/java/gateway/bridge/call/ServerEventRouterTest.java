package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import gateway.bridge.metrics.GatewayMetrics;
import gateway.library.Role;
import gateway.library.Turn;
import gateway.realtime.ClientEvent;
import gateway.realtime.ServerEvent;
import gateway.realtime.SessionSettings;
import gateway.time.ManualScheduler;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which part of the call hears which server event, by the state of the session it came from: the live session is
 * heard on everything, a replaced one that drains only on its transcripts, one not yet live only on its own life.
 */
class ServerEventRouterTest {

    private final ManualScheduler scheduler = new ManualScheduler(0);
    private final ScriptedRealtime service = new ScriptedRealtime();
    private final TurnLog turns = new TurnLog();
    private final TestControl call = new TestControl();
    private final List<Boolean> pauses = call.pauses;
    private final RealtimeLegs legs = new RealtimeLegs("call-1", service, new ClientEvent.SessionUpdate(
            new SessionSettings("Be brief.", "marin", "gpt-4o-mini-transcribe")), CallFixture.policy(), scheduler,
            () -> Instant.EPOCH, new CallClock(scheduler), null);
    private final ServerEventRouter router = new ServerEventRouter(legs,
            new Conversation("call-1", turns, new GatewayMetrics(), scheduler, () -> { }),
            call.control("call-1", TestControl.AGENT, scheduler, new GatewayMetrics(), e -> service.last().send(e)));

    /** A session in {@code state} that has taken one second of caller audio from recording position 0. */
    private RealtimeLeg session(int index, RealtimeLeg.State state) {
        RealtimeLeg leg = new RealtimeLeg(index, legs);
        leg.linked(service.connect(leg).join());
        leg.append(new short[24_000], 0, 24_000, 0);
        leg.state(state);
        return leg;
    }

    @Test
    void theLiveSessionIsHeardOnItsConversation() {
        RealtimeLeg live = session(0, RealtimeLeg.State.LIVE);
        router.route(live, new ServerEvent.SpeechStarted(200, "item_U"));
        router.route(live, new ServerEvent.SpeechStopped(700, "item_U"));
        router.route(live, new ServerEvent.InputTranscriptionCompleted("item_U", "hello"));
        assertEquals(List.of(new Turn(Role.CALLER, 200, 700, "hello", "item_U", false)), turns.snapshot(1000));
    }

    @Test
    void aReplacedSessionStillFillsInItsTranscriptsButIsNotHeardOtherwise() {
        RealtimeLeg live = session(1, RealtimeLeg.State.LIVE);
        RealtimeLeg draining = session(0, RealtimeLeg.State.DRAINING);
        router.route(live, new ServerEvent.SpeechStarted(100, "item_U1"));
        router.route(live, new ServerEvent.SpeechStopped(400, "item_U1"));
        router.route(draining, new ServerEvent.InputTranscriptionCompleted("item_U1", "late but wanted"));
        router.route(draining, new ServerEvent.SpeechStarted(500, "item_U2"));
        assertEquals(List.of(new Turn(Role.CALLER, 100, 400, "late but wanted", "item_U1", false)),
                turns.snapshot(1000), "the draining session's speech_started makes no turn");
    }

    @Test
    void aSessionNotYetLiveIsHeardOnlyOnItsOwnLife() {
        RealtimeLeg standby = session(1, RealtimeLeg.State.CONFIGURING);
        router.route(standby, new ServerEvent.SpeechStarted(100, "item_U"));
        router.route(standby, new ServerEvent.InputTranscriptionCompleted("item_U", "not heard"));
        router.route(standby, new ServerEvent.FunctionCallArgumentsDone("resp_1", "item_F", "call_1",
                "pause_recording", "{}"));
        assertEquals(List.of(), turns.snapshot(1000));
        assertEquals(List.of(), pauses, "no tool runs for a session that is not live");
        assertNull(standby.sessionId());
        router.route(standby, new ServerEvent.SessionCreated("sess_B", 1_800_003_600L));
        assertEquals("sess_B", standby.sessionId());
        assertEquals(1_800_003_600L, standby.expiresAt());
    }

    @Test
    void theLiveSessionsFunctionCallRunsAndItsOutputFollowsItsResponse() {
        RealtimeLeg live = session(0, RealtimeLeg.State.LIVE);
        ScriptedRealtime.Session socket = service.last();
        router.route(live, new ServerEvent.ResponseCreated("resp_1"));
        router.route(live, new ServerEvent.FunctionCallArgumentsDone("resp_1", "item_F", "call_1",
                "pause_recording", "{}"));
        assertEquals(List.of(true), pauses);
        assertEquals(List.of(), socket.received(ClientEvent.ConversationItemCreate.class));
        router.route(live, new ServerEvent.ResponseDone("resp_1", "completed", null));
        assertEquals(List.of("conversation.item.create", "response.create"), socket.types());
    }

    @Test
    void sessionExpiredEndsTheSessionItCameFrom() {
        RealtimeLeg draining = session(0, RealtimeLeg.State.DRAINING);
        router.route(draining, new ServerEvent.ErrorEvent("invalid_request_error", "session_expired",
                "Your session hit the maximum duration of 60 minutes.", null));
        assertEquals(RealtimeLeg.State.CLOSED, draining.state());
    }
}
