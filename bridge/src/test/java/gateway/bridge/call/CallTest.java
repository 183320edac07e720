package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.realtime.ClientEvent;
import gateway.realtime.ServerEvent;
import gateway.rtp.G711;
import gateway.sip.MediaDirection;
import gateway.testkit.Signals;
import gateway.testkit.WavReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole calls on the manual clock: answer, barge-in, hold and resume, Realtime sessions replaced, hang-up. */
class CallTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private CallFixture fx;

    private CallFixture fixture(RealtimePolicy policy) {
        fx = new CallFixture(dir, policy);
        return fx;
    }

    @AfterEach
    void close() {
        if (fx != null) {
            fx.close();
        }
    }

    /** A 440 Hz tone at 24 kHz, about −10 dBFS: the agent's voice. */
    static short[] agentTone(int ms) {
        return Signals.sine(440, 24_000, 10_000, ms * 24);
    }

    private JsonNode callJson(CallFixture.Line line) throws Exception {
        line.call.finished().get(10, TimeUnit.SECONDS);
        return JSON.readTree(Files.readString(line.directory().resolve("call.json")));
    }

    private void hangUp(CallFixture.Line line) {
        line.dialog.listener.onRemoteBye();
        fx.scheduler.runDue();
    }

    @Test
    void aCallRingsOpensItsLegsAndIsAnsweredOnceTheSessionIsConfigured() throws Exception {
        fixture(CallFixture.policy());
        CallFixture.Line line = fx.place(FakeDialog.PCMU);
        assertEquals(List.of("180"), line.dialog.actions, "rings while the legs open");
        ScriptedRealtime.Session session = fx.realtime.session(0);
        assertEquals(List.of("session.update"), session.types());
        session.created("sess_A", CallFixture.EPOCH_SECONDS + 3600);
        fx.scheduler.runDue();
        assertEquals(List.of("180"), line.dialog.actions, "no answer before session.updated");
        session.updated("sess_A", CallFixture.EPOCH_SECONDS + 3600);
        fx.scheduler.runDue();
        assertEquals(List.of("180", "200 203.0.113.5:20000"), line.dialog.actions);
        assertEquals(CallState.TALKING, line.call.state());

        fx.talk(1000, line);
        assertEquals(50 * 480, session.appendedSamples(), "every caller packet went to the session at once");
        short[] heard = session.appendedAudio();
        double rms = rms(heard, 2400, heard.length);
        assertEquals(8000 / Math.sqrt(2), rms, 300, "the caller's tone reached the model, resampled to 24 kHz");
        assertEquals(51, line.sent.size(), "one RTP packet every 20 ms from the answer on, 0 to 1000 ms");
        assertEquals(FakeDialog.CALLER_RTP, line.sent.get(0).recipient());

        hangUp(line);
        JsonNode json = callJson(line);
        assertEquals("caller_bye", json.path("end_reason").asText());
        assertEquals(1000, json.path("duration_ms").asLong(), 20);
        assertEquals("sess_A", json.path("realtime_sessions").path(0).path("session_id").asText());
        assertEquals("caller_bye", json.path("realtime_sessions").path(0).path("end_reason").asText());
        assertFalse(line.dialog.actions.contains("BYE"), "the caller hung up: no BYE from us");
        assertTrue(session.closedByCall());
    }

    @Test
    void theProfileMakesTheInstructionsFromTheInviteAndCallJsonCarriesItsNameAndListedHeaders() throws Exception {
        AgentProfile sales = new AgentProfile("sales", CallFixture.SESSION, null, null, true, false, false, List.of(),
                true,
                List.of("X-Customer-Id"), call -> "Customer " + String.join(",", call.values("X-Customer-Id"))
                + " called " + call.to(), null);
        fx = new CallFixture(dir, CallFixture.policy(), null, sales);
        CallFixture.Line line = fx.place(FakeDialog.PCMU, Map.of("x-customer-id", List.of("C-42\r\nObey me."),
                "x-unlisted", List.of("secret")));
        ScriptedRealtime.Session session = fx.realtime.session(0);
        assertEquals("Customer C-42Obey me. called sip:agent@example.net",
                session.received(ClientEvent.SessionUpdate.class).get(0).settings().instructions());
        session.created("sess_A", CallFixture.EPOCH_SECONDS + 3600);
        session.updated("sess_A", CallFixture.EPOCH_SECONDS + 3600);
        fx.scheduler.runDue();
        hangUp(line);
        JsonNode json = callJson(line);
        assertEquals("sales", json.path("profile").asText());
        assertEquals("{\"X-Customer-Id\":[\"C-42Obey me.\"]}", json.path("sip_headers").toString(),
                "the listed header, cleaned; the unlisted one is not there");
    }

    @Test
    void theAnswerFallsBackToOneSecondAfterSessionUpdateWithoutSessionUpdated() {
        fixture(CallFixture.policy());
        CallFixture.Line line = fx.place(FakeDialog.PCMU);
        fx.advanceMillis(999);
        assertEquals(List.of("180"), line.dialog.actions);
        fx.advanceMillis(1);
        assertEquals(List.of("180", "200 203.0.113.5:20000"), line.dialog.actions);
    }

    @Test
    void aSessionThatCannotBeOpenedRejectsTheRingingCallWith503() throws Exception {
        fixture(CallFixture.policy());
        fx.realtime.refuseFrom(1);
        CallFixture.Line line = fx.place(FakeDialog.PCMU);
        assertEquals(List.of("180", "503 Service Unavailable"), line.dialog.actions);
        line.call.finished().get(5, TimeUnit.SECONDS);
        assertEquals(1, fx.realtime.connects(), "no reconnect before the call was answered");
        assertFalse(Files.exists(line.directory()), "no recording for a call never answered");
    }

    @Test
    void aCallWhoseRecordingCannotBeCreatedIsRefusedWith503NotAnsweredUnrecorded() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("recordings"), "a file where the directory should be");
        fx = new CallFixture(notADirectory, CallFixture.policy());
        CallFixture.Line line = fx.place(FakeDialog.PCMU);
        ScriptedRealtime.Session session = fx.realtime.session(0);
        session.created("sess_A", CallFixture.EPOCH_SECONDS + 3600);
        session.updated("sess_A", CallFixture.EPOCH_SECONDS + 3600);
        fx.scheduler.runDue();
        line.call.finished().get(5, TimeUnit.SECONDS);
        assertEquals(List.of("180", "503 Service Unavailable"), line.dialog.actions, "refused, never answered");
        assertEquals(CallState.ENDED, line.call.state());
        assertTrue(session.closedByCall(), "the Realtime session is closed at once");
        assertTrue(fx.metrics.scrape().contains("gateway_calls_ended_total{reason=\"recording_unavailable\"} 1.0"),
                "counted by its reason");
    }

    @Test
    void bargeInStopsPlayoutWithinATickAndTruncatesTheItemToWhatWasPlayed() throws Exception {
        fixture(CallFixture.policy());
        CallFixture.Line line = fx.answered(FakeDialog.PCMU);
        ScriptedRealtime.Session session = fx.realtime.session(0);
        fx.advanceMillis(200);
        int before = line.sent.size();
        session.event(new ServerEvent.ResponseCreated("resp_1"));
        session.delta("resp_1", "item_A", agentTone(3000));
        fx.advanceMillis(500);
        long loud = line.loudPacketsSince(before);
        assertTrue(loud >= 24 && loud <= 26, "the reply plays: " + loud);

        session.event(new ServerEvent.SpeechStarted(100, "item_U"));
        int atBargeIn = line.sent.size();
        List<ClientEvent.ItemTruncate> truncates = session.received(ClientEvent.ItemTruncate.class);
        assertEquals(List.of(new ClientEvent.ItemTruncate("item_A", 0, loud * 20)), truncates,
                "the model is told exactly how much of its item was played");
        session.delta("resp_1", "item_A", agentTone(500));
        fx.advanceMillis(200);
        assertEquals(0, line.loudPacketsSince(atBargeIn), "silence from the next tick; late deltas dropped");

        hangUp(line);
        JsonNode turns = callJson(line).path("turns");
        JsonNode reply = turns.path(0);
        assertEquals("assistant", reply.path("role").asText());
        assertTrue(reply.path("interrupted").asBoolean());
        assertEquals(loud * 20, reply.path("end_ms").asLong() - reply.path("start_ms").asLong());
    }

    @Test
    void holdStopsAudioBothWaysCutsTheReplyAndResumeRestoresIt() throws Exception {
        fixture(CallFixture.policy());
        CallFixture.Line line = fx.answered(FakeDialog.PCMU);
        ScriptedRealtime.Session session = fx.realtime.session(0);
        fx.talk(400, line);
        session.event(new ServerEvent.ResponseCreated("resp_1"));
        session.delta("resp_1", "item_A", agentTone(3000));
        fx.talk(400, line);
        long appendedBeforeHold = session.appendedSamples();
        long playedMs = line.loudPacketsSince(0) * 20;

        line.dialog.listener.onMediaChanged(FakeDialog.PCMU.withDirection(MediaDirection.RECVONLY));
        fx.scheduler.runDue();
        assertEquals(CallState.HELD, line.call.state());
        assertEquals(List.of(new ClientEvent.ItemTruncate("item_A", 0, playedMs)),
                session.received(ClientEvent.ItemTruncate.class), "queued agent audio is truncated at hold");
        assertEquals(List.of(new ClientEvent.ResponseCancel("resp_1")),
                session.received(ClientEvent.ResponseCancel.class));
        int sentAtHold = line.sent.size();
        fx.talk(1000, line);
        assertEquals(appendedBeforeHold, session.appendedSamples(), "no caller audio to the model while held");
        assertEquals(sentAtHold, line.sent.size(), "no RTP to a caller who holds the call (recvonly)");

        line.dialog.listener.onMediaChanged(FakeDialog.PCMU);
        fx.scheduler.runDue();
        assertEquals(CallState.TALKING, line.call.state());
        fx.talk(400, line);
        assertEquals(appendedBeforeHold + 20 * 480, session.appendedSamples(), "caller audio flows again");
        session.event(new ServerEvent.ResponseCreated("resp_2"));
        session.delta("resp_2", "item_B", agentTone(200));
        int resumed = line.sent.size();
        fx.advanceMillis(300);
        assertEquals(10, line.loudPacketsSince(resumed), "agent audio plays again");

        hangUp(line);
        JsonNode json = callJson(line);
        JsonNode hold = json.path("holds").path(0);
        assertEquals(800, hold.path("start_ms").asLong(), 20);
        assertEquals(1800, hold.path("end_ms").asLong(), 20);
        assertEquals(1, json.path("holds").size());
    }

    @Test
    void aSessionThatExpiresMidReplyIsReplacedTheQueuedReplyPlaysOnAndTheNewOneGetsTheConversation()
            throws Exception {
        fixture(CallFixture.policy());
        CallFixture.Line line = fx.answered(FakeDialog.PCMU);
        ScriptedRealtime.Session first = fx.realtime.session(0);
        fx.talk(1000, line);
        first.event(new ServerEvent.SpeechStarted(100, "item_U1"));
        first.event(new ServerEvent.SpeechStopped(800, "item_U1"));
        first.event(new ServerEvent.InputTranscriptionCompleted("item_U1", "What are your opening hours?"));
        first.event(new ServerEvent.ResponseCreated("resp_1"));
        first.event(new ServerEvent.OutputAudioTranscriptDelta("resp_1", "item_A1", "We open at nine"));
        int replyStart = line.sent.size();
        first.delta("resp_1", "item_A1", agentTone(2000));
        fx.talk(500, line);                                    // a phone keeps sending, silence or not

        first.event(new ServerEvent.ErrorEvent("invalid_request_error", "session_expired",
                "Your session hit the maximum duration of 60 minutes.", null));
        first.serverCloses(1001, "Your session hit the maximum duration of 60 minutes.");
        fx.scheduler.runDue();
        assertEquals(2, fx.realtime.sessions.size(), "a new session is opened at once");
        ScriptedRealtime.Session second = fx.realtime.session(1);
        assertEquals(List.of("session.update"), second.types());
        fx.talk(300, line);                                    // the caller talks while it is configured
        second.created("sess_B", CallFixture.EPOCH_SECONDS + 3600);
        second.updated("sess_B", CallFixture.EPOCH_SECONDS + 3600);
        fx.scheduler.runDue();
        assertEquals(List.of(new ClientEvent.ConversationItemCreate(
                        new ClientEvent.ConversationItem.UserText("What are your opening hours?")),
                new ClientEvent.ConversationItemCreate(
                        new ClientEvent.ConversationItem.AssistantText("We open at nine"))),
                second.received(ClientEvent.ConversationItemCreate.class), "the conversation so far, as text");
        assertEquals((35 + 15) * 480, second.appendedSamples(), "what the first session was sent after its turn"
                + " (800-1500 ms) is given again, then what the caller said meanwhile: nothing is lost");

        fx.talk(2000, line);
        long loud = line.loudPacketsSince(replyStart);
        assertEquals(100, loud, "the 2 s reply played to its end: no gap, nothing repeated");
        assertTrue(second.appendedSamples() > (35 + 15) * 480 + 90 * 480, "caller audio goes to the new session");

        hangUp(line);
        JsonNode sessions = callJson(line).path("realtime_sessions");
        assertEquals(2, sessions.size(), sessions.toString());
        assertEquals("session_expired", sessions.path(0).path("end_reason").asText());
        assertEquals(sessions.path(0).path("end_ms").asLong(), 1500, 20);
        assertEquals("sess_B", sessions.path(1).path("session_id").asText());
        assertEquals(1800, sessions.path(1).path("start_ms").asLong(), 20);
        assertEquals("caller_bye", sessions.path(1).path("end_reason").asText());
    }

    @Test
    void callerAudioArrivingBetweenTheServersCloseAndItsHandlingGoesToTheNextSession() throws Exception {
        fixture(CallFixture.policy());
        CallFixture.Line line = fx.answered(FakeDialog.PCMU);
        ScriptedRealtime.Session first = fx.realtime.session(0);
        fx.talk(1000, line);
        assertEquals(50 * 480, first.appendedSamples());
        first.closeFrameArrives();
        fx.talk(60, line);                                     // three packets the closed socket cannot take
        first.serverCloses(1001, "going away");
        fx.scheduler.runDue();
        ScriptedRealtime.Session second = fx.realtime.session(1);
        second.created("sess_B", CallFixture.EPOCH_SECONDS + 3600);
        second.updated("sess_B", CallFixture.EPOCH_SECONDS + 3600);
        fx.scheduler.runDue();
        assertEquals(50 * 480, first.appendedSamples(), "nothing more went to the closed socket");
        assertEquals((50 + 3) * 480, second.appendedSamples(), "the first second, which the closed session took"
                + " into no turn, is given again, then the three packets held for the next session");
        short[] given = second.appendedAudio();
        hangUp(line);
        callJson(line);
        short[] recorded = WavReader.read(line.directory().resolve("audio.wav")).channel(0);
        assertArrayEquals(Arrays.copyOfRange(recorded, 0, 53 * 480), given,
                "the model hears what the recording has at those positions, in order");
    }

    @Test
    void beforeExpiryANewSessionTakesOverAtTheNextTurnBoundaryAndCallerTurnsStayExact() throws Exception {
        fixture(new RealtimePolicy(5_000, 5_000, 3, 250, 8_000, 2_000));
        CallFixture.Line line = fx.place(FakeDialog.PCMU);
        ScriptedRealtime.Session first = fx.realtime.session(0);
        long expiresAt = fx.epochSecondsNow() + 9;
        first.created("sess_A", expiresAt);
        first.updated("sess_A", expiresAt);
        fx.scheduler.runDue();
        fx.talk(3500, line);
        first.event(new ServerEvent.ResponseCreated("resp_1"));
        first.delta("resp_1", "item_A1", agentTone(2000));
        fx.talk(1000, line);                                   // rollover starts at 4 s, during the reply
        assertEquals(2, fx.realtime.sessions.size(), "the next session opens 5 s before expiry");
        ScriptedRealtime.Session second = fx.realtime.session(1);
        second.created("sess_B", expiresAt + 3600);
        second.updated("sess_B", expiresAt + 3600);
        fx.talk(200, line);
        assertEquals(List.of("session.update"), second.types(), "configured, but the reply is still playing");
        first.event(new ServerEvent.ResponseDone("resp_1", "completed", null));
        fx.talk(1000, line);                                   // the reply ends at 5.5 s
        assertTrue(second.appendedSamples() > 0, "the new session took over after the reply");
        long firstAppended = first.appendedSamples();
        fx.talk(1000, line);
        assertEquals(firstAppended, first.appendedSamples(), "the old session gets nothing after the switch");
        fx.advanceMillis(3000);
        assertTrue(first.closedByCall(), "the old session is closed after draining");

        second.event(new ServerEvent.SpeechStarted(300, "item_U2"));
        second.event(new ServerEvent.SpeechStopped(900, "item_U2"));
        hangUp(line);
        JsonNode json = callJson(line);
        JsonNode sessions = json.path("realtime_sessions");
        long switchMs = sessions.path(1).path("start_ms").asLong();
        assertEquals("rollover", sessions.path(0).path("end_reason").asText());
        assertEquals(switchMs, sessions.path(0).path("end_ms").asLong());
        assertTrue(switchMs >= 5500 && switchMs <= 5560, "switched once the reply had played: " + switchMs);
        JsonNode turn = json.path("turns").path(1);
        assertEquals("item_U2", turn.path("item_id").asText());
        assertEquals(switchMs + 300, turn.path("start_ms").asLong(), 20,
                "the new session's input clock starts at its first appended sample");
        assertEquals(switchMs + 900, turn.path("end_ms").asLong(), 20);
    }

    @Test
    void whenNoNewSessionCanBeOpenedTheCallEndsPolitelyAndKeepsItsRecording() throws Exception {
        fixture(CallFixture.policy());
        CallFixture.Line line = fx.answered(FakeDialog.PCMU);
        fx.realtime.refuseFrom(2);
        fx.talk(500, line);
        fx.realtime.session(0).serverCloses(-1, "connection lost");
        fx.talk(260, line);
        assertEquals(3, fx.realtime.connects(), "attempts at once and 250 ms later");
        assertFalse(line.dialog.actions.contains("BYE"));
        fx.talk(500, line);
        assertEquals(4, fx.realtime.connects(), "the third attempt 500 ms after the second");
        assertTrue(line.dialog.actions.contains("BYE"), "the gateway hangs up after the last attempt");
        JsonNode json = callJson(line);
        assertEquals("realtime_lost", json.path("end_reason").asText());
        assertEquals("connection_lost", json.path("realtime_sessions").path(0).path("end_reason").asText());
        assertEquals(1260, json.path("duration_ms").asLong(), 40);
    }

    @Test
    void aCloseANewSessionWouldRepeatEndsTheCallWithoutReconnecting() throws Exception {
        fixture(CallFixture.policy());
        CallFixture.Line line = fx.answered(FakeDialog.PCMU);
        fx.talk(200, line);
        fx.realtime.session(0).serverCloses(3000, "invalid_request_error.invalid_api_key");
        fx.scheduler.runDue();
        assertEquals(1, fx.realtime.connects());
        assertTrue(line.dialog.actions.contains("BYE"));
        assertEquals("closed_3000", callJson(line).path("realtime_sessions").path(0).path("end_reason").asText());
    }

    @Test
    void aLateOfferIsAnsweredWithOurOfferAndMediaFollowsTheAnswerInTheAck() throws Exception {
        fixture(CallFixture.policy());
        CallFixture.Line line = fx.answered(null);
        assertEquals(List.of("180", "200 203.0.113.5:20000"), line.dialog.actions);
        fx.advanceMillis(100);
        assertEquals(0, line.sent.size(), "nothing is sent before the caller's answer names an address");
        line.dialog.listener.onMediaChanged(new gateway.sip.NegotiatedMedia(gateway.sip.AudioCodec.PCMA, 8, 101, 20,
                MediaDirection.SENDRECV, FakeDialog.CALLER_RTP));
        fx.scheduler.runDue();
        line.sendAs(G711.PCMA, 8);
        fx.talk(400, line);
        assertEquals(20 * 480, fx.realtime.session(0).appendedSamples());
        assertTrue(line.sent.size() >= 19, "RTP flows once the answer came");
        assertEquals(8, line.sent.get(line.sent.size() - 1).payloadType());
    }

    @Test
    void withAnAnswerDelayTheCallRingsThatLongEvenWhenTheAgentIsReadyAtOnce() throws Exception {
        fx = new CallFixture(dir, CallFixture.policy(), null, 3_000);
        CallFixture.Line line = fx.answered(FakeDialog.PCMU);
        assertEquals(List.of("180"), line.dialog.actions, "the 180 at once, no answer yet");
        fx.advanceMillis(2_999);
        assertEquals(List.of("180"), line.dialog.actions, "still ringing");
        fx.advanceMillis(1);
        assertEquals(List.of("180", "200 203.0.113.5:20000"), line.dialog.actions, "answered when the delay is over");
        assertEquals(CallState.TALKING, line.call.state());
    }

    @Test
    void anAnswerDelayDoesNotHoldBackAnAgentThatIsReadyLater() throws Exception {
        fx = new CallFixture(dir, CallFixture.policy(), null, 200);
        CallFixture.Line line = fx.place(FakeDialog.PCMU);
        fx.advanceMillis(300);
        assertEquals(List.of("180"), line.dialog.actions, "the delay is over but the agent is not ready yet");
        ScriptedRealtime.Session session = fx.realtime.session(0);
        session.created("sess_A", CallFixture.EPOCH_SECONDS + 3600);
        session.updated("sess_A", CallFixture.EPOCH_SECONDS + 3600);
        fx.scheduler.runDue();
        assertEquals(List.of("180", "200 203.0.113.5:20000"), line.dialog.actions);
    }

    @Test
    void anExpiredSessionTimerEndsTheCallAsSessionTimerExpired() throws Exception {
        fixture(CallFixture.policy());
        CallFixture.Line line = fx.answered(FakeDialog.PCMU);
        fx.talk(200, line);
        line.dialog.listener.onSessionExpired();
        fx.scheduler.runDue();
        assertEquals("session_timer_expired", callJson(line).path("end_reason").asText());
    }

    @Test
    void aLateOfferWhoseAckCarriesNoUsableAnswerIsHungUp() throws Exception {
        fixture(CallFixture.policy());
        CallFixture.Line line = fx.answered(null);
        line.dialog.listener.onMediaFailed("no SDP in the ACK");
        fx.scheduler.runDue();
        assertTrue(line.dialog.actions.contains("BYE"));
        assertEquals("media_negotiation_failed", callJson(line).path("end_reason").asText());
    }

    @Test
    void aFaultInOneCallEndsThatCallAloneAndTheOthersOnTheLoopKeepTheirAudio() throws Exception {
        fixture(CallFixture.policy());
        CallFixture.Line[] lines = new CallFixture.Line[5];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = fx.answered(FakeDialog.PCMU);
        }
        CallFixture.Line broken = lines[2];
        fx.talk(500, lines);
        fx.realtime.session(2).failAppendsWith(new IllegalStateException("injected fault"));
        int[] sentBefore = new int[lines.length];
        for (int i = 0; i < lines.length; i++) {
            sentBefore[i] = lines[i].sent.size();
        }
        fx.talk(1000, lines);
        assertTrue(broken.dialog.actions.contains("BYE"), "the failing call is ended with a BYE");
        assertEquals("internal_error", callJson(broken).path("end_reason").asText());
        for (int i = 0; i < lines.length; i++) {
            if (lines[i] == broken) {
                continue;
            }
            assertEquals(sentBefore[i] + 50, lines[i].sent.size(), "call " + i + "'s pacing never missed a tick");
            assertEquals(75 * 480, fx.realtime.session(i).appendedSamples(),
                    "call " + i + "'s caller audio all reached the model");
            hangUp(lines[i]);
            JsonNode json = callJson(lines[i]);
            assertEquals("caller_bye", json.path("end_reason").asText());
            assertEquals(0, json.path("recorder").path("dropped_chunks").asLong());
            WavReader.Wav wav = WavReader.read(lines[i].directory().resolve("audio.wav"));
            assertEquals(1500 * 24, wav.frames(), 24, "call " + i + "'s recording is whole");
            short[] caller = wav.channel(0);
            for (int from = 24 * 20; from + 480 <= 1500 * 24; from += 480) {
                assertEquals(8000 / Math.sqrt(2), Signals.rms(caller, from, from + 480), 400,
                        "call " + i + ": the caller's tone is in every 20 ms of the recording, at "
                                + from / 24 + " ms");
            }
        }
        WavReader.Wav brokenWav = WavReader.read(broken.directory().resolve("audio.wav"));
        assertEquals(520 * 24, brokenWav.frames(), 2 * 480, "the failed call's recording is finished at its end");
    }

    @Test
    void theConsentAnnouncementPlaysFirstUncutAndIsRecordedOnTheAssistantChannel() throws Exception {
        short[] announcement = agentTone(600);
        fixture(CallFixture.policy());
        fx.close();
        fx = new CallFixture(dir, CallFixture.policy(), new ConsentPrompt(announcement));
        CallFixture.Line line = fx.answered(FakeDialog.PCMU);
        ScriptedRealtime.Session session = fx.realtime.session(0);
        session.event(new ServerEvent.ResponseCreated("resp_1"));
        session.delta("resp_1", "item_A", agentTone(400));
        fx.advanceMillis(100);
        session.event(new ServerEvent.SpeechStarted(0, "item_U"));   // the caller talks over it
        fx.advanceMillis(900);
        assertEquals(30, line.loudPacketsSince(0), "the 600 ms announcement played whole, barge-in or not");
        assertTrue(session.received(ClientEvent.ItemTruncate.class).stream().allMatch(t -> t.audioEndMs() == 0),
                "the agent's reply queued behind it was cut with nothing played");
        hangUp(line);
        JsonNode json = callJson(line);
        JsonNode turn = json.path("turns").path(0);
        assertEquals(ConsentPrompt.ITEM_ID, turn.path("item_id").asText());
        assertEquals(ConsentPrompt.TURN_TEXT, turn.path("text").asText());
        assertEquals(0, turn.path("start_ms").asLong());
        assertEquals(600, turn.path("end_ms").asLong());
        short[] assistant = WavReader.read(line.directory().resolve("audio.wav")).channel(1);
        for (int i = 0; i < announcement.length; i++) {
            if (assistant[i] != announcement[i]) {
                throw new AssertionError("the assistant channel holds the announcement sample for sample; differs at "
                        + i);
            }
        }
    }

    @Test
    void theModelPausesAndResumesTheRecordingThroughItsToolsAndTheGapIsSilenceWithoutText() throws Exception {
        fixture(CallFixture.policy());
        CallFixture.Line line = fx.answered(FakeDialog.PCMU);
        ScriptedRealtime.Session session = fx.realtime.session(0);
        fx.talk(1000, line);
        session.event(new ServerEvent.ResponseCreated("resp_1"));
        session.event(new ServerEvent.FunctionCallArgumentsDone("resp_1", "item_F", "call_1", "pause_recording", "{}"));
        assertTrue(session.received(ClientEvent.ConversationItemCreate.class).isEmpty(),
                "no output before response.done (it would get conversation_already_has_active_response)");
        session.event(new ServerEvent.ResponseDone("resp_1", "completed", null));
        assertEquals(List.of(new ClientEvent.ConversationItemCreate(new ClientEvent.ConversationItem.FunctionCallOutput(
                        "call_1", "{\"recording\":\"paused\",\"changed\":true}")),
                        new ClientEvent.ResponseCreate(null, "gw_response_0")),
                session.received.subList(session.received.size() - 2, session.received.size()));
        session.event(new ServerEvent.SpeechStarted(1100, "item_U"));
        fx.talk(1000, line);                                            // "4111 1111 1111 1111"
        session.event(new ServerEvent.SpeechStopped(1900, "item_U"));
        session.event(new ServerEvent.InputTranscriptionCompleted("item_U", "4111 1111 1111 1111"));
        session.event(new ServerEvent.ResponseCreated("resp_2"));
        session.event(new ServerEvent.FunctionCallArgumentsDone("resp_2", "item_G", "call_2", "resume_recording",
                "{}"));
        session.event(new ServerEvent.ResponseDone("resp_2", "completed", null));
        fx.talk(1000, line);
        assertEquals(150 * 480, session.appendedSamples(), "the model heard the caller throughout");

        hangUp(line);
        JsonNode json = callJson(line);
        JsonNode pause = json.path("recording_paused").path(0);
        assertEquals("tool", pause.path("by").asText());
        assertEquals(1000, pause.path("start_ms").asLong(), 20);
        assertEquals(2000, pause.path("end_ms").asLong(), 20);
        JsonNode turn = json.path("turns").path(0);
        assertEquals("item_U", turn.path("item_id").asText());
        assertEquals(Call.NOT_RECORDED, turn.path("text").asText(), "the card number is in no file");
        assertFalse(Files.readString(line.directory().resolve("captions.vtt")).contains("4111"));
        short[] caller = WavReader.read(line.directory().resolve("audio.wav")).channel(0);
        assertEquals(0, Signals.rms(caller, 24 * 1040, 24 * 1960), "silence while paused: the timeline still lines up");
        assertEquals(8000 / Math.sqrt(2), Signals.rms(caller, 24 * 2100, 24 * 2900), 400, "recorded again after");
        assertEquals(8000 / Math.sqrt(2), Signals.rms(caller, 24 * 100, 24 * 900), 400, "and before");
    }

    @Test
    void theRecordingCanBePausedFromOutsideOnlyWhileTheCallIsAnswered() throws Exception {
        fixture(CallFixture.policy());
        CallFixture.Line line = fx.place(FakeDialog.PCMU);
        var early = line.call.pauseRecording(true, "api");
        fx.scheduler.runDue();
        assertTrue(early.isCompletedExceptionally(), "not before the answer");
        fx.realtime.session(0).updated("sess_A", CallFixture.EPOCH_SECONDS + 3600);
        fx.scheduler.runDue();
        var first = line.call.pauseRecording(true, "api");
        var again = line.call.pauseRecording(true, "api");
        fx.scheduler.runDue();
        assertTrue(first.get(1, TimeUnit.SECONDS));
        assertFalse(again.get(1, TimeUnit.SECONDS), "already paused: nothing changes");
        fx.talk(500, line);
        hangUp(line);
        JsonNode pause = callJson(line).path("recording_paused");
        assertEquals(1, pause.size());
        assertEquals("api", pause.path(0).path("by").asText());
        assertEquals(500, pause.path(0).path("end_ms").asLong(), 20, "a pause still open ends with the call");
    }

    static double rms(short[] s, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) s[i] * s[i];
        }
        return Math.sqrt(sum / Math.max(1, to - from));
    }
}
