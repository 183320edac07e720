package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.demoagent.DemoScript;
import gateway.storage.S3Server;
import gateway.testkit.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Object storage (S3Proxy) down while calls come and go: every call is answered and recorded locally as usual, the
 * uploads are retried with back-off meanwhile, and once storage is back every pending call lands in the bucket byte
 * for byte. (The hour-long outage is ObjectStorageIT's, on the manual clock.)
 */
@Tag("e2e")
class BucketOutageIT {

    /** The second half of the fault tests' range (41 400-41 599); the classes run one at a time. */
    private static final int RTP_MIN = 41_500;
    private static final String BUCKET = "calls";
    private static final String PREFIX = "outage/";
    private static final int CALLS = 3;
    private static final long HOLD_MS = 1_000;
    private static final int RETRY_MIN_MS = 100;
    private static final int RETRY_MAX_MS = 400;
    private static final List<String> FILES = List.of("audio.wav", "captions.vtt", "captions.srt", "call.json");
    private static final Duration UPLOAD_TIMEOUT = Duration.ofSeconds(20);
    /** The storage client's read timeout (S3ObjectStore.SOCKET_TIMEOUT, 60 s) and then some. */
    private static final Duration FIRST_FAILURES = Duration.ofSeconds(90);

    @TempDir
    Path recordings;
    @TempDir
    Path s3Dir;

    @Test
    void callsDuringAnOutageAreAnsweredAndRecordedAndAllUploadWhenStorageIsBack() throws Exception {
        try (S3Server s3 = S3Server.start(s3Dir, BUCKET)) {
            List<String> flags = new ArrayList<>(s3.flags(BUCKET));
            flags.addAll(List.of("--storage.s3.prefix=" + PREFIX, "--storage.retry-min-ms=" + RETRY_MIN_MS,
                    "--storage.retry-max-ms=" + RETRY_MAX_MS));
            try (GatewayUnderIT gw = GatewayUnderIT.start(DemoScript.defaults(), RTP_MIN, recordings, flags)) {
                s3.stop();
                long downAt = System.nanoTime();
                for (int i = 1; i <= CALLS; i++) {
                    Sipp.Result sipp = Sipp.scenario("uac_speech.xml").pauseMs(HOLD_MS)
                            .run(gw.sipPort(), "bucket-outage-" + i);
                    assertEquals(Sipp.SUCCESS, sipp.exitCode(), "call " + i + " answered: " + sipp.describe());
                    Recordings.awaitFinished(recordings, i, UPLOAD_TIMEOUT);
                }
                Await.until(() -> gw.metricNow("gateway_storage_pending_uploads") == CALLS, UPLOAD_TIMEOUT,
                        () -> "every call pending");
                // Uploads share the storage thread with the index's bucket listing, and a listing in flight when the
                // server stopped waits out the client's read timeout before the first upload is tried.
                Await.until(() -> gw.metricNow("gateway_storage_upload_failures_total") >= CALLS, FIRST_FAILURES,
                        () -> "a failed attempt for every call");
                double failures = gw.metric("gateway_storage_upload_failures_total");
                long downMs = (System.nanoTime() - downAt) / 1_000_000;
                // Every attempt waits at least half the minimum back-off (and soon half the maximum) after the last.
                assertTrue(failures >= CALLS && failures <= 1 + downMs / (RETRY_MIN_MS / 2),
                        failures + " failed attempts in " + downMs + " ms of outage");
                for (Path dir : Recordings.callDirs(recordings)) {
                    assertFalse(Files.exists(dir.resolve("storage.json")), "not uploaded during the outage: " + dir);
                    assertEquals("caller_bye", CallJson.read(dir.resolve("call.json")).text("end_reason"));
                }

                s3.start();
                List<Path> dirs = Recordings.callDirs(recordings);
                assertEquals(CALLS, dirs.size(), dirs.toString());
                for (Path dir : dirs) {
                    Await.until(() -> Files.exists(dir.resolve("storage.json")), UPLOAD_TIMEOUT,
                            () -> "no storage.json in " + dir);
                }
                // storage.json is the upload's last file; the counters change after it, when the upload returns.
                Await.until(() -> gw.metricNow("gateway_storage_pending_uploads") == 0
                        && gw.metricNow("gateway_storage_uploaded_calls_total") >= CALLS, UPLOAD_TIMEOUT,
                        () -> "no call left pending, every call counted as uploaded");
                assertEquals(0.0, gw.metric("gateway_storage_pending_uploads"));
                assertEquals(CALLS, gw.metric("gateway_storage_uploaded_calls_total"));
                for (Path dir : dirs) {
                    String id = dir.getFileName().toString();
                    for (String file : FILES) {
                        assertArrayEquals(Files.readAllBytes(dir.resolve(file)),
                                Files.readAllBytes(s3.objectFile(BUCKET, PREFIX + id + "/" + file)), id + "/" + file);
                    }
                }
            }
        }
    }
}
