package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.testkit.Await;
import gateway.testkit.Signals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of a call: the gateway runs as its own JVM, a SIPp caller speaks (the 5 s fixture, looped),
 * the demo agent answers, and once the second utterance is being recorded the process gets SIGKILL. The next
 * gateway started on the same recordings directory finds the call, fits audio.wav's header to the frames on disk
 * and writes call.json with end_reason gateway_crash and the turns checkpointed before the crash, before it takes
 * calls. The WAV holds the caller's speech up to at most a second before the kill.
 */
@Tag("e2e")
class GatewayCrashRecoveryIT {

    private static final int RTP_MIN = 33_500;
    private static final int RATE = RecordedCall.SAMPLE_RATE;
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);
    /** The looped fixture repeats every 5 s (audio/README.txt); the second utterance starts there. */
    private static final int LOOP_FRAMES = 5 * RATE;
    /** Kill once audio.wav holds 1.5 s of the second utterance. */
    private static final long KILL_AFTER_FRAMES = LOOP_FRAMES + 3 * RATE / 2;
    /**
     * What a crash may cost: the 0.5 s the window keeps open for late packets plus the 0.5 s header rewrite period
     * (the writer's 0.25 s pass is within it): "a playable file missing at most the last second".
     */
    private static final long CRASH_LOSS_BOUND_MS = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void aCallCutByKillMinus9IsRecoveredAtTheNextStart() throws Exception {
        Path recordings = work.resolve("recordings");
        Path dir;
        Instant afterKill;
        Sipp.Running caller;
        try (GatewayProcess first = GatewayProcess.start(recordings, RTP_MIN, work.resolve("first.log"))) {
            caller = Sipp.scenario("uac_speech_loop.xml").pauseMs(30_000).timeout(Duration.ofSeconds(45))
                    .start(first.sipPort(), "crash-recovery");
            dir = Await.until(() -> Recordings.callDirsNow(recordings), d -> d.size() == 1, STEP_TIMEOUT,
                    d -> "call directories " + d + "; gateway log:\n" + first.log()).get(0);
            Path partial = dir.resolve("call.json.partial");
            Await.until(() -> turns(partial) >= 2, STEP_TIMEOUT,
                    () -> "no checkpoint of the first reply in " + partial + "; gateway log:\n" + first.log());
            LiveRecording live = LiveRecording.in(dir);
            Await.until(() -> live.framesOnDisk() >= KILL_AFTER_FRAMES, STEP_TIMEOUT,
                    () -> live.framesOnDisk() + " frames in " + dir + "; gateway log:\n" + first.log());
            first.kill();
            afterKill = Instant.now();
        }
        caller.killNow();
        assertFalse(Files.exists(dir.resolve("call.json")), "killed: nothing finished the call");
        JsonNode checkpoint = JSON.readTree(dir.resolve("call.json.partial").toFile());
        Instant answered = Instant.parse(checkpoint.get("started_at").asText());
        long killedAtMs = Duration.between(answered, afterKill).toMillis();

        String log;
        try (GatewayProcess second = GatewayProcess.start(recordings, RTP_MIN, work.resolve("second.log"))) {
            log = second.log();
        }
        String id = dir.getFileName().toString();
        assertTrue(log.contains("recovered call " + id + ", interrupted by a gateway crash"), log);
        assertFalse(Files.exists(dir.resolve("call.json.partial")));

        RecordedCall call = RecordedCall.load(dir);
        CallJson json = call.json();
        assertEquals("gateway_crash", json.text("end_reason"));
        assertEquals(checkpoint.get("sip_call_id").asText(), json.text("sip_call_id"));
        assertEquals(checkpoint.get("started_at").asText(), json.text("started_at"));
        int frames = call.wav().frames();
        assertEquals(frames / 24, json.durationMs(), "duration_ms is the audio on disk");
        assertEquals(frames, json.root().at("/audio/samples").asLong());
        assertTrue(json.durationMs() <= killedAtMs, json.durationMs() + " ms recorded, killed at " + killedAtMs);
        assertTrue(json.durationMs() >= killedAtMs - CRASH_LOSS_BOUND_MS,
                "at most " + CRASH_LOSS_BOUND_MS + " ms lost: " + json.durationMs() + " ms recorded, killed at "
                        + killedAtMs + " ms");
        Instant ended = Instant.parse(json.text("ended_at"));
        assertFalse(ended.isAfter(afterKill), "ended_at is the last write before the kill: " + ended);
        assertFalse(ended.isBefore(afterKill.minusMillis(CRASH_LOSS_BOUND_MS)), ended + " vs kill " + afterKill);
        assertEquals("{\"complete\":false,\"failure\":null,\"missing\":["
                + "{\"channel\":\"caller\",\"start_ms\":" + frames / 24 + ",\"end_ms\":null,\"start_sample\":" + frames
                + ",\"end_sample\":null,\"cause\":\"gateway_crash\"},"
                + "{\"channel\":\"assistant\",\"start_ms\":" + frames / 24 + ",\"end_ms\":null,\"start_sample\":"
                + frames + ",\"end_sample\":null,\"cause\":\"gateway_crash\"}]}",
                json.root().get("recording").toString());

        // The caller's speech: the first utterance whole, and the second up to the end of the file.
        short[] reference = Speech.reference("speech.ulaw");
        Signals.Match first = Signals.bestMatch(call.caller(), reference, 0, RATE / 2);
        assertTrue(first.score() >= 0.8, "first utterance on the left channel: " + first);
        int second = first.lag() + LOOP_FRAMES;
        int recordedOfSecond = frames - second;
        assertTrue(recordedOfSecond >= RATE, recordedOfSecond + " frames of the second utterance");
        double score = Signals.correlationAt(Arrays.copyOfRange(call.caller(), second, frames), reference, 0);
        assertTrue(score >= 0.8, "second utterance up to the last frame on disk, correlation " + score);
        long speechEndMs = Math.min(frames, second + reference.length) * 1000L / RATE;
        assertTrue(Signals.rmsMs(call.caller(), RATE, speechEndMs - 1000, speechEndMs)
                > CallIsAnsweredAndRecordedIT.SPEECH_RMS, "speech in the last second of it on disk");

        // The turns checkpointed before the crash: the caller's first utterance and the agent's reply to it.
        CallJson.Turn callerTurn = json.turns("caller").get(0);
        assertEquals(first.lagMs(RATE), callerTurn.startMs(), 350, callerTurn.toString());
        assertFalse(callerTurn.text().isBlank(), callerTurn.toString());
        CallJson.Turn reply = json.turns("assistant").get(0);
        assertTrue(reply.startMs() >= callerTurn.endMs() - 100, reply + " after " + callerTurn);
        assertTrue(call.vtt().contains(callerTurn.text()), call.vtt());

        try (AudioInputStream in = AudioSystem.getAudioInputStream(dir.resolve("audio.wav").toFile())) {
            assertEquals(frames, in.getFrameLength(), "the JDK's reader plays it whole");
        }
    }

    private static int turns(Path partial) {
        try {
            return Files.exists(partial) ? JSON.readTree(partial.toFile()).path("turns").size() : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
