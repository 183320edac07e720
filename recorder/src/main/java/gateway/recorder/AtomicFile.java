package gateway.recorder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Writes a file whole or not at all: a temp file beside it, renamed over it, so readers never see half a file. */
final class AtomicFile {

    static final String TEMP_SUFFIX = ".tmp";

    private AtomicFile() {
    }

    /**
     * Writes {@code content} to {@code dir/name}. {@code durable} also forces it to disk before the rename: for the
     * final call.json, not for checkpoints, which only guard against a crash of the process and must not stall the
     * writer thread on fsync.
     */
    static void write(FileOpener opener, Path dir, String name, byte[] content, boolean durable) throws IOException {
        Path target = dir.resolve(name);
        Path temp = dir.resolve(name + TEMP_SUFFIX);
        try (FileChannel channel = opener.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (durable) {
                channel.force(true);
            }
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
