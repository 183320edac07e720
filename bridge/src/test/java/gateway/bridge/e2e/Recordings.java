package gateway.bridge.e2e;

import gateway.testkit.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** Finds the per-call directories the gateway writes under recordings.dir. */
final class Recordings {

    private Recordings() {
    }

    /** The call directories (any subdirectory) present now. */
    static List<Path> callDirs(Path recordingsDir) throws IOException {
        if (!Files.isDirectory(recordingsDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(recordingsDir)) {
            return s.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith(".")).sorted()
                    .toList();
        }
    }

    /**
     * Waits until exactly {@code count} call directories exist and each has its final call.json, and returns them.
     * The recorder writes call.json last and renames it into place whole, so the rest of the call's files are
     * complete once it is there. Fails with what was there when {@code timeout} runs out.
     */
    static List<Path> awaitFinished(Path recordingsDir, int count, Duration timeout) throws InterruptedException {
        return Await.until(() -> callDirsNow(recordingsDir), dirs -> dirs.size() == count && allFinished(dirs),
                timeout, dirs -> "expected " + count + " finished call directories in " + recordingsDir + ", found "
                        + describe(dirs));
    }

    private static boolean allFinished(List<Path> dirs) {
        return dirs.stream().allMatch(d -> Files.isRegularFile(d.resolve("call.json")));
    }

    /** As {@link #callDirs}, for a probe of {@code Await}. */
    static List<Path> callDirsNow(Path recordingsDir) {
        try {
            return callDirs(recordingsDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String describe(List<Path> dirs) {
        StringBuilder sb = new StringBuilder("[");
        for (Path d : dirs) {
            sb.append(d.getFileName());
            try (Stream<Path> s = Files.list(d)) {
                sb.append(s.map(p -> p.getFileName().toString()).sorted().toList());
            } catch (NoSuchFileException e) {
                sb.append("(deleted)");
            } catch (IOException e) {
                sb.append("(").append(e).append(")");
            }
            sb.append(' ');
        }
        return sb.append(']').toString();
    }
}
