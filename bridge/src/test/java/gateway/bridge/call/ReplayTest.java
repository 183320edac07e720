package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.bridge.metrics.GatewayMetrics;
import gateway.library.CallJson;
import gateway.library.CallLog;
import gateway.library.CallMetadata;
import gateway.library.CallRecord;
import gateway.library.RecorderStats;
import gateway.library.RecordingStatus;
import gateway.realtime.ServerEvent;
import gateway.recorder.RecorderSettings;
import gateway.recorder.RecordingService;
import gateway.testkit.Signals;
import gateway.testkit.WavReader;
import gateway.testkit.WavWriter;
import gateway.time.CallTimeline;
import gateway.time.ManualScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay through the call core on the manual clock: the recorded caller channel goes to a scripted Realtime session
 * frame by frame at its original timing, the agent's reply is recorded where it would have been played, and the end
 * of the recording ends the call ({@code replay_end}) with a new recording that names its original.
 */
class ReplayTest {

    private static final String ORIGINAL = "20261201T100000Z-0000aaaa";
    private static final int FRAME = CallTimeline.FRAME_SAMPLES;
    /** Ten whole frames and part of an eleventh. */
    private static final int CALLER_SAMPLES = 10 * FRAME + 100;
    private static final long FRAME_MS = CallTimeline.FRAME_MS;

    @TempDir
    Path dir;

    private final ManualScheduler scheduler = new ManualScheduler();
    private final ScriptedRealtime realtime = new ScriptedRealtime();
    private RecordingService recordings;

    @AfterEach
    void close() {
        if (recordings != null) {
            recordings.close();
        }
    }

    /** A caller channel whose every sample differs from its neighbours', so an offset of one shows. */
    private static short[] callerPattern() {
        short[] caller = new short[CALLER_SAMPLES];
        for (int i = 0; i < caller.length; i++) {
            caller[i] = (short) (i % 2000 * 11 - 11_000);
        }
        return caller;
    }

    private static ReplaySource source(short[] caller) {
        CallMetadata meta = new CallMetadata(ORIGINAL, "orig@192.0.2.10", "sip:alice@example.com",
                "sip:support@example.net", Instant.parse("2026-12-01T10:00:00Z"), "PCMA", "192.0.2.10:5060", "sales",
                Map.of("X-Customer-Id", List.of("C-42")));
        return new ReplaySource(new CallRecord(meta, null, "caller_bye", CALLER_SAMPLES / 24, CallLog.EMPTY,
                new RecorderStats(0, 0, 0, 0, 0), RecordingStatus.COMPLETE), caller);
    }

    private CompletableFuture<String> start(ReplaySource source) {
        recordings = new RecordingService(dir, new RecorderSettings(5, 4));
        AgentProfile agent = AgentProfile.of(CallFixture.SESSION, true);
        InstantSource wall = () -> Instant.ofEpochSecond(CallFixture.EPOCH_SECONDS).plusNanos(scheduler.nanoTime());
        CallContext ctx = new CallContext("203.0.113.5", ProfileRouter.always(agent), CallFixture.policy(),
                recordings, new GatewayMetrics(), wall, null, 0);
        CompletableFuture<String> replay = Replay.start(ctx, scheduler, realtime, agent, source, "profile default");
        scheduler.runDue();
        ScriptedRealtime.Session session = realtime.last();
        session.created("sess_1", CallFixture.EPOCH_SECONDS + 3600);
        session.updated("sess_1", CallFixture.EPOCH_SECONDS + 3600);
        scheduler.runDue();
        return replay;
    }

