package gateway.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.library.CallJson;
import gateway.library.CallLog;
import gateway.library.CallMetadata;
import gateway.library.CallRecord;
import gateway.library.HoldPeriod;
import gateway.library.MissingRange;
import gateway.library.RecorderStats;
import gateway.library.RecordingFormat;
import gateway.library.RecordingPause;
import gateway.library.RecordingStatus;
import gateway.library.Role;
import gateway.library.SessionPeriod;
import gateway.library.Turn;
import gateway.testkit.LogCapture;
import gateway.testkit.WavReader;
import gateway.testkit.WavWriter;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Directories as a killed gateway leaves them, recovered at the next start. */
class CrashRecoveryTest {

    private static final Instant STARTED = Instant.parse("2026-11-23T18:01:00.250Z");
    private static final Instant LAST_WRITE = Instant.parse("2026-11-23T18:01:02.125Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private RecordingService service;
    private final LogCapture logged = LogCapture.of(CrashRecovery.class);

    @AfterEach
    void close() {
        logged.close();
        if (service != null) {
            service.close();
        }
    }

    private static short sample(long p) {
        return (short) (p % 30_000 + 1);
    }

    /** A WAV whose header still says {@code headerFrames} while {@code frames} frames and a torn one follow it. */
    private static void crashedWav(Path file, int headerFrames, int frames) throws Exception {
        short[] left = new short[frames];
        short[] right = new short[frames];
        for (int p = 0; p < frames; p++) {
            left[p] = sample(p);
            right[p] = (short) -sample(p);
        }
        byte[] wav = WavWriter.bytes(24_000, left, right);
        byte[] staleHeader = WavWriter.bytes(24_000, new short[headerFrames], new short[headerFrames]);
        System.arraycopy(staleHeader, 0, wav, 0, 44);
        byte[] torn = Arrays.copyOf(wav, wav.length + 3);
        torn[wav.length] = 1;
        torn[wav.length + 1] = 2;
        torn[wav.length + 2] = 3;
        Files.write(file, torn);
    }

    private static void partial(Path callDir, String id, CallLog log, RecorderStats stats, RecordingStatus status)
            throws Exception {
        CallMetadata meta = new CallMetadata(id, id + "@pbx", "sip:+15551234@example.com", "sip:agent@example.com",
                STARTED, "PCMA");
        Files.write(callDir.resolve(RecordingFormat.PARTIAL_JSON_FILE),
                CallJson.write(new CallRecord(meta, null, null, 1666, log, stats, status)));
    }

    @Test
    void interruptedCallsGetTheirWavFittedAndCallJsonWithGatewayCrash() throws Exception {
        Path one = Files.createDirectories(dir.resolve("rec-1"));
        crashedWav(one.resolve("audio.wav"), 12_000, 36_000);
        CallLog log = new CallLog(
                List.of(new Turn(Role.CALLER, 100, 900, "Hello", "item_a", false),
                        new Turn(Role.ASSISTANT, 1000, 1400, "Hi there", "item_b", true)),
                List.of(new HoldPeriod(1200, 1300)),
                List.of(new SessionPeriod(0, "sess_1", 0, 1600, null)),
                List.of(new RecordingPause(400, 500, "api")), "PCMA");
        partial(one, "rec-1", log, new RecorderStats(12_000, 5, 0, 2_400, 5), RecordingStatus.of(null,
                List.of(new MissingRange(Role.CALLER, 24_000, 26_400, MissingRange.Cause.BUFFER_FULL))));
        Files.writeString(one.resolve("call.json.partial.tmp"), "{\"torn");
        Files.setLastModifiedTime(one.resolve("audio.wav"), FileTime.from(LAST_WRITE));
        Files.setLastModifiedTime(one.resolve("call.json.partial"), FileTime.from(LAST_WRITE.minusMillis(400)));

        Path two = Files.createDirectories(dir.resolve("rec-2"));
        partial(two, "rec-2", CallLog.EMPTY, new RecorderStats(0, 0, 0, 0, 0), RecordingStatus.COMPLETE);
        Path done = Files.createDirectories(dir.resolve("done"));
        Files.writeString(done.resolve("call.json"), "{\"id\":\"done\"}\n");
        Files.writeString(done.resolve("call.json.partial"), "{}");
        Path other = Files.createDirectories(dir.resolve("not-a-call"));
        Files.writeString(other.resolve("notes.txt"), "kept");

        service = new RecordingService(dir, new RecorderSettings(5, 4));
        assertEquals(List.of("rec-1", "rec-2"), service.recover());
        assertEquals(2, service.recoveredRecordings());

        WavReader.Wav wav = WavReader.read(one.resolve("audio.wav"));
        assertEquals(36_000, wav.frames(), "the header now describes every whole frame on disk");
        assertEquals(44 + 36_000 * 4, Files.size(one.resolve("audio.wav")), "the torn frame is cut");
        assertEquals(sample(35_999), wav.left(35_999));
        assertEquals(-sample(35_999), wav.right(35_999));

        JsonNode json = JSON.readTree(one.resolve("call.json").toFile());
        assertEquals("rec-1", json.get("id").asText());
        assertEquals("rec-1@pbx", json.get("sip_call_id").asText());
        assertEquals("sip:+15551234@example.com", json.get("from").asText());
        assertEquals("2026-11-23T18:01:00.250Z", json.get("started_at").asText());
        assertEquals("2026-11-23T18:01:02.125Z", json.get("ended_at").asText(), "audio.wav's last-modified time");
        assertEquals("gateway_crash", json.get("end_reason").asText());
        assertEquals(1500, json.get("duration_ms").asLong(), "the frames on disk");
        assertEquals("PCMA", json.get("codec").asText());
        assertEquals("[{\"role\":\"caller\",\"start_ms\":100,\"end_ms\":900,\"text\":\"Hello\",\"item_id\":\"item_a\","
                + "\"interrupted\":false},{\"role\":\"assistant\",\"start_ms\":1000,\"end_ms\":1400,\"text\":"
                + "\"Hi there\",\"item_id\":\"item_b\",\"interrupted\":true}]", json.get("turns").toString());
        assertEquals("[{\"start_ms\":1200,\"end_ms\":1300}]", json.get("holds").toString());
        assertEquals("[{\"index\":0,\"session_id\":\"sess_1\",\"start_ms\":0,\"end_ms\":1600,\"end_reason\":null}]",
                json.get("realtime_sessions").toString());
        assertEquals(36_000, json.at("/audio/samples").asLong());
        assertEquals("{\"complete\":false,\"failure\":null,\"missing\":["
                + "{\"channel\":\"caller\",\"start_ms\":1000,\"end_ms\":1100,\"start_sample\":24000,"
                + "\"end_sample\":26400,\"cause\":\"buffer_full\"},"
                + "{\"channel\":\"caller\",\"start_ms\":1500,\"end_ms\":null,\"start_sample\":36000,"
                + "\"end_sample\":null,\"cause\":\"gateway_crash\"},"
                + "{\"channel\":\"assistant\",\"start_ms\":1500,\"end_ms\":null,\"start_sample\":36000,"
                + "\"end_sample\":null,\"cause\":\"gateway_crash\"}]}", json.get("recording").toString());
        assertEquals("{\"late_samples\":5,\"rejected_samples\":0,\"dropped_chunks\":5,\"lost_samples\":2400}",
                json.get("recorder").toString());
        assertTrue(Files.readString(one.resolve("captions.vtt")).contains("<v Assistant>Hi there"));
        assertTrue(Files.readString(one.resolve("captions.srt")).contains("Caller: Hello"));
        assertFalse(Files.exists(one.resolve("call.json.partial")));
        assertFalse(Files.exists(one.resolve("call.json.partial.tmp")));

        WavReader.Wav empty = WavReader.read(two.resolve("audio.wav"));
        assertEquals(0, empty.frames(), "a call that crashed before any audio gets an empty, valid WAV");
        JsonNode twoJson = JSON.readTree(two.resolve("call.json").toFile());
        assertEquals("gateway_crash", twoJson.get("end_reason").asText());
        assertEquals(0, twoJson.get("duration_ms").asLong());

        assertEquals("{\"id\":\"done\"}\n", Files.readString(done.resolve("call.json")), "finished calls are left");
        assertFalse(Files.exists(done.resolve("call.json.partial")));
        assertEquals("kept", Files.readString(other.resolve("notes.txt")));
        List<String> lines = logged.messages(Level.INFO);
        assertEquals(2, lines.stream().filter(l -> l.startsWith("recovered call ")).count(), lines.toString());
        assertTrue(lines.get(0).contains("rec-1") && lines.get(0).contains("1500 ms")
                && lines.get(0).contains("2 turns"), lines.get(0));

        assertEquals(List.of(), service.recover(), "a second run finds nothing left to do");
        service.start(new CallMetadata("new", null, null, null, STARTED, null));
        assertThrows(IllegalStateException.class, service::recover);
    }
}
