package gateway.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.library.CallMetadata;
import gateway.testkit.Await;
import gateway.testkit.Signals;
import gateway.testkit.WavReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer stalls (its clock does not move, so it makes no pass) while a call goes on: within
 * {@code recordings.buffer-seconds} nothing is lost; beyond it the lost audio is exactly the ranges call.json lists.
 */
class RecorderStallTest {

    private static final int RATE = 24_000;
    private static final int TICK = 480;
    private static final int BLOCK = SampleBlock.FRAMES;
    private static final Instant STARTED = Instant.parse("2026-11-23T18:01:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The least buffer, so the bound is reached quickly: 2 s per call, one call. */
    private static final RecorderSettings SETTINGS = new RecorderSettings(2, 1);

    @TempDir
    Path dir;
    private RecordingService service;

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
    }

    private static CallMetadata meta(String id) {
        return new CallMetadata(id, "stall@10.0.0.1", "sip:a@example.com", "sip:b@example.com", STARTED, "PCMU");
    }

    @Test
    void theBufferHoldsTheLeastBlocksThatSurviveItsSecondsOfStall() {
        // 2 s stalled + the 0.5 s window + one 0.25 s pass = 66 000 frames = 27.5 blocks, rounded up, plus the
        // block the writer is in the middle of.
        assertEquals(29, SETTINGS.slotsPerChannel());
        assertEquals(2L * 29 * BLOCK * 2, SETTINGS.bytesPerCall());
        assertEquals(new RecorderSettings(5, 500).bytesPerCall() * 500, new RecorderSettings(5, 500).budgetBytes());
        assertEquals(new RecorderSettings(5, 100), new RecorderSettings(5, 500).fittedToHeap(
                2 * 100 * new RecorderSettings(5, 1).bytesPerCall() + 7), "half the heap holds 100 calls");
    }

    @Test
    void aWriterStalledForTheWholeBufferLosesNothing() throws Exception {
        ManualWriter writer = new ManualWriter();
        service = writer.service(dir, SETTINGS);
        CallRecording call = service.start(meta("within"));
        Talk.bothLegs(call, 0, RATE);
        writer.pass();
        // The writer took everything before the window: 0.5 s = 5 whole blocks per channel,
        // which went back to the pool.
        assertEquals(2 * 5, service.pool().allocated() - service.pool().inUse());
        // Stalled now: 2 s more of the call arrive while the writer makes no pass.
        Talk.bothLegs(call, RATE, 3 * RATE);
        assertEquals(0, service.lostSamples());
        assertEquals(2 * (3 * RATE - RATE / 2) / BLOCK, service.pool().inUse(), "2.5 s per channel waits in blocks");
        writer.pass();
        Path result = call.finish(new CallSummary(STARTED.plusSeconds(3), 3 * RATE, "caller_bye", List.of()))
                .get(10, TimeUnit.SECONDS);
        WavReader.Wav wav = WavReader.read(result.resolve("audio.wav"));
        assertEquals(3 * RATE, wav.frames());
        for (int p = 0; p < 3 * RATE; p++) {
            if (wav.left(p) != Signals.callerPattern(p) || wav.right(p) != Signals.assistantPattern(p)) {
                throw new AssertionError("frame " + p + ": " + wav.left(p) + "/" + wav.right(p));
            }
        }
        JsonNode json = JSON.readTree(result.resolve("call.json").toFile());
        assertEquals("{\"complete\":true,\"failure\":null,\"missing\":[]}", json.get("recording").toString());
        assertEquals(0, service.pool().inUse());
        assertEquals(0, service.incompleteRecordings());
    }

    @Test
    void beyondTheBufferTheLostAudioIsExactlyTheListedRanges() throws Exception {
        ManualWriter writer = new ManualWriter();
        service = writer.service(dir, SETTINGS);
        CallRecording call = service.start(meta("beyond"));
        Talk.bothLegs(call, 0, RATE);
        writer.pass();
        // Drained up to block 5; the 29 slots per channel then hold blocks 5-33, so from frame 34 * 2400 = 81 600
        // (3.4 s) on nothing fits until the writer drains again.
        long firstLost = (5 + SETTINGS.slotsPerChannel()) * (long) BLOCK;
        assertEquals(81_600, firstLost);
        Talk.bothLegs(call, RATE, 5 * RATE);
        assertEquals(2 * (5 * RATE - firstLost), service.lostSamples());
        assertEquals(2 * (5 * RATE - firstLost) / TICK, service.droppedWrites(), "80 writes per leg lost");
        writer.pass();
        Talk.bothLegs(call, 5 * RATE, 6 * RATE);
        assertEquals(2 * (5 * RATE - firstLost), service.lostSamples(), "once drained, the call records again");
        Path result = call.finish(new CallSummary(STARTED.plusSeconds(6), 6 * RATE, "caller_bye", List.of()))
                .get(10, TimeUnit.SECONDS);

        JsonNode json = JSON.readTree(result.resolve("call.json").toFile());
        assertEquals("{\"complete\":false,\"failure\":null,\"missing\":["
                + "{\"channel\":\"caller\",\"start_ms\":3400,\"end_ms\":5000,\"start_sample\":81600,"
                + "\"end_sample\":120000,\"cause\":\"buffer_full\"},"
                + "{\"channel\":\"assistant\",\"start_ms\":3400,\"end_ms\":5000,\"start_sample\":81600,"
                + "\"end_sample\":120000,\"cause\":\"buffer_full\"}]}", json.get("recording").toString());
        assertEquals(2 * 38_400, json.at("/recorder/lost_samples").asLong());
        assertEquals(160, json.at("/recorder/dropped_chunks").asLong());
        WavReader.Wav wav = WavReader.read(result.resolve("audio.wav"));
        assertEquals(6 * RATE, wav.frames());
        for (int p = 0; p < 6 * RATE; p++) {
            boolean lost = p >= firstLost && p < 5 * RATE;
            short left = lost ? 0 : Signals.callerPattern(p);
            short right = lost ? 0 : Signals.assistantPattern(p);
            if (wav.left(p) != left || wav.right(p) != right) {
                throw new AssertionError("frame " + p + " (lost " + lost + "): " + wav.left(p) + "/" + wav.right(p));
            }
        }
        assertEquals(1, service.incompleteRecordings());
        assertEquals(0, service.pool().inUse());
    }

    @Test
    void theBacklogIsTheTimeSinceTheWriterLastCaughtUp() throws Exception {
        CountDownLatch holdSecondPass = new CountDownLatch(1);
        CountDownLatch heldInPass = new CountDownLatch(1);
        int[] passes = {0};
        ManualWriter writer = new ManualWriter(() -> {
            if (++passes[0] == 2) {
                heldInPass.countDown();
                try {
                    holdSecondPass.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        service = writer.service(dir, SETTINGS);
        writer.pass();
        long firstPass = writer.now.get();
        assertEquals(0, service.backlogNanos(), "caught up at the pass just made");
        writer.now.addAndGet(RecorderWriter.PASS_NANOS);
        assertTrue(heldInPass.await(10, TimeUnit.SECONDS));
        writer.now.addAndGet(3_000_000_000L);
        assertEquals(RecorderWriter.PASS_NANOS + 3_000_000_000L, service.backlogNanos(), "stuck in its second pass");
        holdSecondPass.countDown();
        Await.until(() -> service.backlogNanos() == 0, Duration.ofSeconds(10), () -> "the writer never caught up");
        assertEquals(writer.now.get() - firstPass, service.peakBacklogNanos());
        assertFalse(service.peakBacklogNanos() < 3_000_000_000L);
    }
}