    @Test
    void theCallerChannelGoesToTheModelFrameByFrameAtItsTimingAndItsEndEndsTheCall() throws Exception {
        short[] caller = callerPattern();
        CompletableFuture<String> replay = start(source(caller));
        ScriptedRealtime.Session session = realtime.last();
        assertEquals(0, session.appendedSamples(), "nothing before the first frame is whole");
        short[] reply = Signals.tone(60, 440, -12);
        for (int k = 1; k <= 11; k++) {
            scheduler.advanceMillis(FRAME_MS - 1);
            assertEquals((k - 1) * FRAME, session.appendedSamples(), "frame " + (k - 1) + " not before it is whole");
            scheduler.advanceMillis(1);
            assertEquals(k * FRAME, session.appendedSamples(), "frame " + (k - 1) + " once it is whole");
            if (k == 5) {
                session.event(new ServerEvent.ResponseCreated("resp_1"));
                session.delta("resp_1", "item_1", reply);      // queued now: it plays from the next tick, 120 ms
            }
        }
        // The agent is quiet after its reply: the replay ends 2 s after the caller's last frame, the caller silent.
        int tail = ReplayMediaLeg.QUIET_TO_END_TICKS;
        scheduler.advanceMillis(FRAME_MS * tail);
        String id = replay.get(10, TimeUnit.SECONDS);
        long appended = session.appendedSamples();
        scheduler.advanceMillis(200);
        assertEquals(appended, session.appendedSamples(), "nothing after the end");
        assertTrue(session.closedByCall(), "the session is closed with the call");

        short[] padded = Arrays.copyOf(caller, (11 + tail) * FRAME);
        assertArrayEquals(padded, session.appendedAudio(), "the model heard the caller channel, sample for sample,"
                + " then silence");
        WavReader.Wav wav = WavReader.read(dir.resolve(id).resolve("audio.wav"));
        assertEquals((11 + tail) * FRAME, wav.frames(), "the recording ends 2 s after the caller's last frame");
        assertArrayEquals(padded, wav.channel(0), "the new recording's caller channel is the original's");
        short[] assistant = wav.channel(1);
        int at = 6 * FRAME;
        assertArrayEquals(new short[at], Arrays.copyOf(assistant, at), "silence before the reply");
        assertArrayEquals(reply, Arrays.copyOfRange(assistant, at, at + reply.length),
                "the reply where it would have played: the tick after it came");

        CallRecord call = CallJson.read(Files.readAllBytes(dir.resolve(id).resolve("call.json")));
        assertEquals(ORIGINAL, call.meta().replay().callId());
        assertEquals("profile default", call.meta().replay().agent());
        assertEquals("replay_end", call.endReason());
        assertEquals((11 + tail) * FRAME_MS, call.durationMs());
        assertEquals("sip:alice@example.com", call.meta().from());
        assertEquals("sip:support@example.net", call.meta().to());
        assertEquals("PCMA", call.codec(), "the original's codec: what the caller's audio went through");
        assertNull(call.meta().source(), "no transport brought it");
        assertEquals("default", call.meta().profile());
        try (var entries = Files.list(dir)) {
            assertEquals(List.of(id), entries.map(p -> p.getFileName().toString()).toList(),
                    "one new call; nothing else written");
        }
        assertNull(call.log().quality(), "no network, no quality block");
    }

    @Test
    void aReplayRefusedBeforeItsAnswerSaysWhyAndLeavesNoRecording() throws Exception {
        recordings = new RecordingService(dir, new RecorderSettings(5, 4));
        AgentProfile agent = AgentProfile.of(CallFixture.SESSION, true);
        CallContext ctx = new CallContext("203.0.113.5", ProfileRouter.always(agent), CallFixture.policy(),
                recordings, new GatewayMetrics(), () -> Instant.ofEpochSecond(CallFixture.EPOCH_SECONDS), null, 0);
        realtime.refuseFrom(1);
        CompletableFuture<String> replay = Replay.start(ctx, scheduler, realtime, agent, source(callerPattern()),
                "profile default");
        scheduler.runDue();
        Exception failure = assertThrows(Exception.class, () -> replay.get(10, TimeUnit.SECONDS));
        String why = failure.getCause().getMessage();
        assertTrue(why.contains("replay of " + ORIGINAL + " refused before its answer: 503"), why);
        try (var entries = Files.list(dir)) {
            assertEquals(0, entries.count(), "no recording");
        }
    }

    @Test
    void aMissingCallAnUnfinishedOneAndAnUnreadableWavAreNamed() throws Exception {
        ReplaySource.Unusable missing = assertThrows(ReplaySource.Unusable.class,
                () -> ReplaySource.load(dir, ORIGINAL));
        assertEquals("call " + ORIGINAL + ": no such call in " + dir, missing.getMessage());
        assertTrue(assertThrows(ReplaySource.Unusable.class, () -> ReplaySource.load(dir, "../etc"))
                .getMessage().contains("not a call id"));
        Path call = Files.createDirectories(dir.resolve(ORIGINAL));
        assertTrue(assertThrows(ReplaySource.Unusable.class, () -> ReplaySource.load(dir, ORIGINAL))
                .getMessage().contains("not finished"));
        ReplaySource source = source(callerPattern());
        Files.write(call.resolve("call.json"), CallJson.write(source.original()));
        Files.writeString(call.resolve("audio.wav"), "not a wav");
        ReplaySource.Unusable badWav = assertThrows(ReplaySource.Unusable.class,
                () -> ReplaySource.load(dir, ORIGINAL));
        assertTrue(badWav.getMessage().startsWith("call " + ORIGINAL + ": audio.wav is unreadable"),
                badWav.getMessage());
        WavWriter.write(call.resolve("audio.wav"), 24_000, callerPattern(), new short[CALLER_SAMPLES]);
        ReplaySource read = ReplaySource.load(dir, ORIGINAL);
        assertArrayEquals(callerPattern(), read.caller(), "the left channel");
        assertEquals(ORIGINAL, read.meta().id());
        assertFalse(read.meta().sipHeaders().isEmpty());
    }
}
