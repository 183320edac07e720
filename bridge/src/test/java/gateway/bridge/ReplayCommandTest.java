package gateway.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.library.CallJson;
import gateway.library.CallRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./gateway replay}'s command line: what it takes, and the calls, profiles, filters and settings it refuses
 * with exit status 2 and a message naming them, before anything is replayed or opened.
 */
class ReplayCommandTest {

    /** A call's recorded start and end come from one clock, read a moment apart from the slot's release. */
    private static final long CLOCK_SLACK_MS = 100;

    @TempDir
    Path dir;

    /** The exit status and what went to standard output and error. */
    private record Run(int status, String out, String err) {
    }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> argv = new ArrayList<>(List.of(args));
        int status = ReplayCommand.run(argv, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theOptionsAreReadInEitherFormAndTheRestAreTheGatewaysFlags() throws Exception {
        ReplayCommand.Options options = ReplayCommand.parse(List.of("--calls", "a1, b2,", "--call=c3", "--profile",
                "sales", "--config=agent.yaml", "--recordings", "/tmp/rec", "--agent.voice=cedar"));
        assertEquals(List.of("a1", "b2", "c3"), options.calls());
        assertEquals("sales", options.profile());
        assertEquals(List.of("--config=agent.yaml", "--recordings.dir=/tmp/rec", "--agent.voice=cedar"),
                options.configArgs());
        assertEquals("config agent.yaml, profile sales", ReplayCommand.label(options, "sales"));
        assertEquals("profile default", ReplayCommand.label(ReplayCommand.parse(List.of("--call", "a1")), "default"));
        assertEquals("name the calls to replay",
                assertThrows(ReplayCommand.UsageException.class, () -> ReplayCommand.parse(List.of())).getMessage());
        assertEquals("--filter or --call(s), not both", assertThrows(ReplayCommand.UsageException.class,
                () -> ReplayCommand.parse(List.of("--call", "a1", "--filter", "q=x"))).getMessage());
        assertEquals("--profile needs a value", assertThrows(ReplayCommand.UsageException.class,
                () -> ReplayCommand.parse(List.of("--call", "a1", "--profile"))).getMessage());
    }

    @Test
    void aBatchRunsUpToParallelReplaysAtOnceAndPrintsTheirIdsInTheOrderAsked() throws Exception {
        List<String> originals = List.of("20261201T100000Z-0000aaa1", "20261201T100000Z-0000aaa2",
                "20261201T100000Z-0000aaa3");
        // The first call is the longest, so the others finish first and their ids wait for its.
        int[] seconds = {2, 1, 1};
        for (int i = 0; i < originals.size(); i++) {
            RecordedOriginal.write(dir, originals.get(i), RecordedOriginal.caller(seconds[i] * RecordedOriginal.RATE));
        }
        Run run = run("--calls", String.join(",", originals), "--parallel", "2", "--recordings", dir.toString());
        assertEquals(ReplayCommand.OK, run.status(), run.err());
        List<String> ids = run.out().lines().toList();
        assertEquals(3, ids.size(), run.out());
        List<CallRecord> replays = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            CallRecord replay = CallJson.read(Files.readAllBytes(dir.resolve(ids.get(i)).resolve("call.json")));
            assertEquals(originals.get(i), replay.meta().replay().callId(), "line " + i + " is call " + i + "'s");
            replays.add(replay);
        }
        assertTrue(replays.get(1).meta().startedAt().isBefore(replays.get(0).endedAt()),
                "the first two ran at once: " + replays.get(0).endedAt() + ", " + replays.get(1).meta().startedAt());
        Instant firstFreeSlot = replays.get(0).endedAt().isBefore(replays.get(1).endedAt())
                ? replays.get(0).endedAt() : replays.get(1).endedAt();
        assertFalse(replays.get(2).meta().startedAt().isBefore(firstFreeSlot.minusMillis(CLOCK_SLACK_MS)),
                "the third waited for a free slot: " + replays.get(2).meta().startedAt() + " vs " + firstFreeSlot);
    }

    @Test
    void aParallelOutsideItsBoundsIsRefused() {
        for (String bad : List.of("0", "17", "many")) {
            Run run = run("--call", "20261201T100000Z-0000aaaa", "--parallel", bad, "--recordings", dir.toString());
            assertEquals(ReplayCommand.UNUSABLE, run.status(), run.err());
            assertTrue(run.err().contains("--parallel: " + bad + " is not a number from 1 to 16"), run.err());
        }
    }

    @Test
    void aMissingCallExitsTwoNamingIt() {
        Run run = run("--call", "20261201T100000Z-0000aaaa", "--recordings", dir.toString());
        assertEquals(ReplayCommand.UNUSABLE, run.status(), run.err());
        assertTrue(run.err().contains("call 20261201T100000Z-0000aaaa: no such call in " + dir), run.err());
        assertEquals("", run.out());
    }

    @Test
    void anUnknownProfileExitsTwoNamingItAndTheProfilesThereAre() throws Exception {
        Path config = Files.writeString(dir.resolve("agent.yaml"), "profiles:\n  sales:\n    voice: cedar\n");
        Run run = run("--call", "20261201T100000Z-0000aaaa", "--config", config.toString(), "--profile", "support",
                "--recordings", dir.toString());
        assertEquals(ReplayCommand.UNUSABLE, run.status(), run.err());
        assertTrue(run.err().contains("no profile support: the configuration has [default, sales]"), run.err());
    }

    @Test
    void aBadSettingOrFilterExitsTwoNamingIt() {
        Run setting = run("--call", "20261201T100000Z-0000aaaa", "--agent.turn-detection=loud");
        assertEquals(ReplayCommand.UNUSABLE, setting.status());
        assertTrue(setting.err().contains("agent.turn-detection"), setting.err());
        Run filter = run("--filter", "min_duration_ms=soon", "--recordings", dir.toString());
        assertEquals(ReplayCommand.UNUSABLE, filter.status());
        assertTrue(filter.err().contains("--filter: ") && filter.err().contains("min_duration_ms"), filter.err());
        Run none = run("--filter", "end_reason=caller_bye", "--recordings", dir.toString());
        assertEquals(ReplayCommand.UNUSABLE, none.status());
        assertTrue(none.err().contains("no call in " + dir + " matches end_reason=caller_bye"), none.err());
    }
}
