package gateway.bridge.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** Finds the per-call directories the gateway writes under recordings.dir. */
final class Recordings {

    private static final long POLL_MS = 50;

    private Recordings() {
    }

    /** The call directories (any subdirectory) present now. */
    static List<Path> callDirs(Path recordingsDir) throws IOException {
        if (!Files.isDirectory(recordingsDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(recordingsDir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    /**
     * Waits until exactly {@code count} call directories exist and each has its final call.json (written last), and
     * returns them; fails with what was there when {@code timeout} runs out.
     */
    static List<Path> awaitFinished(Path recordingsDir, int count, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Path> dirs = callDirs(recordingsDir);
        while (System.nanoTime() < deadline) {
            dirs = callDirs(recordingsDir);
            if (dirs.size() == count && dirs.stream().allMatch(d -> Files.isRegularFile(d.resolve("call.json")))) {
                return dirs;
            }
            Thread.sleep(POLL_MS);
        }
        throw new AssertionError("expected " + count + " finished call directories in " + recordingsDir
                + " within " + timeout + ", found " + describe(dirs));
    }

    private static String describe(List<Path> dirs) throws IOException {
        StringBuilder sb = new StringBuilder("[");
        for (Path d : dirs) {
            try (Stream<Path> s = Files.list(d)) {
                sb.append(d.getFileName()).append(s.map(p -> p.getFileName().toString()).toList()).append(' ');
            }
        }
        return sb.append(']').toString();
    }
}
