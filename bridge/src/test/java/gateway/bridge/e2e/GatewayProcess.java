package gateway.bridge.e2e;

import gateway.testkit.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway as a separate JVM, so a test can kill it like a crash does. It runs {@code gateway.bridge.Main} from
 * this test run's own classpath (the fat jar is only built after the tests), with the demo agent, on
 * 127.0.0.1 with an ephemeral SIP port read from its "Ready" log line; stdout and stderr go to a log file.
 * Threading: used by the test thread.
 */
final class GatewayProcess implements AutoCloseable {

    /** JVM start, class loading and the demo agent take about a second; a loaded CI box gets far more. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final long EXIT_WAIT_SECONDS = 20;
    /** The "Ready" line; its milliseconds are formatted for the locale ("1,333"), the port is plain. */
    private static final Pattern READY = Pattern.compile("Ready in .*: SIP 127\\.0\\.0\\.1:(\\d+) ");
    /** The HTTP listener's port, in the same line. */
    private static final Pattern HTTP = Pattern.compile("the QA page on http://127\\.0\\.0\\.1:(\\d+),");
    /**
     * A generation's line of {@code jcmd GC.heap_info} under the serial collector ("DefNew total 1234K, used 567K",
     * "Tenured ...", or "def new generation ..." on older JDKs); its spaces' lines say "% used" instead.
     */
    private static final Pattern HEAP_USED = Pattern.compile("(?m)^\\s*[A-Za-z ]+?\\s+total \\d+K, used (\\d+)K");
    /** The "ready" line of a QA-only instance ({@code --qa-only}), with its HTTP port. */
    private static final Pattern QA_READY = Pattern.compile("QA-only ready in .*the QA page on"
            + " http://127\\.0\\.0\\.1:(\\d+),");
    /** Calls this gateway takes: few, so the recorder's buffers fit the small heap. */
    private static final int MAX_CALLS = 10;
    /**
     * A small heap and the client compiler: the gateway under test carries one call. It lets Netty use
     * {@code sun.misc.Unsafe} as the test JVM does (pom.xml, profile unsafe-buffers), as ./gateway starts it.
     */
    private static final List<String> JVM_OPTIONS = jvmOptions();

    private final Process process;
    private final Path log;
    private final int sipPort;
    private final int httpPort;

    private GatewayProcess(Process process, Path log, int sipPort, int httpPort) {
        this.process = process;
        this.log = log;
        this.sipPort = sipPort;
        this.httpPort = httpPort;
    }

