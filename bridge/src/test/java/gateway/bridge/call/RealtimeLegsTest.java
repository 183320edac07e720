package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.bridge.metrics.GatewayMetrics;
import gateway.library.SessionPeriod;
import gateway.realtime.ClientEvent;
import gateway.realtime.ServerEvent;
import gateway.realtime.SessionSettings;
import gateway.time.ManualScheduler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Realtime side of one call and its phases, on the manual clock against the scripted service: the first session
 * before the answer, rollover at a turn boundary, reconnect with the caller's audio held, and giving up. Server
 * events go through the call's real router, as in a call.
 */
class RealtimeLegsTest {

    private static final long EPOCH = CallFixture.EPOCH_SECONDS;
    private static final ClientEvent.ConversationItem SAID = new ClientEvent.ConversationItem.UserText("hello");

    private final ManualScheduler scheduler = new ManualScheduler(0);
    private final ScriptedRealtime service = new ScriptedRealtime();
    private final CallClock clock = new CallClock(scheduler);
    private final Recorded events = new Recorded();
    private RealtimeLegs legs;

    /** What the call is told, and the call's answers: a turn boundary or not, the conversation so far. */
    private final class Recorded implements RealtimeLegs.Events {
        final List<String> said = new ArrayList<>();
        boolean atTurnBoundary = true;
        ServerEventRouter router;

        @Override
        public void onFirstSessionReady() {
            said.add("ready");
        }

        @Override
        public void onServerEvent(RealtimeLeg leg, ServerEvent event) {
            router.route(leg, event);
        }

        @Override
        public void onAudioDelta(RealtimeLeg leg, String responseId, String itemId, short[] pcm, int offset,
                                 int length) {
            said.add("audio from " + leg.index());
        }

        @Override
        public void onAudioCodes(RealtimeLeg leg, String responseId, String itemId, byte[] codes, int offset,
                                 int length) {
            said.add("codes from " + leg.index());
        }

        @Override
        public boolean atTurnBoundary() {
            return atTurnBoundary;
        }

        @Override
        public List<ClientEvent.ConversationItem> context(int maxChars) {
            return List.of(SAID);
        }

        @Override
        public void onSwitched(String reason) {
            said.add("switched: " + reason);
        }

        @Override
        public void onLost(String why) {
            said.add("lost: " + why);
            legs.close("realtime_lost");
        }

        @Override
        public void onFault(Throwable error) {
            throw new AssertionError("fault", error);
        }
    }

    private RealtimeLegs legs(RealtimePolicy policy) {
        legs = new RealtimeLegs("call-1", service, new ClientEvent.SessionUpdate(new SessionSettings("Be brief.",
                "marin", "gpt-4o-mini-transcribe")), policy, scheduler,
                () -> Instant.ofEpochSecond(EPOCH).plusNanos(scheduler.nanoTime()), clock, events);
        Conversation conversation = new Conversation("call-1", new TurnLog(), new GatewayMetrics(), scheduler,
                () -> { });
        events.router = new ServerEventRouter(legs, conversation, new TestControl().control("call-1",
                TestControl.AGENT, scheduler, new GatewayMetrics(), legs::send));
        return legs;
    }

    /** Opens the first session, configures it, and answers: it goes live. */
    private void live(long expiresAt) {
        legs.open();
        scheduler.runDue();
        assertEquals(RealtimeLegs.Phase.OPENING, legs.phase());
        service.session(0).updated("sess_A", expiresAt);
        assertEquals(RealtimeLegs.Phase.READY, legs.phase());
        assertEquals(List.of("ready"), events.said);
        clock.start();
        legs.goLive();
        assertEquals(RealtimeLegs.Phase.LIVE, legs.phase());
    }

    private void talk(int frames) {
        short[] frame = new short[480];
        for (int i = 0; i < frames; i++) {
            long position = clock.position();
            legs.appendCallerAudio(frame, 0, frame.length, position, null, 0);
            scheduler.advanceMillis(20);
        }
    }

    @Test
    void theFirstSessionOpensBeforeTheAnswerAndGoesLiveWithIt() {
        legs(CallFixture.policy());
        live(EPOCH + 3600);
        assertEquals(List.of("ready", "switched: initial"), events.said);
        assertEquals(0, legs.live().index());
        talk(5);
        assertEquals(5 * 480, service.session(0).appendedSamples());
        service.session(0).delta("resp_1", "item_A", new short[480]);
        assertEquals("audio from 0", events.said.get(events.said.size() - 1));
    }

