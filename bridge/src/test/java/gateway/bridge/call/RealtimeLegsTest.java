package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
        long resentFrom = -1;
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
        public void onSwitched(String reason, long resentFromMs) {
            said.add("switched: " + reason);
            resentFrom = resentFromMs;
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

    /** The caller says 20 ms frames {@code from} to {@code to} (exclusive) of {@link #said}, one every 20 ms. */
    private void say(int from, int to) {
        short[] frame = new short[480];
        for (int k = from; k < to; k++) {
            for (int i = 0; i < frame.length; i++) {
                frame[i] = said(k * 480L + i);
            }
            legs.appendCallerAudio(frame, 0, frame.length, clock.position(), null, 0);
            scheduler.advanceMillis(20);
        }
    }

    /** Sample {@code n} of what the caller says: a ramp, so every sample tells where it came from. */
    private static short said(long n) {
        return (short) (n % 30_000);
    }

    /** What the caller said from sample {@code from} to {@code to} (exclusive). */
    private static short[] said(long from, long to) {
        short[] out = new short[(int) (to - from)];
        for (int i = 0; i < out.length; i++) {
            out[i] = said(from + i);
        }
        return out;
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
        legs(new RealtimePolicy(5_000, 300_000, 3, 250, 8_000, 2_000));
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
        assertEquals((5 + 10) * 480, service.session(1).appendedSamples(),
                "nothing the caller said is lost: the 5 frames the first session never took into a turn, then the 10");
        assertEquals("connection_lost", legs.periods().get(0).endReason());
        assertEquals(5 * 20, legs.periods().get(1).resentMs());
    }

    /**
     * The socket drops mid-utterance: the first session had heard the caller start speaking at 300 ms, never the
     * end. The next session is given the utterance from its start, each sample as it was first sent, then what the
     * caller said during the reconnect, and times its input on the recording's timeline from the utterance's start.
     */
    @Test
    void aSessionDroppedMidUtteranceLeavesTheUtteranceToTheNextOne() {
        legs(CallFixture.policy());
        live(EPOCH + 3600);
        say(0, 25);
        service.session(0).event(new ServerEvent.SpeechStarted(300, "item_1"));
        say(25, 40);
        service.session(0).serverCloses(-1, "connection lost");
        scheduler.runDue();
        say(40, 50);                                         // held while the next session is configured
        service.session(1).updated("sess_B", EPOCH + 3600);
        assertEquals(RealtimeLegs.Phase.LIVE, legs.phase());

        assertEquals(List.of("session.update", "conversation.item.create"),
                service.session(1).types().subList(0, 2), "the conversation so far comes first");
        assertArrayEquals(said(15 * 480, 50 * 480), service.session(1).appendedAudio(),
                "the utterance from 300 ms, then what was held, each sample once");
        assertEquals(300, legs.live().input().recordingMs(0), "the new session's input starts at 300 ms");
        assertEquals(300, events.resentFrom, "the call is told where the resent audio starts");
        assertEquals(1000, legs.live().input().recordingMs(700));
        say(50, 55);
        legs.close("caller_bye");
        List<SessionPeriod> periods = legs.periods();
        assertEquals(new SessionPeriod(0, "sess_A", 0, 800, "connection_lost", 800, 0), periods.get(0));
        assertEquals(500, periods.get(1).resentMs(), "300-800 ms was given again");
        assertEquals(500 + 200 + 100, periods.get(1).inputMs(), "resent, held, then live");
    }

    /**
     * A clean close (1001 going away) mid-utterance ends the session as a drop does: it takes its uncommitted input
     * with it, so the next session is given the utterance from its start, as it was sent, before what was held.
     */
    @Test
    void aSessionClosedCleanlyMidUtteranceLeavesTheUtteranceToTheNextOne() {
        legs(CallFixture.policy());
        live(EPOCH + 3600);
        say(0, 25);
        service.session(0).event(new ServerEvent.SpeechStarted(300, "item_1"));
        say(25, 40);
        service.session(0).serverCloses(1001, "going away");
        scheduler.runDue();
        say(40, 50);
        service.session(1).updated("sess_B", EPOCH + 3600);

        assertArrayEquals(said(15 * 480, 50 * 480), service.session(1).appendedAudio(),
                "the utterance from 300 ms, then what was held, each sample once");
        assertEquals(300, events.resentFrom);
        assertEquals(300, legs.live().input().recordingMs(0));
        assertEquals(new SessionPeriod(0, "sess_A", 0, 800, "closed_1001", 800, 0), legs.periods().get(0));
        assertEquals(500, legs.periods().get(1).resentMs());
    }

    /**
     * {@code session_expired} (then the service's close, §5.5) mid-utterance: the same. What the session took into a
     * turn is not given again; the close that follows the error changes nothing.
     */
    @Test
    void anExpiredSessionLeavesTheUtteranceItWasHearingToTheNextOne() {
        legs(CallFixture.policy());
        live(EPOCH + 3600);
        say(0, 20);
        service.session(0).event(new ServerEvent.SpeechStarted(100, "item_1"));
        service.session(0).event(new ServerEvent.SpeechStopped(300, "item_1"));
        say(20, 30);
        service.session(0).event(new ServerEvent.SpeechStarted(500, "item_2"));
        say(30, 40);
        service.session(0).event(new ServerEvent.ErrorEvent("invalid_request_error", "session_expired",
                "Your session hit the maximum duration of 60 minutes.", null));
        service.session(0).serverCloses(1001, "Your session hit the maximum duration of 60 minutes.");
        scheduler.runDue();
        say(40, 45);
        service.session(1).updated("sess_B", EPOCH + 3600);

        assertArrayEquals(said(25 * 480, 45 * 480), service.session(1).appendedAudio(),
                "from the second utterance's start at 500 ms, then what was held");
        assertEquals(500, events.resentFrom);
        assertEquals("session_expired", legs.periods().get(0).endReason());
        assertEquals(300, legs.periods().get(1).resentMs());
    }

    /**
     * What the first session took into a turn (up to its speech_stopped's end) is not given again, and of the rest
     * only the last {@code realtime.resend-ms}; the kept audio wraps around its ring mid-frame.
     */
    @Test
    void whatASessionTookIntoATurnIsNotGivenAgainAndAtMostTheKeptStretchIs() {
        legs(new RealtimePolicy(5_000, 300_000, 3, 250, 8_000, 210));
        live(EPOCH + 3600);
        say(0, 20);
        service.session(0).event(new ServerEvent.SpeechStarted(100, "item_1"));
        service.session(0).event(new ServerEvent.SpeechStopped(300, "item_1"));
        say(20, 60);                                         // 1200 ms sent, the last 210 ms kept
        service.session(0).serverCloses(-1, "connection lost");
        scheduler.runDue();
        service.session(1).updated("sess_B", EPOCH + 3600);
        assertArrayEquals(said(1200 * 24 - 210 * 24, 1200 * 24), service.session(1).appendedAudio());

        say(60, 70);
        service.session(1).event(new ServerEvent.SpeechStarted(200, "item_2"));
        service.session(1).event(new ServerEvent.SpeechStopped(410, "item_2"));  // all it had, in a turn
        service.session(1).serverCloses(-1, "connection lost");
        scheduler.runDue();
        service.session(2).updated("sess_C", EPOCH + 3600);
        assertEquals(0, service.session(2).appendedSamples(), "nothing the second session had not taken");
        assertEquals(List.of(0L, 210L, 0L), legs.periods().stream().map(SessionPeriod::resentMs).toList());
    }

    /** A resend of none: {@code realtime.resend-ms} 0 keeps nothing, and the next session gets only what was held. */
    @Test
    void withNothingKeptNothingIsResent() {
        legs(new RealtimePolicy(5_000, 300_000, 3, 250, 8_000, 0));
        live(EPOCH + 3600);
        say(0, 10);
        service.session(0).serverCloses(-1, "connection lost");
        scheduler.runDue();
        say(10, 12);
        service.session(1).updated("sess_B", EPOCH + 3600);
        assertArrayEquals(said(10 * 480, 12 * 480), service.session(1).appendedAudio());
        assertEquals(0, legs.periods().get(1).resentMs());
    }

    @Test
    void afterTheLastAttemptTheCallIsToldItLostTheRealtimeSide() {
        legs(new RealtimePolicy(5_000, 300_000, 2, 250, 8_000, 2_000));
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
        legs(new RealtimePolicy(5_000, 300_000, 2, 250, 8_000, 2_000));
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
        legs(new RealtimePolicy(5_000, 300_000, 3, 250, 8_000, 2_000));
        live(EPOCH + 400);
        scheduler.advanceMillis(100_000);
        scheduler.runDue();
        talk(5);
        legs.close("caller_bye");
        assertEquals(RealtimeLegs.Phase.CLOSED, legs.phase());
        assertTrue(service.session(0).closedByCall());
        assertTrue(service.session(1).closedByCall());
        assertEquals(List.of(new SessionPeriod(0, "sess_A", 0, 100_100, "caller_bye", 5 * 20, 0)), legs.periods(),
                "the five frames the caller spoke went to the session");
    }
}
