package gateway.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.library.CallLog;
import gateway.library.CallMetadata;
import gateway.testkit.Await;
import gateway.testkit.LogCapture;
import gateway.testkit.Signals;
import gateway.testkit.WavReader;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk under one call fills up in the middle of it (real ENOSPC from /dev/full, see {@link FillingDisk}): the
 * call goes on, its failure is logged once and counted, audio.wav keeps the frames that made it with a header that
 * says so, the checkpoint notes the failure (so recovery after a crash would report it), and call.json, written
 * once there is room again, says which audio is missing and why. The other call is untouched.
 */
class RecorderDiskFullTest {

    private static final int RATE = 24_000;
    private static final Instant STARTED = Instant.parse("2026-11-23T18:01:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private RecordingService service;
    private final LogCapture log = LogCapture.of(CallFiles.class);

    @AfterEach
    void close() {
        log.close();
        if (service != null) {
            service.close();
        }
    }

    private static CallMetadata meta(String id) {
        return new CallMetadata(id, id + "@10.0.0.1", "sip:a@example.com", "sip:b@example.com", STARTED, "PCMU");
    }

    @Test
    void aDiskFullMidCallKeepsTheCallGoingAndCallJsonSaysWhatIsMissing() throws Exception {
        FillingDisk disk = new FillingDisk(dir.resolve("full"));
        ManualWriter writer = new ManualWriter();
        service = writer.service(dir, new RecorderSettings(5, 4), disk);
        CallRecording full = service.start(meta("full"));
        CallRecording fine = service.start(meta("fine"));
        Talk.bothLegs(full, 0, 2 * RATE);
        Talk.bothLegs(fine, 0, 2 * RATE);
        writer.pass();
        int onDisk = 2 * RATE - RecordingService.DEFAULT_WINDOW_FRAMES;

        disk.full = true;
        Talk.bothLegs(full, 2 * RATE, 4 * RATE);
        Talk.bothLegs(fine, 2 * RATE, 4 * RATE);
        writer.pass();
        assertEquals(1, service.writeFailures());
        // No room for a new checkpoint file, but the old one is overwritten in its own block: a crash from here
        // on still leaves the failure for recovery.
        JsonNode noted = JSON.readTree(dir.resolve("full/call.json.partial").toFile());
        assertEquals("{\"complete\":false,\"failure\":\"IOException: No space left on device\",\"missing\":["
                + "{\"channel\":\"caller\",\"start_ms\":1500,\"end_ms\":4000,\"start_sample\":36000,"
                + "\"end_sample\":96000,\"cause\":\"write_failed\"},"
                + "{\"channel\":\"assistant\",\"start_ms\":1500,\"end_ms\":4000,\"start_sample\":36000,"
                + "\"end_sample\":96000,\"cause\":\"write_failed\"}]}", noted.get("recording").toString());
        Path crashed = Files.createDirectories(dir.resolve("after-a-crash/full"));
        Files.copy(dir.resolve("full/audio.wav"), crashed.resolve("audio.wav"));
        Files.copy(dir.resolve("full/call.json.partial"), crashed.resolve("call.json.partial"));
        assertEquals(List.of("full"), CrashRecovery.recover(crashed.getParent(), FileOpener.DEFAULT));
        JsonNode recovered = JSON.readTree(crashed.resolve("call.json").toFile());
        assertEquals("gateway_crash", recovered.get("end_reason").asText());
        assertEquals("{\"complete\":false,\"failure\":\"IOException: No space left on device\",\"missing\":["
                + "{\"channel\":\"caller\",\"start_ms\":1500,\"end_ms\":null,\"start_sample\":36000,"
                + "\"end_sample\":null,\"cause\":\"write_failed\"},"
                + "{\"channel\":\"assistant\",\"start_ms\":1500,\"end_ms\":null,\"start_sample\":36000,"
                + "\"end_sample\":null,\"cause\":\"write_failed\"}]}", recovered.get("recording").toString(),
                "recovery reports the disk failure, not a crash, as the cause");
        Talk.bothLegs(full, 4 * RATE, 5 * RATE);
        Talk.bothLegs(fine, 4 * RATE, 5 * RATE);
        full.checkpoint(CallLog.EMPTY);
        writer.sync();
        assertEquals(0, service.lostSamples(), "nothing was lost to a full buffer: the failed call's blocks are freed");

        CompletableFuture<Path> fullDone = full.finish(new CallSummary(STARTED.plusSeconds(5), 5 * RATE, "caller_bye",
                List.of()));
        ExecutionException noRoom = assertThrows(ExecutionException.class, () -> fullDone.get(10, TimeUnit.SECONDS));
        assertTrue(noRoom.getCause() instanceof IOException);
        assertEquals("No space left on device", noRoom.getCause().getMessage(), "a real ENOSPC");
        Path fineDir = fine.finish(new CallSummary(STARTED.plusSeconds(5), 5 * RATE, "caller_bye", List.of()))
                .get(10, TimeUnit.SECONDS);

        WavReader.Wav kept = WavReader.read(dir.resolve("full/audio.wav"));
        assertEquals(onDisk, kept.frames(), "audio.wav keeps what was written before the disk filled, and says so");
        assertEquals(44 + onDisk * 4, Files.size(dir.resolve("full/audio.wav")),
                "the short write into the file's last block is cut off");
        assertEquals(Signals.callerPattern(onDisk - 1), kept.left(onDisk - 1));
        assertEquals(Signals.assistantPattern(onDisk - 1), kept.right(onDisk - 1));
        assertFalse(Files.exists(dir.resolve("full/call.json")), "no room for call.json yet");
        List<String> warnings = log.messages(Level.WARNING);
        assertEquals(1, warnings.stream().filter(w -> w.contains("call full")).count(),
                "one warning for the call, whatever failed after: " + warnings);
        assertTrue(warnings.get(0).contains("No space left on device"), warnings.get(0));
        assertEquals(1, service.writeFailures());

        WavReader.Wav whole = WavReader.read(fineDir.resolve("audio.wav"));
        assertEquals(5 * RATE, whole.frames());
        for (int p = 0; p < 5 * RATE; p++) {
            if (whole.left(p) != Signals.callerPattern(p) || whole.right(p) != Signals.assistantPattern(p)) {
                throw new AssertionError("the other call's frame " + p);
            }
        }
        assertTrue(JSON.readTree(fineDir.resolve("call.json").toFile()).at("/recording/complete").asBoolean());

        // Room again: the writer's next try writes the captions and call.json.
        disk.full = false;
        writer.now.addAndGet(RecorderWriter.JSON_RETRY_NANOS);
        Path json = dir.resolve("full/call.json");
        Await.until(() -> Files.exists(json), Duration.ofSeconds(10), () -> "call.json never written");
        JsonNode call = JSON.readTree(json.toFile());
        assertEquals("caller_bye", call.get("end_reason").asText());
        assertEquals(5000, call.get("duration_ms").asLong());
        assertEquals(onDisk, call.at("/audio/samples").asLong());
        assertEquals("{\"complete\":false,\"failure\":\"IOException: No space left on device\",\"missing\":["
                + "{\"channel\":\"caller\",\"start_ms\":1500,\"end_ms\":5000,\"start_sample\":36000,"
                + "\"end_sample\":120000,\"cause\":\"write_failed\"},"
                + "{\"channel\":\"assistant\",\"start_ms\":1500,\"end_ms\":5000,\"start_sample\":36000,"
                + "\"end_sample\":120000,\"cause\":\"write_failed\"}]}", call.get("recording").toString());
        assertTrue(Files.exists(dir.resolve("full/captions.vtt")));
        assertFalse(Files.exists(dir.resolve("full/call.json.partial")));
        assertEquals(1, service.incompleteRecordings());
        assertEquals(0, service.pool().inUse());
        assertEquals(1, log.messages(Level.WARNING).size(), "still one warning: " + log.messages(Level.WARNING));
    }
}
