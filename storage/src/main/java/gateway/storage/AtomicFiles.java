package gateway.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Writes a file so that a reader or a crash sees the old content or the new, never a mix, and it is on disk. */
public final class AtomicFiles {

    /** Suffix of the temporary file; not a name the recorder or the library reads. */
    public static final String TEMP_SUFFIX = ".storage-tmp";

    private AtomicFiles() {
    }

    /** Writes {@code content} to a temporary file, forces it, renames it over {@code target}, forces the folder. */
    public static void write(Path target, byte[] content) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(target.getParent());
    }

    /** Makes a rename in {@code dir} durable (Linux allows fsync on a directory; elsewhere it is skipped). */
    public static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Not supported on every platform; the rename itself is still atomic.
        }
    }
}
