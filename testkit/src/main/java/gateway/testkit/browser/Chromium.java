package gateway.testkit.browser;

import gateway.testkit.Await;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium, started for one test class with a fresh profile and driven over the DevTools
 * protocol ({@link DevTools}); it talks to nothing but the pages it is sent to (no background networking, updates
 * or sync). Its output goes to {@code chromium.log} in the directory given. Threading: the test thread.
 */
public final class Chromium implements AutoCloseable {

    /** Debian's package puts it here; {@code scripts/install-test-deps.sh} installs it. */
    static final Path EXECUTABLE = Path.of("/usr/bin/chromium");
    /** Start-up until DevTools listens: about half a second here, so this bounds only a broken start. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final long EXIT_SECONDS = 5;
    private static final String WINDOW = "1280,1000";

    private final Process process;
    private final Path profile;
    private final DevTools devTools;

    private Chromium(Process process, Path profile, DevTools devTools) {
        this.process = process;
        this.profile = profile;
        this.devTools = devTools;
    }

    /** Starts Chromium with {@code about:blank}; its log goes to {@code logDir/chromium.log}. */
    public static Chromium launch(Path logDir) throws IOException, InterruptedException {
        if (!Files.isExecutable(EXECUTABLE)) {
            throw new IllegalStateException(EXECUTABLE + " is missing: run scripts/install-test-deps.sh");
        }
        Files.createDirectories(logDir);
        Path profile = Files.createTempDirectory("chromium-profile");
        Process process = new ProcessBuilder(List.of(EXECUTABLE.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "--window-size=" + WINDOW,
                "--hide-scrollbars", "--mute-audio", "about:blank"))
                .redirectErrorStream(true)
                .redirectOutput(logDir.resolve("chromium.log").toFile())
                .start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            List<String> lines = Await.until(() -> readLines(portFile),
                    l -> l.size() >= 2 || !process.isAlive(), START_TIMEOUT, l -> "DevToolsActivePort: " + l);
            if (!process.isAlive()) {
                throw new IllegalStateException("Chromium exited with " + process.exitValue() + "; see "
                        + logDir.resolve("chromium.log"));
            }
            URI endpoint = URI.create("ws://127.0.0.1:" + lines.get(0).strip() + lines.get(1).strip());
            return new Chromium(process, profile, DevTools.connect(endpoint));
        } catch (RuntimeException | Error | InterruptedException e) {
            process.destroyForcibly();
            deleteTree(profile);
            throw e;
        }
    }

    /** A new tab, ready to be driven. */
    public Page newPage() throws InterruptedException {
        return Page.open(devTools);
    }

    /** Lets pages save downloads as files named by their download id in {@code dir}, and report their progress. */
    public void allowDownloads(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        devTools.call(null, "Browser.setDownloadBehavior", Map.of("behavior", "allowAndName",
                "downloadPath", dir.toAbsolutePath().toString(), "eventsEnabled", true));
    }

    DevTools devTools() {
        return devTools;
    }

    @Override
    public void close() {
        try {
            devTools.call(null, "Browser.close", Map.of());
        } catch (AssertionError e) {
            process.destroy();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
        } finally {
            devTools.close();
            try {
                if (!process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(EXIT_SECONDS, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            deleteTree(profile);
        }
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a profile left in the temporary directory is harmless
        }
    }
}
