package gateway.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.library.CallLog;
import gateway.library.CallMetadata;
import gateway.library.ConversationAnalyzer;
import gateway.library.Role;
import gateway.library.Turn;
import gateway.testkit.Allocations;
import gateway.testkit.Await;
import gateway.testkit.Signals;
import gateway.testkit.WavReader;
import java.io.File;
import java.io.IOException;
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
    static final RecorderSettings SETTINGS = new RecorderSettings(5, 4);

    @TempDir
    Path dir;
    private RecordingService service;

    @AfterEach
    void closeService() {
        if (service != null) {
            service.close();
        }
    }

    private static CallMetadata meta(String id) {
        return new CallMetadata(id, "abc@10.0.0.1", "sip:+15551234@example.com", "sip:agent@example.com",
                STARTED, "PCMU");
    }

    private static void writeCaller(CallRecording call, long position, int length) {
        short[] block = new short[length];
        for (int i = 0; i < length; i++) {
            block[i] = Signals.callerPattern(position + i);
        }
        call.caller(position, block, 0, length);
    }

    private static void writeAssistant(CallRecording call, long position, int length) {
        short[] block = new short[length + 2];
        for (int i = 0; i < length; i++) {
            block[i + 2] = Signals.assistantPattern(position + i);
        }
        call.assistant(position, block, 2, length);
    }

    private static final List<Turn> TURNS = List.of(
            new Turn(Role.ASSISTANT, 1_000, 2_900, "Hi, how can I help?", "item_b", true),
            new Turn(Role.CALLER, 200, 900, "Hello", "item_a", false));

    @Test
    void fullRecordingWritesStereoWavJsonAndCaptions() throws Exception {
        service = new RecordingService(dir, SETTINGS);
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
            short left = p < 3 * RATE ? Signals.callerPattern(p) : 0;
            short right = p >= RATE && p < 3 * RATE ? Signals.assistantPattern(p) : 0;
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
            assertEquals(Signals.callerPattern(12_345),
                    (short) ((pcm[4 * 12_345] & 0xff) | (pcm[4 * 12_345 + 1] << 8)));
            assertEquals(Signals.assistantPattern(50_000),
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
        // The writer measured the conversation as it wrote: caller 0-3 s, assistant over it from 1 s to 3 s.
        JsonNode analytics = json.get("analytics");
        assertEquals(3000, analytics.get("caller_talk_ms").asLong(), analytics.toString());
        assertEquals(2000, analytics.get("agent_talk_ms").asLong());
        assertEquals(2000, analytics.get("talk_over_ms").asLong());
        assertEquals(1, analytics.get("talk_over_count").asInt());
        assertEquals(0, analytics.get("replies").asInt(), "the assistant began over the caller: no reply time");
        assertEquals(0.4, analytics.get("agent_talk_share").asDouble());
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
        assertEquals(0, json.at("/recorder/lost_samples").asLong());
        assertEquals("{\"complete\":true,\"failure\":null,\"missing\":[]}", json.get("recording").toString());

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
        assertEquals(0, service.lostSamples());
        assertEquals(0, service.incompleteRecordings());
        assertEquals(0, service.pool().inUse(), "every block went back to the pool");
    }

    @Test
    void lateAudioIsCountedAndEndBeforeFlushedAudioCutsTheFile() throws Exception {
        service = new RecordingService(dir, SETTINGS, 1000, System::nanoTime, FileOpener.DEFAULT, WriterHooks.NONE);
        CallRecording call = service.start(meta("late"));
        writeCaller(call, 0, 3000);          // flushes frames 0..1999
        writeAssistant(call, 1500, 600);     // 500 late, 100 placed at 2000..2099
        Path result = call.finish(new CallSummary(STARTED, 1800, "error", List.of())).get(10, TimeUnit.SECONDS);
        WavReader.Wav wav = WavReader.read(result.resolve("audio.wav"));
        assertEquals(1800, wav.frames());
        assertEquals(44 + 1800 * 4, Files.size(result.resolve("audio.wav")));
        assertEquals(Signals.callerPattern(1799), wav.left(1799));
        assertEquals(0, wav.right(1799));
        JsonNode json = JSON.readTree(result.resolve("call.json").toFile());
        assertEquals(500, json.at("/recorder/late_samples").asLong());
        assertEquals(1800, json.at("/audio/samples").asLong());
        assertEquals(75, json.get("duration_ms").asLong());
    }

    @Test
    void headerIsRewrittenPeriodicallySoAnUnfinishedFileIsPlayable() throws Exception {
        ManualWriter writer = new ManualWriter();
        service = writer.service(dir, SETTINGS);
        CallRecording call = service.start(meta("crash"));
        Path partialJson = dir.resolve("crash/call.json.partial");
        Await.until(() -> Files.exists(partialJson), Duration.ofSeconds(10), () -> "no " + partialJson);
        JsonNode first = JSON.readTree(partialJson.toFile());
        assertEquals("abc@10.0.0.1", first.get("sip_call_id").asText(), "the metadata is saved at once");
        assertTrue(first.get("ended_at").isNull());
        for (long p = 0; p < 3 * RATE; p += TICK) {
            writeCaller(call, p, TICK);
        }
        call.checkpoint(CallLog.of(TURNS));
        Path wavPath = dir.resolve("crash/audio.wav");
        // The writer handles the checkpoint after writing the call's committed audio and renames the new
        // call.json.partial into place whole: once it has the turns, every frame that left the window is in the file.
        Await.until(() -> checkpointedTurns(partialJson) == 2, Duration.ofSeconds(10),
                () -> "no checkpoint with turns in " + partialJson);
        int committed = 3 * RATE - RecordingService.DEFAULT_WINDOW_FRAMES;
        assertEquals(44 + committed * 4L, Files.size(wavPath));
        assertEquals(0, WavReader.read(wavPath).frames(), "before the rewrite period the header says no frames");

        writer.sync();
        WavReader.Wav wav = WavReader.read(wavPath);
        assertEquals(committed * 4, wav.dataSize());
        assertEquals(36 + committed * 4, wav.riffSize());
        assertEquals(Signals.callerPattern(committed - 1), wav.left(committed - 1));
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wavPath.toFile())) {
            assertEquals(committed, in.getFrameLength());
            assertEquals(2, in.getFormat().getChannels());
            byte[] pcm = in.readAllBytes();
            assertEquals(committed * 4, pcm.length);
            assertEquals(Signals.callerPattern(777), (short) ((pcm[4 * 777] & 0xff) | (pcm[4 * 777 + 1] << 8)));
        }
        JsonNode partial = JSON.readTree(partialJson.toFile());
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
        WavReader.Wav finished = WavReader.read(result.resolve("audio.wav"));
        assertEquals(3 * RATE, finished.frames());
        assertEquals(Signals.callerPattern(3 * RATE - 1), finished.left(3 * RATE - 1),
                "the window is written at shutdown");
        assertThrows(IllegalStateException.class, () -> service.start(meta("after-close")));
    }

    @Test
    void steadyStateProducerAllocatesNothing() throws Exception {
        ManualWriter writer = new ManualWriter();
        service = writer.service(dir, SETTINGS);
        CallRecording call = service.start(meta("alloc"));
        short[] callerBlock = new short[TICK];
        short[] assistantBlock = new short[TICK];
        for (int i = 0; i < TICK; i++) {
            callerBlock[i] = (short) i;
            assistantBlock[i] = (short) -i;
        }
        // 0.25 s of both legs per pass, as in a live call: the first passes grow the pool, then it is reused.
        int ticksPerPass = (int) (RecorderWriter.PASS_NANOS / 20_000_000L);
        long position = 0;
        long allocated = 0;
        for (int pass = 0; pass < 40; pass++) {
            long before = Allocations.onThisThread();
            for (int i = 0; i < ticksPerPass; i++, position += TICK) {
                call.caller(position, callerBlock, 0, TICK);
                call.assistant(position, assistantBlock, 0, TICK);
            }
            if (pass >= 10) {
                allocated += Allocations.onThisThread() - before;
            }
            writer.pass();
        }
        assertTrue(allocated < 1_024, "producer allocated " + allocated + " bytes in 30 passes");
        int peak = service.pool().allocated();
        assertTrue(peak <= 2 * 10, "blocks for the window and one pass per channel, not more: " + peak);
        Path result = call.finish(new CallSummary(STARTED, position, "caller_hangup", List.of()))
                .get(30, TimeUnit.SECONDS);
        WavReader.Wav wav = WavReader.read(result.resolve("audio.wav"));
        assertEquals(position, wav.frames());
        assertEquals(callerBlock[17], wav.left(7 * TICK + 17));
        assertEquals(assistantBlock[17], wav.right(7 * TICK + 17));
        assertEquals(0, service.lostSamples());
    }

    @Test
    void manyCallsReuseTheirBlocksAcrossHeaderRewrites() throws Exception {
        // 16 calls fill 16 x 2 x 2.5 = 80 blocks between two passes, more than the writer's 64 spare blocks: a trim
        // that kept only the blocks in use just after a pass made every pass after it allocate them again.
        int calls = 16;
        ManualWriter writer = new ManualWriter();
        service = writer.service(dir, new RecorderSettings(5, calls));
        CallRecording[] recordings = new CallRecording[calls];
        for (int c = 0; c < calls; c++) {
            recordings[c] = service.start(meta("many-" + c));
        }
        short[] frame = new short[TICK];
        int ticksPerPass = (int) (RecorderWriter.PASS_NANOS / 20_000_000L);
        long position = 0;
        long allocated = 0;
        int warmBlocks = 0;
        for (int pass = 0; pass < 24; pass++) {
            long before = Allocations.onThisThread();
            for (int i = 0; i < ticksPerPass; i++, position += TICK) {
                for (int c = 0; c < calls; c++) { // indexed: an iterator here would be the only allocation
                    recordings[c].caller(position, frame, 0, TICK);
                    recordings[c].assistant(position, frame, 0, TICK);
                    // Both sides settled as they are in a live call, so the writer takes all of it, not all but
                    // the window: just after a pass only the blocks being filled are in use.
                    recordings[c].settleCaller(position + TICK);
                    recordings[c].settleAssistant(position + TICK);
                }
            }
            if (pass >= 8) {
                allocated += Allocations.onThisThread() - before;
            }
            // As in the writer's own loop: the headers are rewritten (and the pool trimmed) every other pass.
            if (pass % 2 == 0) {
                writer.pass();
            } else {
                writer.sync();
            }
            if (pass == 8) {
                warmBlocks = service.pool().allocated();
            }
        }
        assertTrue(allocated < Allocations.BOUND_BYTES, "producers allocated " + allocated + " bytes in 16 passes");
        assertEquals(warmBlocks, service.pool().allocated(), "no block let go only to be made again");
        assertEquals(0, service.lostSamples());
        for (CallRecording call : recordings) {
            call.finish(new CallSummary(STARTED, position, "caller_hangup", List.of())).get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aCallWhoseDirectoryVanishesFailsAloneAndIsCountedOnce() throws Exception {
        service = new RecordingService(dir, SETTINGS);
        CallRecording broken = service.start(meta("broken"));
        CallRecording healthy = service.start(meta("healthy"));
        Path brokenDir = dir.resolve("broken");
        Await.until(() -> Files.exists(brokenDir.resolve("call.json.partial")), Duration.ofSeconds(10),
                () -> "broken never opened");
        try (Stream<Path> files = Files.list(brokenDir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
        Files.delete(brokenDir);
        writeCaller(broken, 0, TICK);
        writeCaller(healthy, 0, TICK);
        broken.checkpoint(CallLog.of(TURNS));
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> broken.finish(new CallSummary(STARTED, TICK, "x", List.of())).get(10, TimeUnit.SECONDS));
        assertTrue(failure.getCause() instanceof java.nio.file.NoSuchFileException, failure.getCause().toString());
        Path result = healthy.finish(new CallSummary(STARTED, TICK, "x", TURNS)).get(10, TimeUnit.SECONDS);
        assertEquals(Signals.callerPattern(100), WavReader.read(result.resolve("audio.wav")).left(100));
        assertTrue(JSON.readTree(result.resolve("call.json").toFile()).at("/recording/complete").asBoolean());
        assertEquals(1, service.writeFailures(), "one failing call, counted once");
        assertFalse(Files.exists(brokenDir), "nothing recreates a directory someone removed");
    }

    @Test
    void startRejectsAnExistingDirectoryAndUnsafeIds() throws Exception {
        service = new RecordingService(dir, SETTINGS);
        service.start(meta("dup"));
        assertThrows(IOException.class, () -> service.start(meta("dup")));
        assertThrows(IllegalArgumentException.class, () -> meta("../escape"));
        assertThrows(IllegalArgumentException.class, () -> meta(".."));
        assertFalse(new File(dir.toFile(), "escape").exists());
    }

    private static int checkpointedTurns(Path partialJson) {
        try {
            return JSON.readTree(partialJson.toFile()).get("turns").size();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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
        service = new RecordingService(dir, SETTINGS);
        CallRecording call = service.start(meta("never-answered"));
        writeCaller(call, 0, 4800);
        Path deleted = call.discard().get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(dir.resolve("never-answered"), deleted);
        assertFalse(Files.exists(deleted), "nothing is left of a call that was never answered");
        assertTrue(call.finish(new CallSummary(STARTED, 4800, "caller_bye", List.of())).isDone(),
                "a later finish is ignored");
        assertFalse(Files.exists(deleted));
    }

    @Test
    void theDeadAirThresholdIsTheSettingsOne() throws Exception {
        for (long threshold : new long[] {1_000, ConversationAnalyzer.DEFAULT_DEAD_AIR_MS}) {
            try (RecordingService s = new RecordingService(dir.resolve("t" + threshold),
                    new RecorderSettings(5, 4, threshold))) {
                // Caller 0-0.5 s, nobody 0.5-2 s, the assistant 2-2.5 s.
                CallRecording call = s.start(meta("dead-" + threshold));
                writeCaller(call, 0, RATE / 2);
                writeAssistant(call, 2 * RATE, RATE / 2);
                Path result = call.finish(new CallSummary(STARTED.plusSeconds(3), 5 * RATE / 2, "caller_bye",
                        List.of())).get(10, TimeUnit.SECONDS);
                JsonNode analytics = JSON.readTree(result.resolve("call.json").toFile()).get("analytics");
                assertEquals(threshold == 1_000 ? 1 : 0, analytics.get("dead_air_count").asInt(),
                        threshold + ": " + analytics);
                assertEquals(threshold == 1_000 ? 1_500 : 0, analytics.get("longest_dead_air_ms").asLong());
            }
        }
    }
}
