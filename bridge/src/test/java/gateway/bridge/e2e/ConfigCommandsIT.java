package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --print-config} and {@code --check-config} run {@code gateway.bridge.Main} as the launcher does, in a JVM
 * of their own, with the SIP and HTTP ports taken by this test: both answer and exit without opening a port.
 */
@Tag("e2e")
class ConfigCommandsIT {

    private static final String API_KEY = "sk-test-PrintConfigNeverShows";

    @TempDir
    Path dir;

    /** The exit code, standard output and standard error of {@code Main args} with {@code env} added. */
    private record Run(int exit, String out, String err) {
    }

    private Run main(Map<String, String> env, String... args) throws IOException, InterruptedException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
                "gateway.bridge.Main"));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(n -> n.equals("OPENAI_API_KEY") || n.startsWith("GATEWAY_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "Main did not exit");
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void printConfigShowsEveryKeyWhenceItCameAndNoSecret() throws Exception {
        Path file = Files.writeString(dir.resolve("gateway.yaml"), "sip:\n  max-calls: 7\nrecordings:\n  dir: "
                + dir.resolve("rec") + "\nprofiles:\n  sales:\n    voice: cedar\n");
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket http = new ServerSocket(0, 1, loopback);
             DatagramSocket sipUdp = new DatagramSocket(new InetSocketAddress(loopback, 0));
             ServerSocket sipTcp = new ServerSocket(sipUdp.getLocalPort(), 1, loopback)) {
            Run run = main(Map.of("OPENAI_API_KEY", API_KEY, "GATEWAY_LOG_FORMAT", "json"),
                    "--print-config", "--config=" + file, "--sip.listen=127.0.0.1",
                    "--sip.port=" + sipTcp.getLocalPort(), "--http.port=" + http.getLocalPort());
            assertEquals(0, run.exit(), run.err());
            List<String> lines = run.out().lines().toList();
            assertTrue(lines.contains("sip.max-calls = 7  (file)"), run.out());
            assertTrue(lines.contains("sip.port = " + sipTcp.getLocalPort() + "  (flag)"), run.out());
            assertTrue(lines.contains("log.format = json  (env)"), run.out());
            assertTrue(lines.contains("realtime.api-key = ********  (env)"), run.out());
            assertTrue(lines.contains("http.api-token =   (default)"), run.out());
            assertTrue(lines.contains("shutdown.drain-seconds = 3600  (default)"), run.out());
            assertTrue(lines.contains("profiles.sales.voice = cedar  (file)"), run.out());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("agent.voice = ")), run.out());
            assertFalse(run.out().contains(API_KEY) || run.err().contains(API_KEY), run.out() + run.err());
            assertFalse(run.err().contains("Ready in"), "nothing started: " + run.err());
        }
    }

    @Test
    void checkConfigExitsZeroWhenValidAndNamesTheBadKeyWhenNot() throws Exception {
        Run valid = main(Map.of(), "--check-config", "--recordings.dir=" + dir.resolve("rec"));
        assertEquals(0, valid.exit(), valid.err());
        assertTrue(valid.out().startsWith("configuration valid: "), valid.out());

        Run bad = main(Map.of("GATEWAY_LOG_LEVEL", "LOUD"), "--check-config");
        assertEquals(2, bad.exit(), bad.out());
        assertEquals("configuration error: log.level: must be one of [ERROR, WARN, INFO, DEBUG, TRACE], got 'LOUD'",
                bad.err().strip());
        Run badFlag = main(Map.of(), "--check-config", "--sip.port=70000");
        assertEquals(2, badFlag.exit());
        assertTrue(badFlag.err().startsWith("configuration error: sip.port: "), badFlag.err());
    }

    @Test
    void theQaOnlyFlagIsTheQaOnlyKeyAndNeedsCallsToServe() throws Exception {
        Run print = main(Map.of(), "--print-config", "--qa-only", "--recordings.dir=" + dir);
        assertEquals(0, print.exit(), print.err());
        assertTrue(print.out().lines().toList().contains("qa.only = true  (flag)"), print.out());
        assertTrue(print.out().lines().toList().contains("storage.s3.index-refresh-seconds = 30  (default)"),
                print.out());

        Path missing = dir.resolve("missing");
        Run check = main(Map.of(), "--check-config", "--qa-only", "--recordings.dir=" + missing);
        assertEquals(2, check.exit(), check.out());
        assertEquals("configuration error: qa.only: needs calls to serve: set storage.s3.bucket, or a recordings.dir"
                + " that exists (" + missing + " does not)", check.err().strip());
        Run start = main(Map.of(), "--qa-only", "--recordings.dir=" + missing);
        assertEquals(2, start.exit(), "refuses to start: " + start.out());
        assertTrue(start.err().startsWith("configuration error: qa.only: "), start.err());
    }
}
