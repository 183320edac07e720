package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.bridge.metrics.GatewayMetrics;
import gateway.library.CallLog;
import gateway.library.CallMetadata;
import gateway.library.HoldPeriod;
import gateway.library.RecordingPause;
import gateway.library.Redaction;
import gateway.library.Role;
import gateway.library.SessionPeriod;
import gateway.library.TranscriptRedactor;
import gateway.library.Turn;
import gateway.recorder.RecorderSettings;
import gateway.recorder.RecordingService;
import gateway.testkit.Await;
import gateway.testkit.WavReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bridge's side of the recording: pauses and holds in recording time, the call log, and redaction. */
class RecordingLegTest {

    private final TurnLog turns = new TurnLog();
    private final List<SessionPeriod> sessions = List.of(new SessionPeriod(0, "sess_A", 0, 2500, null));
    private final RecordingLeg leg = new RecordingLeg("call-1", turns, new GatewayMetrics(), () -> sessions,
            () -> "PCMA", () -> null, List::of, () -> null, new ListenTap(java.time.InstantSource.system()),
            new TranscriptRedactor(true, List.of()));

    private void callerSays(String itemId, long fromMs, long toMs, String text) {
        turns.callerSpeechStarted(itemId, fromMs);
        turns.callerSpeechStopped(itemId, toMs);
        turns.transcript(itemId, Role.CALLER, text);
    }

    @Test
    void turnsSaidWhilePausedKeepTheirTimesButLoseTheirText() {
        callerSays("u1", 100, 900, "I would like to pay");
        assertTrue(leg.pause(true, 1000, "tool"));
        callerSays("u2", 1100, 1900, "4111 1111 1111 1111");
        assertTrue(leg.pause(false, 2000, "tool"));
        callerSays("u3", 1950, 2400, "and the code is 123");
        callerSays("u4", 2100, 2900, "thank you");

        assertEquals(List.of(
                new Turn(Role.CALLER, 100, 900, "I would like to pay", "u1", false),
                new Turn(Role.CALLER, 1100, 1900, RecordingLeg.NOT_RECORDED, "u2", false),
                new Turn(Role.CALLER, 1950, 2400, RecordingLeg.NOT_RECORDED, "u3", false),
                new Turn(Role.CALLER, 2100, 2900, "thank you", "u4", false)), leg.turns(3000),
                "a turn that overlaps the pause at all loses its text");
        assertEquals(leg.turns(3000), leg.log(3000).turns());
        assertEquals(List.of(new RecordingPause(1000, 2000, "tool")), leg.log(3000).pauses());
    }

    @Test
    void cardNumbersAreMaskedInEveryLogAndTheSpansListedWithoutTheText() {
        callerSays("u1", 100, 3900, "Sure, it's four one one one, 1111 1111 one one one one.");
        CallLog log = leg.log(4000);
        assertEquals("Sure, it's [redacted:card].", log.turns().getFirst().text());
        assertEquals(List.of(new Redaction("u1", "card", 11, 26)), log.redactions());
        assertEquals(log.turns(), leg.turns(4000), "the turns handed to a new session are masked too");
    }

    @Test
    void aCardNumberSplitAcrossReplyDeltasIsMaskedInTheCheckpointAndInTheFinalText() {
        turns.played("r1", "a1", 0, 24_000);
        turns.assistantTranscriptDelta("a1", "I have 4111 1111 ");
        assertEquals("I have [redacted:card] ", leg.log(1000).turns().getFirst().text(),
                "the text so far may end inside a card number: its digits are held back");
        turns.assistantTranscriptDelta("a1", "1111 1111 on file.");
        assertEquals("I have [redacted:card] on file.", leg.log(1000).turns().getFirst().text());
        turns.transcript("a1", Role.ASSISTANT, "I have 4111 1111 1111 1111 on file.");
        assertEquals("I have [redacted:card] on file.", leg.log(1000).turns().getFirst().text());
    }

    @Test
    void aLateTranscriptIsMaskedWhenItArrivesAndLiveListenersGetTheMaskedText() {
        turns.callerSpeechStarted("u1", 100);
        turns.callerSpeechStopped("u1", 900);
        assertEquals("", leg.log(1000).turns().getFirst().text());
        turns.transcript("u1", Role.CALLER, "5555 5555 5555 4444");
        assertEquals("[redacted:card]", leg.log(2000).turns().getFirst().text());
        assertEquals("card [redacted:card]", leg.liveTranscript("card 5555555555554444"));
        assertTrue(leg.pause(true, 2000, "api"));
        assertEquals(RecordingLeg.NOT_RECORDED, leg.liveTranscript("card 5555555555554444"));
    }

    @Test
    void aTurnSaidWhilePausedHasNoTextSoNoSpans() {
        assertTrue(leg.pause(true, 0, "api"));
        callerSays("u1", 100, 900, "4111111111111111");
        assertEquals(List.of(), leg.log(1000).redactions());
    }

    @Test
    void aPauseStillOpenEndsNowAndWhatIsSaidInItHasNoText() {
        assertTrue(leg.pause(true, 500, "api"));
        assertTrue(leg.paused());
        turns.callerSpeechStarted("u1", 600);                       // still speaking: the turn ends now
        turns.transcript("u1", Role.CALLER, "my card number is");
        CallLog log = leg.log(1200);
        assertEquals(List.of(new RecordingPause(500, 1200, "api")), log.pauses());
        assertEquals(List.of(new Turn(Role.CALLER, 600, 1200, RecordingLeg.NOT_RECORDED, "u1", false)), log.turns());
    }

