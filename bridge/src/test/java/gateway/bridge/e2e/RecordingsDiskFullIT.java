package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import gateway.testkit.Await;
import gateway.testkit.Signals;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recordings disk fills up in the middle of a call (a small tmpfs as recordings.dir, filled by the test): the
 * call goes on to its end, new calls get 503 while the disk is full, and call.json, written once there is room
 * again, says the recording is incomplete and which audio is missing, never silently.
 */
@Tag("e2e")
class RecordingsDiskFullIT {

    /** The second half of the fault tests' range (41 400-41 599). */
    private static final int RTP_MIN = 41_500;
    private static final int TMPFS_MB = 48;
    private static final int MIN_FREE_MB = 16;
    private static final int FILL_CHUNK = 1 << 20;
    private static final int LAST_CHUNK = 4096;
    /** The readiness thread looks at the disk every 5 s. */
    private static final Duration NOTICED_WITHIN = Duration.ofSeconds(15);
    private static final Duration STEP_WITHIN = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path mountPoint;

    @Test
    void aDiskFilledMidCallKeepsTheCallRefusesNewOnesAndSaysTheRecordingIsIncomplete() throws Exception {
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=" + TMPFS_MB + "m", "tmpfs",
                mountPoint.toString()), "mounting a tmpfs needs root (CI runs as root); skipped here");
        try {
            fillMidCall();
        } finally {
            if (!run("umount", mountPoint.toString())) {
                run("umount", "-l", mountPoint.toString());
            }
        }
    }

    private void fillMidCall() throws Exception {
        try (GatewayUnderIT gw = GatewayUnderIT.start(GatewayUnderIT.wholeReplies(), RTP_MIN, mountPoint,
                List.of("--recordings.min-free-mb=" + MIN_FREE_MB))) {
            assertEquals("200 ok", ready(gw), "a disk with room takes calls");
            Sipp.Running running = Sipp.scenario("uac_speech_cue.xml").start(gw.sipPort(), "disk-full");
            gw.awaitReplyPlaying(1, 200, STEP_WITHIN);
            LiveRecording live = LiveRecording.of(mountPoint, STEP_WITHIN);
            Await.until(() -> live.framesOnDisk() > 0, STEP_WITHIN, () -> "audio on disk before the fill");
            Path filler = mountPoint.resolve("filler");
            fill(filler);

            Await.until(() -> ready(gw), r -> r.startsWith("503 the recordings disk is full"), NOTICED_WITHIN,
                    r -> "/health/ready: " + r);
            Sipp.Result refused = Sipp.scenario("uac_expect_503.xml").run(gw.sipPort(), "disk-full-refused");
            assertEquals(Sipp.SUCCESS, refused.exitCode(), refused.describe());
            assertEquals("30", refused.response(503, "INVITE").header("Retry-After").orElseThrow());
            assertEquals(1.0, gw.metric("gateway_calls_refused_total{reason=\"disk_full\"}"));
            Await.until(() -> gw.metricNow("gateway_recorder_write_failures_total") >= 1, STEP_WITHIN,
                    () -> "the recorder's write failed");
            long framesAtFull = live.framesOnDisk();

            running.cue("the disk is full");
            Sipp.Result sipp = running.await();
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), "the call went on to the caller's BYE: " + sipp.describe());

            // call.json cannot be written on a full disk; it is retried, and written once there is room.
            Files.delete(filler);
            RecordedCall call = RecordedCall.awaitOnly(mountPoint, STEP_WITHIN);
            CallJson json = call.json();
            assertEquals("caller_bye", json.text("end_reason"), json.toString());
            JsonNode recording = json.root().path("recording");
            assertEquals(false, recording.path("complete").asBoolean(true), "never silently incomplete: " + recording);
            assertTrue(!recording.path("failure").isNull() && !recording.path("failure").asText().isEmpty(),
                    "the failure is named: " + recording);
            JsonNode missing = recording.path("missing");
            assertTrue(missing.size() > 0, "the missing audio is listed: " + recording);
            for (JsonNode range : missing) {
                assertEquals("write_failed", range.path("cause").asText(), range.toString());
                assertTrue(range.path("end_ms").asLong() > range.path("start_ms").asLong(), range.toString());
            }
            assertTrue(call.caller().length >= framesAtFull, "what was written stays: " + call.caller().length
                    + " frames, " + framesAtFull + " on disk when it filled");
            List<Signals.Segment> speech = Signals.activity(call.caller(), RecordedCall.SAMPLE_RATE, 20,
                    CallIsAnsweredAndRecordedIT.SPEECH_RMS, 0);
            assertTrue(!speech.isEmpty(), "the caller's speech before the fill is in audio.wav");

            Await.until(() -> ready(gw), r -> r.equals("200 ok"), NOTICED_WITHIN, r -> "/health/ready: " + r);
        }
    }

    /** Writes {@code file} until the disk refuses more: megabytes, then pages. */
    private static void fill(Path file) throws IOException {
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int chunk : new int[] {FILL_CHUNK, LAST_CHUNK}) {
                ByteBuffer bytes = ByteBuffer.allocate(chunk);
                try {
                    while (true) {
                        bytes.clear();
                        out.write(bytes);
                    }
                } catch (IOException full) {
                    // no space left: go on with smaller chunks, then stop
                }
            }
        }
    }

    /** {@code /health/ready} as "status body". */
    private static String ready(GatewayUnderIT gw) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.httpPort()
                    + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body().strip();
        } catch (IOException e) {
            return "unreachable: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
        }
        if (p.exitValue() != 0) {
            System.err.println(String.join(" ", command) + ": " + output);
        }
        return p.exitValue() == 0;
    }
}
