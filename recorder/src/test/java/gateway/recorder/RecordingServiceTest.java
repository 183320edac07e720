package gateway.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.testkit.Await;
import gateway.testkit.WavReader;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingServiceTest {

    private static final int RATE = 24_000;
    private static final int TICK = 480;
    private static final Instant STARTED = Instant.parse("2026-11-23T18:01:00.100Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private RecordingService service;

    @AfterEach
    void closeService() {
        if (service != null) {
            service.close();
        }
    }

    private static short callerSignal(long p) {
        return (short) ((p * 31) % 20_000 - 10_000);
    }

    private static short assistantSignal(long p) {
        return (short) (12_000 - (p * 17) % 24_000);
    }

    private static CallMetadata meta(String id) {
        return new CallMetadata(id, "abc@10.0.0.1", "sip:+15551234@example.com", "sip:agent@example.com",
                STARTED, "PCMU");
    }

    private static void writeCaller(CallRecording call, long position, int length) {
        short[] block = new short[length];
        for (int i = 0; i < length; i++) {
            block[i] = callerSignal(position + i);
        }
        call.caller(position, block, 0, length);
    }

    private static void writeAssistant(CallRecording call, long position, int length) {
        short[] block = new short[length + 2];
        for (int i = 0; i < length; i++) {
            block[i + 2] = assistantSignal(position + i);
        }
        call.assistant(position, block, 2, length);
    }

    private static final List<Turn> TURNS = List.of(
            new Turn(Role.ASSISTANT, 1_000, 2_900, "Hi, how can I help?", "item_b", true),
            new Turn(Role.CALLER, 200, 900, "Hello", "item_a", false));

    @Test
    void fullRecordingWritesStereoWavJsonAndCaptions() throws Exception {
        service = new RecordingService(dir, 1024);
        CallRecording call = service.start(meta("call-1"));
        assertTrue(Files.isDirectory(dir.resolve("call-1")));
        // Caller: 3 s in 50 ms blocks (each split into two chunks), one pair delivered out of order.
        // Assistant: 2 s at 20 ms pacer ticks starting 1 s after answer. Both legs interleave as in a live call.
        int block = 1200;
        for (long p = 0; p < 3 * RATE; p += 2 * block) {
            writeCaller(call, p + block, block);
            writeCaller(call, p, block);
            for (long a = Math.max(p, RATE); a < p + 2 * block && a < 3 * RATE; a += TICK) {
                writeAssistant(call, a, TICK);
            }
        }
        Instant ended = STARTED.plusMillis(4_321);
        Path result = call.finish(new CallSummary(ended, 4 * RATE, "caller_hangup", TURNS))
                .get(10, TimeUnit.SECONDS);
        assertEquals(dir.resolve("call-1"), result);

        try (Stream<Path> files = Files.list(result)) {
            assertEquals(Set.of("audio.wav", "call.json", "captions.vtt", "captions.srt"),
                    files.map(f -> f.getFileName().toString()).collect(Collectors.toSet()));
        }

        WavReader.Wav wav = WavReader.read(result.resolve("audio.wav"));
        assertEquals(1, wav.formatTag());
        assertEquals(2, wav.channels());
        assertEquals(RATE, wav.sampleRate());
        assertEquals(RATE * 4, wav.byteRate());
        assertEquals(4, wav.blockAlign());
        assertEquals(16, wav.bitsPerSample());
        assertEquals(4 * RATE, wav.frames());
        assertEquals(36 + 16 * RATE, wav.riffSize());
        assertEquals(44 + 16L * RATE, Files.size(result.resolve("audio.wav")));
        for (int p = 0; p < 4 * RATE; p++) {
            short left = p < 3 * RATE ? callerSignal(p) : 0;
            short right = p >= RATE && p < 3 * RATE ? assistantSignal(p) : 0;
            if (wav.left(p) != left || wav.right(p) != right) {
                throw new AssertionError("frame " + p + ": expected " + left + "/" + right + " got "
                        + wav.left(p) + "/" + wav.right(p));
            }
        }

        try (AudioInputStream in = AudioSystem.getAudioInputStream(result.resolve("audio.wav").toFile())) {
            AudioFormat format = in.getFormat();
            assertEquals(AudioFormat.Encoding.PCM_SIGNED, format.getEncoding());
            assertEquals(2, format.getChannels());
            assertEquals(24_000f, format.getSampleRate());
            assertEquals(16, format.getSampleSizeInBits());
            assertFalse(format.isBigEndian());
            assertEquals(4L * RATE, in.getFrameLength());
            byte[] pcm = in.readAllBytes();
            assertEquals(16 * RATE, pcm.length);
            for (int p : new int[] {0, 12_345, RATE - 1, RATE, 50_000, 3 * RATE - 1, 3 * RATE, 4 * RATE - 1}) {
                assertEquals(wav.left(p), (short) ((pcm[4 * p] & 0xff) | (pcm[4 * p + 1] << 8)), "left " + p);
                assertEquals(wav.right(p), (short) ((pcm[4 * p + 2] & 0xff) | (pcm[4 * p + 3] << 8)), "right " + p);
            }
            assertEquals(callerSignal(12_345), (short) ((pcm[4 * 12_345] & 0xff) | (pcm[4 * 12_345 + 1] << 8)));
            assertEquals(assistantSignal(50_000),
                    (short) ((pcm[4 * 50_000 + 2] & 0xff) | (pcm[4 * 50_000 + 3] << 8)));
        }

        JsonNode json = JSON.readTree(result.resolve("call.json").toFile());
        assertEquals("call-1", json.get("id").asText());
        assertEquals("abc@10.0.0.1", json.get("sip_call_id").asText());
        assertEquals("sip:+15551234@example.com", json.get("from").asText());
        assertEquals("sip:agent@example.com", json.get("to").asText());
        assertEquals("2026-11-23T18:01:00.100Z", json.get("started_at").asText());
        assertEquals("2026-11-23T18:01:04.421Z", json.get("ended_at").asText());
        assertEquals(4000, json.get("duration_ms").asLong());
        assertEquals("PCMU", json.get("codec").asText());
        assertEquals("caller_hangup", json.get("end_reason").asText());
        JsonNode turns = json.get("turns");
        assertEquals(2, turns.size());
        assertEquals("caller", turns.get(0).get("role").asText());
        assertEquals(200, turns.get(0).get("start_ms").asLong());
        assertEquals(900, turns.get(0).get("end_ms").asLong());
        assertEquals("Hello", turns.get(0).get("text").asText());
        assertEquals("item_a", turns.get(0).get("item_id").asText());
        assertFalse(turns.get(0).get("interrupted").asBoolean());
        assertEquals("assistant", turns.get(1).get("role").asText());
        assertEquals(1000, turns.get(1).get("start_ms").asLong());
        assertEquals(2900, turns.get(1).get("end_ms").asLong());
        assertEquals("Hi, how can I help?", turns.get(1).get("text").asText());
        assertEquals("item_b", turns.get(1).get("item_id").asText());
        assertTrue(turns.get(1).get("interrupted").asBoolean());
        assertEquals("audio.wav", json.at("/audio/file").asText());
        assertEquals(24_000, json.at("/audio/sample_rate").asInt());
        assertEquals(2, json.at("/audio/channels").asInt());
        assertEquals(4 * RATE, json.at("/audio/samples").asLong());
        assertEquals(0, json.at("/recorder/late_samples").asLong());
        assertEquals(0, json.at("/recorder/rejected_samples").asLong());
        assertEquals(0, json.at("/recorder/dropped_chunks").asLong());

        assertEquals("""
                WEBVTT

                00:00:00.200 --> 00:00:00.900
                <v Caller>Hello

                00:00:01.000 --> 00:00:02.900
                <v Assistant>Hi, how can I help?
                """, Files.readString(result.resolve("captions.vtt")));
        assertEquals("""
                1
                00:00:00,200 --> 00:00:00,900
                Caller: Hello

                2
                00:00:01,000 --> 00:00:02,900
                Assistant: Hi, how can I help?
                """, Files.readString(result.resolve("captions.srt")));
        assertEquals(0, service.droppedChunks());
    }

    @Test
    void lateAudioIsCountedAndEndBeforeFlushedAudioCutsTheFile() throws Exception {
        service = new RecordingService(dir, 64, 1000, System::nanoTime, () -> { }, () -> { });
        CallRecording call = service.start(meta("late"));
        writeCaller(call, 0, 3000);          // flushes frames 0..1999
        writeAssistant(call, 1500, 600);     // 500 late, 100 placed at 2000..2099
        Path result = call.finish(new CallSummary(STARTED, 1800, "error", List.of())).get(10, TimeUnit.SECONDS);
        WavReader.Wav wav = WavReader.read(result.resolve("audio.wav"));
        assertEquals(1800, wav.frames());
        assertEquals(44 + 1800 * 4, Files.size(result.resolve("audio.wav")));
        assertEquals(callerSignal(1799), wav.left(1799));
        assertEquals(0, wav.right(1799));
        JsonNode json = JSON.readTree(result.resolve("call.json").toFile());
        assertEquals(500, json.at("/recorder/late_samples").asLong());
        assertEquals(1800, json.at("/audio/samples").asLong());
        assertEquals(75, json.get("duration_ms").asLong());
    }

    @Test
    void headerIsRewrittenPeriodicallySoAnUnfinishedFileIsPlayable() throws Exception {
        AtomicLong now = new AtomicLong();
        CountDownLatch synced = new CountDownLatch(1);
        service = new RecordingService(dir, 1024, RecordingService.DEFAULT_WINDOW_FRAMES, now::get, () -> { },
                synced::countDown);
        CallRecording call = service.start(meta("crash"));
        for (long p = 0; p < 3 * RATE; p += TICK) {
            writeCaller(call, p, TICK);
        }
        call.checkpoint(CallLog.of(TURNS));
        Path wavPath = dir.resolve("crash/audio.wav");
        Path partialJson = dir.resolve("crash/call.json.partial");
        // The writer handles the checkpoint after the audio queued before it and renames call.json.partial into
        // place whole: once it is there, every frame that left the window is in the file or its write buffer.
        Await.until(() -> Files.exists(partialJson), Duration.ofSeconds(10), () -> "no " + partialJson);
        assertEquals(0, WavReader.read(wavPath).frames(), "before the rewrite period the header says no frames");

        now.addAndGet(RecorderWriter.HEADER_SYNC_NANOS);
        assertTrue(synced.await(10, TimeUnit.SECONDS), "no header rewrite once the period had passed");
        int flushedFrames = 3 * RATE - RecordingService.DEFAULT_WINDOW_FRAMES;
        assertEquals(44 + flushedFrames * 4L, Files.size(wavPath));
        WavReader.Wav wav = WavReader.read(wavPath);
        assertEquals(flushedFrames * 4, wav.dataSize());
        assertEquals(36 + flushedFrames * 4, wav.riffSize());
        assertEquals(callerSignal(flushedFrames - 1), wav.left(flushedFrames - 1));
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wavPath.toFile())) {
            assertEquals(flushedFrames, in.getFrameLength());
            assertEquals(2, in.getFormat().getChannels());
            byte[] pcm = in.readAllBytes();
            assertEquals(flushedFrames * 4, pcm.length);
            assertEquals(callerSignal(777), (short) ((pcm[4 * 777] & 0xff) | (pcm[4 * 777 + 1] << 8)));
        }
        JsonNode partial = JSON.readTree(dir.resolve("crash/call.json.partial").toFile());
        assertTrue(partial.get("ended_at").isNull());
        assertEquals("caller", partial.at("/turns/0/role").asText());

        // Closing the service finishes the call as a shutdown, keeping the checkpointed turns.
        service.close();
        CompletableFuture<Path> done = call.finish(new CallSummary(STARTED, 0, "ignored", List.of()));
        Path result = done.get(1, TimeUnit.SECONDS);
        JsonNode json = JSON.readTree(result.resolve("call.json").toFile());
        assertEquals("shutdown", json.get("end_reason").asText());
        assertEquals(3 * RATE, json.at("/audio/samples").asLong());
        assertEquals(2, json.get("turns").size());
        assertFalse(Files.exists(dir.resolve("crash/call.json.partial")));
        assertEquals(3 * RATE, WavReader.read(result.resolve("audio.wav")).frames());
        assertThrows(IllegalStateException.class, () -> service.start(meta("after-close")));
    }

    @Test
    void fullQueueDropsAndCountsWithoutBlockingTheProducer() throws Exception {
        CountDownLatch writerBusy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        service = new RecordingService(dir, 2, RecordingService.DEFAULT_WINDOW_FRAMES, System::nanoTime, () -> {
            writerBusy.countDown();
            awaitUninterruptibly(release);
        }, () -> { });
        CallRecording call = service.start(meta("overflow"));
        writeCaller(call, 0, TICK);
        assertTrue(writerBusy.await(10, TimeUnit.SECONDS));
        for (int k = 1; k <= 10; k++) {
            writeCaller(call, (long) k * TICK, TICK);
        }
        // One chunk in the writer's hands, two queued, eight dropped: every call returned while the writer was stuck.
        assertEquals(8, service.droppedChunks());
        assertEquals(2, service.queuedChunks());
        assertEquals(3, service.handoff().allocatedChunks());
        release.countDown();
        Path result = call.finish(new CallSummary(STARTED, 11 * TICK, "caller_hangup", List.of()))
                .get(10, TimeUnit.SECONDS);
        assertEquals(0, service.queuedChunks()); // a finish is handled after the audio queued before it
        WavReader.Wav wav = WavReader.read(result.resolve("audio.wav"));
        assertEquals(11 * TICK, wav.frames());
        assertEquals(callerSignal(3 * TICK - 1), wav.left(3 * TICK - 1));
        assertEquals(0, wav.left(3 * TICK));
        assertEquals(0, wav.left(11 * TICK - 1));
        assertEquals(8, JSON.readTree(result.resolve("call.json").toFile()).at("/recorder/dropped_chunks").asLong());
    }

    @Test
    void steadyStateProducerAllocatesNothing() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        service = new RecordingService(dir, 64, RecordingService.DEFAULT_WINDOW_FRAMES, System::nanoTime,
                () -> awaitUninterruptibly(release), () -> { });
        CallRecording call = service.start(meta("alloc"));
        short[] callerBlock = new short[TICK];
        short[] assistantBlock = new short[TICK];
        for (int i = 0; i < TICK; i++) {
            callerBlock[i] = (short) i;
            assistantBlock[i] = (short) -i;
        }
        long position = 0;
        // Fill the pool to its cap while the writer is held, so the measurement sees no pool growth.
        for (int i = 0; i < 100; i++, position += TICK) {
            call.caller(position, callerBlock, 0, TICK);
            call.assistant(position, assistantBlock, 0, TICK);
        }
        assertEquals(65, service.handoff().allocatedChunks());
        release.countDown();
        Await.until(() -> service.handoff().queued() == 0, Duration.ofSeconds(10),
                () -> service.handoff().queued() + " chunks still queued");
        for (int i = 0; i < 5_000; i++, position += TICK) {
            call.caller(position, callerBlock, 0, TICK);
            call.assistant(position, assistantBlock, 0, TICK);
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++, position += TICK) {
            call.caller(position, callerBlock, 0, TICK);
            call.assistant(position, assistantBlock, 0, TICK);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 4_096, "producer allocated " + allocated + " bytes");
        assertEquals(65, service.handoff().allocatedChunks());
        Path result = call.finish(new CallSummary(STARTED, position, "caller_hangup", List.of()))
                .get(30, TimeUnit.SECONDS);
        assertEquals(position, WavReader.read(result.resolve("audio.wav")).frames());
    }

    @Test
    void aFailingCallDoesNotAffectOthers() throws Exception {
        service = new RecordingService(dir, 256);
        CallRecording broken = service.start(meta("broken"));
        Files.delete(dir.resolve("broken"));
        CallRecording healthy = service.start(meta("healthy"));
        writeCaller(broken, 0, TICK);
        writeCaller(healthy, 0, TICK);
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> broken.finish(new CallSummary(STARTED, TICK, "x", List.of())).get(10, TimeUnit.SECONDS));
        assertTrue(failure.getCause() instanceof IOException, failure.getCause().toString());
        Path result = healthy.finish(new CallSummary(STARTED, TICK, "x", TURNS)).get(10, TimeUnit.SECONDS);
        assertEquals(callerSignal(100), WavReader.read(result.resolve("audio.wav")).left(100));
        assertTrue(Files.exists(result.resolve("call.json")));
    }

    @Test
    void startRejectsAnExistingDirectoryAndUnsafeIds() throws Exception {
        service = new RecordingService(dir, 16);
        service.start(meta("dup"));
        assertThrows(IOException.class, () -> service.start(meta("dup")));
        assertThrows(IllegalArgumentException.class, () -> meta("../escape"));
        assertThrows(IllegalArgumentException.class, () -> meta(".."));
        assertFalse(new File(dir.toFile(), "escape").exists());
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void discardDeletesTheCallsFilesAndDirectory() throws Exception {
        service = new RecordingService(dir, 1024);
        CallRecording call = service.start(meta("never-answered"));
        writeCaller(call, 0, 4800);
        Path deleted = call.discard().get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(dir.resolve("never-answered"), deleted);
        assertFalse(Files.exists(deleted), "nothing is left of a call that was never answered");
        assertTrue(call.finish(new CallSummary(STARTED, 4800, "caller_bye", List.of())).isDone(),
                "a later finish is ignored");
        assertFalse(Files.exists(deleted));
    }
}
