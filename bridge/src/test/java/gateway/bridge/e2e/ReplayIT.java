package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import gateway.testkit.Await;
import gateway.testkit.Signals;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SIPp call recorded through a gateway with the demo agent, then {@code ./gateway replay --call <id>} run as a
 * process of its own on that recording (embedded demo agent, no key): it prints the new call's id and exits 0, and the
 * new recording names its original, holds the original's caller channel sample for sample, and the demo agent's echo
 * on the assistant channel where the original had it, within the turn detector's and a tick's play. The gateway keeps
 * running meanwhile and its QA API lists the replay ({@code replay_of}) without a restart.
 */
@Tag("e2e")
class ReplayIT {

    private static final Duration STEP_WITHIN = Duration.ofSeconds(30);
    /** The replay runs the call in real time (some 10 s); a loaded box takes longer. */
    private static final long REPLAY_WITHIN_SECONDS = 120;
    /**
     * How far the reply may move between the original and the replay: the original's caller audio reached the model
     * through the network and the jitter buffer, the replay's on the 20 ms grid, and the demo agent's turn detector
     * and its sending thread add their own jitter, which grows on a loaded box (250 ms was once exceeded at load 6).
     */
    private static final long REPLY_MOVES_MS = 1000;
    /** After the caller's end a replay runs on until the agent has been quiet for 2 s, 15 s at most. */
    private static final int TAIL_MAX_SAMPLES = 15 * RecordedCall.SAMPLE_RATE + 2 * 480;
    private static final int RATE = RecordedCall.SAMPLE_RATE;
    /**
     * Skipped ticks allowed in the replay's echo: the replay is a process of its own whose metrics the test cannot
     * read, so the bound is a second of stalls rather than the count it reports.
     */
    private static final long REPLAY_SKIPPED_TICKS_AT_MOST = 50;

    @TempDir
    Path recordings;
    @TempDir
    Path work;

    /** The exit status and standard output of {@code Main replay args}, its standard error in {@code err}. */
    private record Run(int exit, String out, String err) {
    }

    private Run replay(String... args) throws IOException, InterruptedException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp", classpath,
                "gateway.bridge.Main", "replay"));
        command.addAll(List.of(args));
        Path out = work.resolve("out.txt");
        Path err = work.resolve("err.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(n -> n.equals("OPENAI_API_KEY") || n.startsWith("GATEWAY_"));
        Process process = builder.start();
        if (!process.waitFor(REPLAY_WITHIN_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("replay did not exit: " + Files.readString(err, StandardCharsets.UTF_8));
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void aRecordedSippCallReplayedAgainstTheDemoAgentIsRecordedAsANewCallThatNamesIt() throws Exception {
        try (GatewayUnderIT gw = GatewayUnderIT.start(42_400, recordings)) {
            Sipp.Running running = Sipp.scenario("uac_speech_cue.xml").start(gw.sipPort(), "replay-original");
            LiveRecording.of(recordings, STEP_WITHIN).awaitEchoPlayed(0, STEP_WITHIN);
            running.cue("the reply played to its end");
            Sipp.Result sipp = running.await();
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
            RecordedCall original = RecordedCall.awaitOnly(recordings, STEP_WITHIN);
            String originalId = original.json().text("id");
            byte[] originalJson = Files.readAllBytes(original.dir().resolve("call.json"));
            byte[] originalWav = Files.readAllBytes(original.dir().resolve("audio.wav"));
            // The replay runs as a process of its own while the gateway keeps running on the same directory.
            Run run = replay("--call", originalId, "--recordings", recordings.toString());
            assertEquals(0, run.exit(), run.err());
            List<String> lines = run.out().lines().toList();
            assertEquals(1, lines.size(), "one line, the new id: " + run.out());
            String id = lines.get(0);
            JsonNode listed = Await.until(() -> gw.listedCalls("replay_of=" + originalId), calls -> calls.size() == 1,
                    STEP_WITHIN, calls -> "the running gateway lists the replay: " + calls);
            assertEquals(id, listed.get(0).path("id").asText(), listed.toString());
            assertEquals(originalId, listed.get(0).path("replay_of").asText(), listed.toString());
            assertEquals("replay_end", listed.get(0).path("end_reason").asText(), listed.toString());
            assertEquals(2, gw.listedCalls("limit=10").size(), "the original and the replay");
            checkReplay(original, RecordedCall.load(recordings.resolve(id)), originalJson, originalWav);
        }

        Run missing = replay("--call", "20261201T000000Z-00000000", "--recordings", recordings.toString());
        assertEquals(2, missing.exit(), missing.err());
        assertTrue(missing.err().contains("call 20261201T000000Z-00000000: no such call"), missing.err());
    }

    /** The replay names its original, which it left untouched, and holds its caller channel and the agent's echo. */
    private void checkReplay(RecordedCall original, RecordedCall replay, byte[] originalJson, byte[] originalWav)
            throws IOException {
        String originalId = original.json().text("id");
        assertEquals(originalId, replay.json().text("replay_of"), replay.json().toString());
        assertEquals("profile default", replay.json().text("replay_agent"));
        assertEquals("replay_end", replay.json().text("end_reason"));
        assertEquals(original.json().text("from"), replay.json().text("from"));
        assertArrayEquals(originalJson, Files.readAllBytes(original.dir().resolve("call.json")), "original untouched");
        assertArrayEquals(originalWav, Files.readAllBytes(original.dir().resolve("audio.wav")), "original untouched");

        // The caller channel is the original's, sample for sample, then silence: the rest of its last frame and the
        // tail while the agent finishes (at least 2 s of quiet, 15 s at most).
        short[] callerBefore = original.caller();
        short[] callerAfter = replay.caller();
        int tail = callerAfter.length - callerBefore.length;
        assertTrue(tail >= 2 * RATE - 480 && tail <= TAIL_MAX_SAMPLES,
                callerBefore.length + " samples replayed as " + callerAfter.length);
        assertArrayEquals(callerBefore, Arrays.copyOf(callerAfter, callerBefore.length), "the caller channel");
        assertArrayEquals(new short[callerAfter.length - callerBefore.length],
                Arrays.copyOfRange(callerAfter, callerBefore.length, callerAfter.length), "then silence");

        // The demo agent echoed the replayed words, at about the original reply's time: on the replay's right channel
        // its left channel's utterance, sample for sample (Echoes), whole silent frames only where a stalled loop
        // skipped ticks. The original's own reply is not compared: a tick skipped there would move its rest.
        CallJson.Turn replied = original.json().turns("assistant").get(0);
        CallJson.Turn again = replay.json().turns("assistant").get(0);
        Signals.Segment utterance = Signals.activity(callerAfter, RATE, 20, CallIsAnsweredAndRecordedIT.SPEECH_RMS,
                CallIsAnsweredAndRecordedIT.WORD_GAP_MS).get(0);
        Echoes.Echo echo = Echoes.assertPlayedWhole(replay, utterance, again, REPLAY_SKIPPED_TICKS_AT_MOST);
        assertEquals(replied.startMs(), again.startMs(), REPLY_MOVES_MS, "the reply's turn: " + again + " vs "
                + replied);
        assertEquals(replied.startMs(), echo.fromMs(), REPLY_MOVES_MS, "the echo's place: " + echo);
        assertTrue(replay.vtt().contains("-->"), replay.vtt());
        assertEquals(2, Recordings.callDirs(recordings).size(), "the original and the replay");
    }
}
