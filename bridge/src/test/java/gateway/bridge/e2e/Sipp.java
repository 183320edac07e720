package gateway.bridge.e2e;

import gateway.rtp.G711;
import gateway.testkit.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs one call of a SIPp scenario from {@code src/test/resources/sipp} against a SIP server on 127.0.0.1 and returns
 * its exit code and the SIP messages it logged.
 *
 * <p>The test owns the caller's timing: a scenario never waits a fixed time for the gateway to do something. Where
 * the caller's next step (its next utterance, a hold, the BYE) must follow something the gateway does, the scenario
 * waits for the test's cue ({@code <recv request="INFO">}, see {@link Running#cue}) and the test sends it once it has
 * seen that happen. So a slow machine makes a call longer, never different.
 *
 * <p>Each run works in {@code target/sipp-logs/<name>/}: the scenario and the speech files are copied there (SIPp's
 * rtp_stream opens files relative to its working directory), and SIPp's message log, error log and screen output
 * are kept there for a failing build. Threading: {@link #run} blocks the calling test thread until SIPp exits or
 * the timeout kills it; a {@link Running} call is driven by one test thread.
 */
final class Sipp {

    static final Path LOG_ROOT = Path.of("target", "sipp-logs");
    /**
     * A single call of any scenario here is well under this, also on a loaded machine; a hung SIPp is killed after
     * it. Only a safety net: the tests' own deadlines for what they wait on are shorter and say what did not come.
     */
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
    /** Extra time for SIPp to exit by itself (global -timeout) before the process is killed. */
    private static final long KILL_GRACE_SECONDS = 5;
    private static final List<String> AUDIO_FILES = List.of("speech.ulaw", "speech.alaw", "speech_short.ulaw",
            "speech_short.alaw");
    /**
     * A scenario may play {@code <fixture>_then_silence.<codec>}: the fixture followed by silence for as long as any
     * call here lasts, made for the run. Its caller keeps sending RTP after it spoke, as a phone does, and so keeps
     * the recording going: the recorder commits audio only as far as newer audio has come (LiveRecording).
     */
    private static final String THEN_SILENCE = "_then_silence";
    /** A scenario may play {@code silence.ulaw} or {@code silence.alaw}, made for the run: a silent caller. */
    private static final List<String> SILENCE_FILES = List.of("silence.ulaw", "silence.alaw");
    /**
     * A scenario may play {@code tone_1k.ulaw}, made for the run: a steady {@value #TONE_HZ} Hz sine at {@value
     * #TONE_DBFS} dBFS, below the demo agent's speech threshold (-40 dBFS), so the caller is heard but never takes a
     * turn.
     */
    static final String TONE_FILE = "tone_1k.ulaw";
    static final int TONE_HZ = 1_000;
    static final int TONE_DBFS = -45;
    /** G.711's codes for zero (ITU-T G.711 Tables 1a and 2a): A-law 0xD5, mu-law 0xFF. */
    private static final byte ALAW_SILENCE = (byte) 0xD5;
    private static final byte ULAW_SILENCE = (byte) 0xFF;
    private static final int G711_BYTES_PER_SECOND = 8_000;
    private static final String SEPARATOR = "-----------------------------------------------";
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    /** SIPp's exit code when the call succeeded. */
    static final int SUCCESS = 0;
    /** Reported when SIPp had to be killed. */
    static final int KILLED = -999;

    private final String scenario;
    private final List<String> extraArgs = new ArrayList<>();
    private Duration timeout = DEFAULT_TIMEOUT;
    private Long pauseMs;
    private String localAddress = "127.0.0.1";
    private Integer localPort;

    private Sipp(String scenario) {
        this.scenario = scenario;
    }

    /** A run of {@code sipp/<scenarioFile>} from the test resources. */
    static Sipp scenario(String scenarioFile) {
        return new Sipp(scenarioFile);
    }

    /**
     * The duration of the scenario's {@code <pause/>} (SIPp -d), for the two the load harness shares
     * (uac_speech.xml, uac_speech_loop.xml): a call of a fixed length, where nothing the test checks depends on it.
     */
    Sipp pauseMs(long ms) {
        this.pauseMs = ms;
        return this;
    }

    Sipp timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /**
     * SIPp's own address (SIP and media) instead of 127.0.0.1, e.g. 127.0.0.2: a caller from another source. Cues
     * ({@link Running#cue}) reach a SIPp on 127.0.0.1 only.
     */
    Sipp from(String address) {
        this.localAddress = address;
        return this;
    }

    /** SIPp's SIP port instead of a free one it picks: a registrar the gateway is told of before SIPp starts. */
    Sipp port(int port) {
        this.localPort = port;
        return this;
    }

    /** Further SIPp options, e.g. {@code -key name value}. */
    Sipp args(String... args) {
        extraArgs.addAll(List.of(args));
        return this;
    }

    /** Places the call to 127.0.0.1:{@code sipPort}, logging under {@code target/sipp-logs/<logName>}. */
    Result run(int sipPort, String logName) throws IOException, InterruptedException {
        return start(sipPort, logName).await();
    }

    /** Starts the call without waiting for it, for a test that acts while the call is up. */
    Running start(int sipPort, String logName) throws IOException {
        Path dir = LOG_ROOT.resolve(logName).toAbsolutePath();
        Files.createDirectories(dir);
        Path scenarioFile = dir.resolve(scenario);
        Files.copy(resource("sipp/" + scenario), scenarioFile, StandardCopyOption.REPLACE_EXISTING);
        String scenarioText = Files.readString(scenarioFile, StandardCharsets.ISO_8859_1);
        for (String audio : AUDIO_FILES) {
            Files.copy(resource("audio/" + audio), dir.resolve(audio), StandardCopyOption.REPLACE_EXISTING);
            String padded = audio.replace(".", THEN_SILENCE + ".");
            if (scenarioText.contains(padded)) {
                writeThenSilence(Files.readAllBytes(dir.resolve(audio)), audio.endsWith(".alaw"), dir.resolve(padded));
            }
        }
        for (String silence : SILENCE_FILES) {
            if (scenarioText.contains(silence)) {
                writeThenSilence(new byte[0], silence.endsWith(".alaw"), dir.resolve(silence));
            }
        }
        if (scenarioText.contains(TONE_FILE)) {
            writeTone(dir.resolve(TONE_FILE));
        }
        Path messageLog = dir.resolve("messages.log");
        Path errorLog = dir.resolve("errors.log");
        Files.deleteIfExists(messageLog);
        Files.deleteIfExists(errorLog);
        int sippPort = localPort != null ? localPort : freeUdpPort();
        // -m 1: the one call is number 1, so its Call-ID is the prefix and "1".
        String callIdPrefix = "e2e-" + logName + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt())
                + "-";
        Cues cues = Cues.open(sippPort, callIdPrefix + "1");
        List<String> command = new ArrayList<>(List.of("sipp", "127.0.0.1:" + sipPort,
                "-sf", scenarioFile.toString(),
                "-i", localAddress, "-p", String.valueOf(sippPort),
                "-mi", localAddress, "-mp", String.valueOf(freeMediaPort()),
                "-m", "1", "-nostdin",
                "-timeout", String.valueOf(timeout.toSeconds()),
                "-cid_str", callIdPrefix + "%u",
                "-key", "cue_port", String.valueOf(cues.port()),
                "-trace_msg", "-message_file", messageLog.toString(),
                "-trace_err", "-error_file", errorLog.toString()));
        if (pauseMs != null) {
            command.addAll(List.of("-d", String.valueOf(pauseMs)));
        }
        command.addAll(extraArgs);
        try {
            Files.writeString(dir.resolve("command.txt"), String.join(" ", command) + "\n");
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("screen.log").toFile())
                    .start();
            return new Running(process, dir, messageLog, errorLog, timeout, cues);
        } catch (IOException | RuntimeException e) {
            cues.close();
            throw e;
        }
    }

    /** A SIPp run in progress; its scenario may wait for the test's cues ({@link Cues}). */
    static final class Running {

        private final Process process;
        private final Path dir;
        private final Path messageLog;
        private final Path errorLog;
        private final Duration timeout;
        private final Cues cues;

        private Running(Process process, Path dir, Path messageLog, Path errorLog, Duration timeout, Cues cues) {
            this.process = process;
            this.dir = dir;
            this.messageLog = messageLog;
            this.errorLog = errorLog;
            this.timeout = timeout;
            this.cues = cues;
        }

        /**
         * Moves the scenario past the {@code <recv request="INFO">} it waits at; {@code after} says what the test
         * saw. Cue only where SIPp surely waits: see {@link Cues#give}.
         */
        void cue(String after) throws IOException {
            cues.give(after, dir);
        }

        /**
         * Waits until SIPp's message log, which it writes as it goes, holds a message that {@code wanted} accepts;
         * returns the first such. A cue right after a send SIPp has logged reaches the recv that follows the send.
         */
        SipMessage awaitLogged(Predicate<SipMessage> wanted, Duration timeout, String what)
                throws InterruptedException {
            return Await.until(this::loggedSoFar, m -> m.stream().anyMatch(wanted), timeout,
                    m -> what + " in SIPp's log " + messageLog + " (" + m.size() + " messages)")
                    .stream().filter(wanted).findFirst().orElseThrow();
        }

        private List<SipMessage> loggedSoFar() {
            try {
                return Files.exists(messageLog)
                        ? parseLog(Files.readString(messageLog, StandardCharsets.ISO_8859_1)) : List.of();
            } catch (IOException | RuntimeException partlyWritten) {
                return List.of();                       // read again at the next poll
            }
        }

        /** Waits for SIPp to exit (killing it after its timeout) and reads its logs. */
        Result await() throws IOException, InterruptedException {
            int exit;
            if (process.waitFor(timeout.toSeconds() + KILL_GRACE_SECONDS, TimeUnit.SECONDS)) {
                exit = process.exitValue();
            } else {
                exit = kill();
            }
            return result(exit);
        }

        /** Ends the run at once (SIGKILL) and reads its logs. */
        Result killNow() throws IOException, InterruptedException {
            return result(kill());
        }

        private int kill() throws InterruptedException {
            process.destroyForcibly().waitFor(KILL_GRACE_SECONDS, TimeUnit.SECONDS);
            return KILLED;
        }

        private Result result(int exit) throws IOException {
            cues.close();
            String errors = Files.exists(errorLog) ? Files.readString(errorLog, StandardCharsets.ISO_8859_1) : "";
            List<SipMessage> messages = Files.exists(messageLog)
                    ? parseLog(Files.readString(messageLog, StandardCharsets.ISO_8859_1)) : List.of();
            return new Result(exit, messages, errors, dir);
        }
    }

    /** Splits SIPp's -trace_msg log into messages: each is a separator with a time, a direction line, the text. */
    static List<SipMessage> parseLog(String log) {
        List<SipMessage> messages = new ArrayList<>();
        for (String entry : log.split("(?m)^" + SEPARATOR + " ")) {
            String[] lines = entry.split("\n", 3);
            if (lines.length < 3 || !lines[1].contains("UDP message")) {
                continue;
            }
            LocalDateTime time = LocalDateTime.parse(lines[0].strip(), LOG_TIME);
            boolean received = lines[1].contains("received");
            messages.add(SipMessage.parse(lines[2].strip(), time, received));
        }
        return messages;
    }

    private static Path resource(String name) {
        URL url = Sipp.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException("test resource missing: " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The caller's tone for as long as any call here lasts, mu-law at 8 kHz. */
    private static void writeTone(Path file) throws IOException {
        byte[] out = new byte[(int) DEFAULT_TIMEOUT.toSeconds() * G711_BYTES_PER_SECOND];
        G711 ulaw = G711.forPayloadType(0);
        double amplitude = 32767 * Math.pow(10, TONE_DBFS / 20.0);
        for (int i = 0; i < out.length; i++) {
            out[i] = ulaw.encode((short) Math.round(amplitude * Math.sin(2 * Math.PI * TONE_HZ * i
                    / G711_BYTES_PER_SECOND)));
        }
        Files.write(file, out);
    }

    /** Writes {@code speech} followed by the codec's silence for the longest call ({@link #DEFAULT_TIMEOUT}). */
    private static void writeThenSilence(byte[] speech, boolean alaw, Path padded) throws IOException {
        byte[] out = Arrays.copyOf(speech, speech.length
                + (int) DEFAULT_TIMEOUT.toSeconds() * G711_BYTES_PER_SECOND);
        Arrays.fill(out, speech.length, out.length, alaw ? ALAW_SILENCE : ULAW_SILENCE);
        Files.write(padded, out);
    }

    /** A UDP port that was free on 127.0.0.1 a moment ago. */
    static int freeUdpPort() {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An even port p with p and p + 2 free (SIPp binds both for audio), outside the gateway's RTP ranges. */
    private static int freeMediaPort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int p = freeUdpPort() & ~1;
            if (p >= 30000 && p <= 40002) {
                continue;
            }
            if (isFree(p) && isFree(p + 2)) {
                return p;
            }
        }
        throw new IllegalStateException("no free media port pair");
    }

    private static boolean isFree(int port) {
        try (DatagramSocket probe = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
            return probe.isBound();
        } catch (IOException busy) {
            return false;
        }
    }

    /**
     * What one SIPp run did.
     *
     * @param exitCode 0 when the call went as the scenario says; see {@link #KILLED}
     * @param messages the SIP messages sent and received, in order
     * @param errors   SIPp's error log (unexpected messages, failed checks)
     * @param logDir   where all files of the run are
     */
    record Result(int exitCode, List<SipMessage> messages, String errors, Path logDir) {

        /** The first received response with this status code to a request with this method. */
        SipMessage response(int statusCode, String method) {
            return messages.stream()
                    .filter(m -> m.received() && m.statusCode() == statusCode && m.method().equals(method))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + statusCode + " for " + method + " in " + logDir));
        }

        /** The first received response with this status code to the request with this method and CSeq number. */
        SipMessage response(int statusCode, String method, long cseq) {
            return messages.stream()
                    .filter(m -> m.received() && m.statusCode() == statusCode && m.method().equals(method)
                            && m.cseq() == cseq)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + statusCode + " for " + method + " CSeq " + cseq
                            + " in " + logDir));
        }

        /** The first sending (not a retransmission) of the request with this method and CSeq number. */
        SipMessage sent(String method, long cseq) {
            return messages.stream()
                    .filter(m -> !m.received() && !m.isResponse() && m.method().equals(method) && m.cseq() == cseq)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + method + " CSeq " + cseq + " sent in " + logDir));
        }

        /** The first sent request with this method. */
        SipMessage sent(String method) {
            return messages.stream()
                    .filter(m -> !m.received() && !m.isResponse() && m.method().equals(method))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + method + " sent in " + logDir));
        }

        /** A one-line summary for assertion messages. */
        String describe() {
            return "SIPp exit " + exitCode + ", logs in " + logDir + (errors.isBlank() ? "" : ", errors: " + errors);
        }
    }
}