    private static List<String> jvmOptions() {
        List<String> options = new ArrayList<>(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        String unsafeAccess = System.getProperty("sun.misc.unsafe.memory.access");
        if (unsafeAccess != null) {
            options.add("--sun-misc-unsafe-memory-access=" + unsafeAccess);
        }
        return List.copyOf(options);
    }

    /** Starts a gateway recording into {@code recordings} with RTP ports from {@code rtpMin}, and waits until ready. */
    static GatewayProcess start(Path recordings, int rtpMin, Path log) throws IOException, InterruptedException {
        return start(recordings, rtpMin, log, List.of());
    }

    /** As above, with further {@code --key=value} flags. */
    static GatewayProcess start(Path recordings, int rtpMin, Path log, List<String> extraArgs)
            throws IOException, InterruptedException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-cp", classpath, "gateway.bridge.Main",
                "--sip.listen=127.0.0.1", "--sip.port=0", "--sip.public-host=127.0.0.1",
                "--http.listen=127.0.0.1", "--http.port=0", "--sip.max-calls=" + MAX_CALLS,
                "--rtp.port-min=" + rtpMin, "--rtp.port-max=" + (rtpMin + GatewayUnderIT.RTP_RANGE_SIZE - 1),
                "--recordings.dir=" + recordings));
        command.addAll(extraArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.equals("OPENAI_API_KEY") || name.startsWith("GATEWAY_"));
        Process process = builder.start();
        int port;
        try {
            port = Await.until(() -> readyPort(process, log), p -> p != 0, READY_TIMEOUT,
                    p -> "gateway not ready; its log " + log + ":\n" + read(log));
        } catch (RuntimeException | Error | InterruptedException e) {
            process.destroyForcibly();
            throw e;
        }
        Matcher http = HTTP.matcher(read(log));
        if (!http.find()) {
            process.destroyForcibly();
            throw new IllegalStateException("no HTTP port in the gateway's Ready line:\n" + read(log));
        }
        return new GatewayProcess(process, log, port, Integer.parseInt(http.group(1)));
    }

    /**
     * Starts a QA-only instance ({@code --qa-only}: no SIP, no RTP) over {@code recordings} with further
     * {@code --key=value} flags, and waits until it serves HTTP; it has no SIP port.
     */
    static GatewayProcess startQaOnly(Path recordings, Path log, List<String> extraArgs)
            throws IOException, InterruptedException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-cp", classpath, "gateway.bridge.Main", "--qa-only", "--http.listen=127.0.0.1",
                "--http.port=0", "--recordings.dir=" + recordings));
        command.addAll(extraArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.equals("OPENAI_API_KEY") || name.startsWith("GATEWAY_"));
        Process process = builder.start();
        try {
            int port = Await.until(() -> readyPort(process, log, QA_READY), p -> p != 0, READY_TIMEOUT,
                    p -> "QA-only instance not ready; its log " + log + ":\n" + read(log));
            return new GatewayProcess(process, log, -1, port);
        } catch (RuntimeException | Error | InterruptedException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** The SIP port from the log's "Ready" line, 0 while there is none; fails if the process died. */
    private static int readyPort(Process process, Path log) {
        return readyPort(process, log, READY);
    }

    /** The port {@code ready} captures in the log, 0 while it is not there; fails if the process died. */
    private static int readyPort(Process process, Path log, Pattern ready) {
        Matcher m = ready.matcher(read(log));
        if (m.find()) {
            return Integer.parseInt(m.group(1));
        }
        if (!process.isAlive()) {
            throw new IllegalStateException("gateway exited with " + process.exitValue() + ":\n" + read(log));
        }
        return 0;
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int sipPort() {
        return sipPort;
    }

    int httpPort() {
        return httpPort;
    }

    /** Sends SIGTERM and returns at once. */
    void terminate() {
        process.destroy();
    }

    /** Waits for the process to exit and returns its exit code; fails if it has not within {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("gateway still running after " + timeout + "; its log:\n" + read(log));
        }
        return process.exitValue();
    }

    /** The value of {@code sample} (name and labels as written) in the gateway's {@code /metrics}, -1 without it. */
    double metric(String sample) {
        try {
            return MetricsScrape.of(httpPort).getOrDefault(sample, -1.0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The gateway's heap in use right after a full collection ({@code jcmd GC.run}, then the generations' "used" of
     * {@code jcmd GC.heap_info}): what it holds live, in bytes.
     */
    long heapAfterGcBytes() throws IOException, InterruptedException {
        jcmd("GC.run");
        Matcher used = HEAP_USED.matcher(jcmd("GC.heap_info"));
        long kilobytes = 0;
        boolean found = false;
        while (used.find()) {
            kilobytes += Long.parseLong(used.group(1));
            found = true;
        }
        if (!found) {
            throw new IllegalStateException("no generation in GC.heap_info:\n" + jcmd("GC.heap_info"));
        }
        return kilobytes * 1024;
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(process.pid()), command).redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!jcmd.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + command + " failed: " + out);
        }
        return out;
    }

    /** What the gateway logged so far. */
    String log() {
        return read(log);
    }

    /** SIGKILL, as a crash: no shutdown hook, nothing flushed or finished. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("gateway did not die on SIGKILL");
        }
    }

    /** SIGTERM: the gateway's orderly shutdown. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