    @Test
    void pausingWhatIsPausedOrResumingWhatRecordsChangesNothing() {
        assertFalse(leg.pause(false, 100, "api"), "recording already");
        assertTrue(leg.pause(true, 200, "api"));
        assertFalse(leg.pause(true, 300, "tool"), "paused already: the first pause stands");
        assertTrue(leg.pause(false, 400, "tool"));
        assertFalse(leg.paused());
        assertEquals(List.of(new RecordingPause(200, 400, "api")), leg.log(1000).pauses());
    }

    @Test
    void theLogListsHoldsSessionsAndCodecAsTheCallTellsThem() {
        leg.holdStarted(500);
        leg.holdEnded(1500);
        leg.holdStarted(2000);
        CallLog log = leg.log(2500);
        assertEquals(List.of(new HoldPeriod(500, 1500), new HoldPeriod(2000, 2500)), log.holds(),
                "a hold still open ends now");
        assertEquals(sessions, log.sessions());
        assertEquals("PCMA", log.codec());
        assertEquals(List.of(), log.pauses());
    }

    @Test
    void withoutPausesTheTurnsAreLeftAsTheyAre() {
        List<Turn> said = List.of(new Turn(Role.CALLER, 0, 100, "hello", "u1", false));
        assertSame(said, RecordingLeg.redacted(said, List.of()));
    }

    @Test
    void withoutARecordingNothingIsWrittenAndTheFinishIsImmediate() {
        callerSays("u1", 100, 900, "hello");
        leg.caller(0, new short[480], 0, 480);
        leg.assistant(0, new short[480], 480);
        leg.checkpoint(1000);
        leg.end(Instant.EPOCH, 24_000, "caller_bye");
        assertTrue(leg.finish().isDone());
        assertNull(leg.finish().join());
    }

    @Test
    void aPauseSilencesRecordingPositionsWhateverTheArrivalOfThePackets(@TempDir Path dir) throws Exception {
        int frames = 24_000;                                    // one second, packets of 20 ms
        short[] caller = new short[frames];
        java.util.Arrays.fill(caller, (short) 1000);
        try (RecordingService service = new RecordingService(dir, new RecorderSettings(5, 4))) {
            leg.start(service, new CallMetadata("pause-1", "sip-1", "sip:a@x", "sip:b@y", Instant.EPOCH, "PCMU"));
            // The caller's stream runs ahead of the clock: its audio up to 500 ms has arrived when the pause comes at
            // 410 ms, so the pause starts at 500 ms and that audio is kept; the audio of 500-600 ms arrives while
            // paused; the resume comes at 650 ms and the audio of 600-650 ms, arriving after it, was said in the pause.
            for (int at = 0; at < 500 * 24; at += 480) {
                leg.caller(at, caller, at, 480);
            }
            assertTrue(leg.pause(true, 410, "api"));
            for (int at = 500 * 24; at < 600 * 24; at += 480) {
                leg.caller(at, caller, at, 480);
            }
            assertTrue(leg.pause(false, 650, "api"));
            leg.assistant(640 * 24, caller, 480);               // a tick played while paused is not kept either
            for (int at = 600 * 24; at < frames; at += 480) {
                leg.caller(at, caller, at, 480);
            }
            assertEquals(List.of(new RecordingPause(500, 650, "api")), leg.log(1000).pauses());
            leg.end(Instant.EPOCH.plusSeconds(1), frames, "caller_bye");
            leg.finish().get(10, TimeUnit.SECONDS);
        }
        short[] left = WavReader.read(dir.resolve("pause-1/audio.wav")).channel(0);
        assertEquals(frames, left.length);
        for (int i = 0; i < frames; i++) {
            boolean inPause = i >= 500 * 24 && i < 650 * 24;
            assertEquals(inPause ? 0 : 1000, left[i], "sample " + i + (inPause ? " (paused)" : " (recorded)"));
        }
    }

    /**
     * The caller's audio comes in position order and every playout tick settles the assistant's channel, so the
     * writer takes the audio up to the last tick at its next pass instead of keeping the half second left open for
     * late packets: here one block (0.1 s) stays buffered where the window alone would keep five.
     */
    @Test
    void audioSettledOnBothChannelsLeavesTheBufferAtTheWritersNextPass(@TempDir Path dir) throws Exception {
        int frames = 48_000;                                    // two seconds, packets and ticks of 20 ms
        short[] caller = new short[frames];
        for (int i = 0; i < frames; i++) {
            caller[i] = (short) (i % 2000 + 1);
        }
        long block = 2400 * Short.BYTES;                        // the recorder's block: 100 ms of one channel
        try (RecordingService service = new RecordingService(dir, new RecorderSettings(5, 4))) {
            leg.start(service, new CallMetadata("settled-1", "sip-1", "sip:a@x", "sip:b@y", Instant.EPOCH, "PCMU"));
            for (int at = 0; at < frames; at += 480) {
                leg.playoutTick(at);                            // the agent is silent
                leg.caller(at, caller, at, 480);
            }
            Await.until(() -> service.bufferedBytes() == block, Duration.ofSeconds(30),
                    () -> service.bufferedBytes() + " bytes buffered");
            leg.end(Instant.EPOCH.plusSeconds(2), frames, "caller_bye");
            leg.finish().get(10, TimeUnit.SECONDS);
        }
        WavReader.Wav wav = WavReader.read(dir.resolve("settled-1/audio.wav"));
        short[] left = wav.channel(0);
        short[] right = wav.channel(1);
        assertEquals(frames, left.length);
        for (int i = 0; i < frames; i++) {
            assertEquals(caller[i], left[i], "caller sample " + i);
            assertEquals(0, right[i], "assistant sample " + i);
        }
    }
}
