package gateway.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.library.CallJson;
import gateway.library.CallRecord;
import gateway.storage.ObjectStorage;
import gateway.storage.S3Server;
import gateway.testkit.Await;
import gateway.testkit.WavReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./gateway replay --call <id>} on a machine whose recordings directory does not hold the call, with the bucket
 * another gateway uploaded it to (S3Proxy): the call.json and audio.wav are read from the bucket, and the replay is
 * recorded in the local directory with the original's caller channel sample for sample.
 */
class ReplayFromBucketIT {

    private static final String BUCKET = "replays";
    private static final String ORIGINAL = "20261201T100000Z-0000b0c1";
    /** One second of caller audio, every sample unlike its neighbours, so an offset of one shows. */
    private static final int CALLER_SAMPLES = RecordedOriginal.RATE;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** The exit status and what went to standard output and error. */
    private record Run(int status, String out, String err) {
    }

    private static Run run(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ReplayCommand.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aCallOnlyTheBucketHoldsIsReadFromItAndReplayedIntoTheLocalDirectory() throws Exception {
        short[] caller = RecordedOriginal.caller(CALLER_SAMPLES);
        Path elsewhere = Files.createDirectories(dir.resolve("gateway-a"));
        Path original = RecordedOriginal.write(elsewhere, ORIGINAL, caller);
        Path local = Files.createDirectories(dir.resolve("gateway-b"));

        try (S3Server s3 = S3Server.start(dir.resolve("s3"), BUCKET)) {
            try (ObjectStorage upload = ObjectStorage.start(s3.settings(BUCKET), elsewhere, true, id -> { })) {
                upload.callFinished(ORIGINAL);
                Await.until(() -> Files.exists(original.resolve("storage.json")), WAIT,
                        () -> "the original uploaded from " + elsewhere);
            }
            List<String> args = new ArrayList<>(s3.flags(BUCKET));
            args.addAll(List.of("--call", ORIGINAL, "--recordings", local.toString()));
            Run run = run(args);
            assertEquals(ReplayCommand.OK, run.status(), run.err());
            List<String> lines = run.out().lines().toList();
            assertEquals(1, lines.size(), "one line, the new id: " + run.out());
            Path replay = local.resolve(lines.get(0));
            assertFalse(Files.exists(local.resolve(ORIGINAL)), "the original is read, not copied");

            CallRecord call = CallJson.read(Files.readAllBytes(replay.resolve("call.json")));
            assertEquals(ORIGINAL, call.meta().replay().callId());
            assertEquals("replay_end", call.endReason());
            assertEquals(RecordedOriginal.FROM, call.meta().from());
            short[] replayed = WavReader.read(replay.resolve("audio.wav")).channel(0);
            assertTrue(replayed.length >= CALLER_SAMPLES, replayed.length + " samples");
            assertArrayEquals(caller, Arrays.copyOf(replayed, CALLER_SAMPLES),
                    "the caller channel read from the bucket, sample for sample");

            List<String> missing = new ArrayList<>(s3.flags(BUCKET));
            missing.addAll(List.of("--call", "20261201T100000Z-0000dead", "--recordings", local.toString()));
            Run absent = run(missing);
            assertEquals(ReplayCommand.UNUSABLE, absent.status(), absent.err());
            assertTrue(absent.err().contains("call 20261201T100000Z-0000dead: no such call in " + local
                    + " or the bucket " + BUCKET), absent.err());
        }
    }
}
