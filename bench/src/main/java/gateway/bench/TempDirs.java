package gateway.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Scratch directories for the recorder benchmarks: on tmpfs (/dev/shm) when there is one, so disk speed does not count.
 */
public final class TempDirs {

    private static final Path TMPFS = Path.of("/dev/shm");

    private TempDirs() {
    }

    /** A new empty directory on tmpfs, or under java.io.tmpdir when /dev/shm is not writable. */
    public static Path create(String prefix) throws IOException {
        if (Files.isDirectory(TMPFS) && Files.isWritable(TMPFS)) {
            return Files.createTempDirectory(TMPFS, prefix);
        }
        return Files.createTempDirectory(prefix);
    }

    /** Deletes {@code dir} and everything below it. */
    public static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