    @Test
    void nearItsEndTheLiveSessionIsReplacedAtTheNextTurnBoundary() {
        legs(new RealtimePolicy(5_000, 300_000, 3, 250, 8_000));
        live(EPOCH + 400);                                   // the next session opens 300 s before: at 100 s
        scheduler.advanceMillis(99_999);
        assertEquals(RealtimeLegs.Phase.LIVE, legs.phase());
        scheduler.advanceMillis(1);
        assertEquals(RealtimeLegs.Phase.ROLLING_OVER, legs.phase());
        scheduler.runDue();
        events.atTurnBoundary = false;                       // the caller is speaking
        service.session(1).updated("sess_B", EPOCH + 4000);
        assertTrue(legs.switchWanted());
        assertEquals(RealtimeLegs.Phase.ROLLING_OVER, legs.phase(), "no swap mid-turn");
        talk(5);
        assertEquals(0, service.session(1).appendedSamples());

        events.atTurnBoundary = true;
        legs.maybeSwitch();
        assertEquals(RealtimeLegs.Phase.LIVE, legs.phase());
        assertEquals(List.of("ready", "switched: initial", "switched: rollover"), events.said);
        assertEquals(List.of(new ClientEvent.ConversationItemCreate(SAID)),
                service.session(1).received(ClientEvent.ConversationItemCreate.class), "the conversation so far");
        talk(5);
        assertEquals(5 * 480, service.session(1).appendedSamples(), "the caller's audio goes to the new session");
        assertFalse(service.session(0).closedByCall(), "the old session drains its late transcripts");
        scheduler.advanceMillis(3000);
        assertTrue(service.session(0).closedByCall());
        List<SessionPeriod> periods = legs.periods();
        assertEquals("rollover", periods.get(0).endReason());
        assertEquals(100_100, periods.get(0).endMs());
        assertEquals(100_100, periods.get(1).startMs());
    }

    @Test
    void aFailedLiveSessionIsReplacedAndWhatTheCallerSaidMeanwhileReachesTheNextOne() {
        legs(CallFixture.policy());
        live(EPOCH + 3600);
        talk(5);
        service.session(0).serverCloses(-1, "connection lost");
        assertEquals(RealtimeLegs.Phase.RECONNECTING, legs.phase());
        scheduler.runDue();
        talk(10);                                            // held while the next session is configured
        assertEquals(0, service.session(1).appendedSamples());
        service.session(1).updated("sess_B", EPOCH + 3600);
        assertEquals(RealtimeLegs.Phase.LIVE, legs.phase());
        assertEquals("switched: reconnect", events.said.get(events.said.size() - 1));
        assertEquals(10 * 480, service.session(1).appendedSamples(), "nothing the caller said is lost");
        assertEquals("connection_lost", legs.periods().get(0).endReason());
    }

    @Test
    void afterTheLastAttemptTheCallIsToldItLostTheRealtimeSide() {
        legs(new RealtimePolicy(5_000, 300_000, 2, 250, 8_000));
        live(EPOCH + 3600);
        service.refuseFrom(2);
        service.session(0).serverCloses(1001, "going away");
        scheduler.runDue();
        assertEquals(RealtimeLegs.Phase.RECONNECTING, legs.phase(), "one attempt failed, one is left");
        scheduler.advanceMillis(250);
        assertEquals(RealtimeLegs.Phase.CLOSED, legs.phase());
        assertEquals(3, service.connects());
        assertTrue(events.said.get(events.said.size() - 1).startsWith("lost: no Realtime session after 2 attempts"),
                events.said.toString());
    }

    @Test
    void aRolloverWhoseNextSessionCannotBeOpenedGivesUpAndTheLiveOneRunsOn() {
        legs(new RealtimePolicy(5_000, 300_000, 2, 250, 8_000));
        live(EPOCH + 400);
        service.refuseFrom(2);
        scheduler.advanceMillis(100_000);
        scheduler.runDue();
        assertEquals(RealtimeLegs.Phase.ROLLING_OVER, legs.phase());
        scheduler.advanceMillis(250);
        assertEquals(RealtimeLegs.Phase.LIVE, legs.phase(), "given up after 2 attempts");
        assertEquals(List.of("ready", "switched: initial"), events.said, "the call is not told: its session runs on");
        talk(5);
        assertEquals(5 * 480, service.session(0).appendedSamples());
    }

    @Test
    void beforeTheAnswerASessionThatCannotBeOpenedLosesTheCall() {
        legs(CallFixture.policy());
        service.refuseFrom(1);
        legs.open();
        scheduler.runDue();
        assertEquals(RealtimeLegs.Phase.CLOSED, legs.phase());
        assertEquals(1, service.connects(), "no reconnect before the answer");
        assertTrue(events.said.get(0).startsWith("lost: connect_failed"), events.said.toString());
    }

    @Test
    void theCallsEndClosesEverySession() {
        legs(new RealtimePolicy(5_000, 300_000, 3, 250, 8_000));
        live(EPOCH + 400);
        scheduler.advanceMillis(100_000);
        scheduler.runDue();
        talk(5);
        legs.close("caller_bye");
        assertEquals(RealtimeLegs.Phase.CLOSED, legs.phase());
        assertTrue(service.session(0).closedByCall());
        assertTrue(service.session(1).closedByCall());
        assertEquals(List.of(new SessionPeriod(0, "sess_A", 0, 100_100, "caller_bye", 5 * 20)), legs.periods(),
                "the five frames the caller spoke went to the session");
    }
}
