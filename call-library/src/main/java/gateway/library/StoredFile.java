package gateway.library;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Instant;
import java.util.Optional;

/**
 * One open file of a call. Its validators ({@link #size}, {@link #lastModified}, {@link #version}) are taken when it
 * is opened. Threading: one thread at a time; reads block, so they run off the event loops.
 */
public interface StoredFile extends Closeable {

    long size();

    Instant lastModified();

    /** Changes whenever the content may have changed: the basis of a strong ETag. */
    String version();

    /** Reads up to {@code dst.remaining()} bytes at {@code position}; returns the count, or -1 at the end. */
    int read(ByteBuffer dst, long position) throws IOException;

    /** The file's channel when it is on local disk, for zero-copy sending; the caller then owns and closes it. */
    Optional<FileChannel> localChannel();

    /** Reads the whole file; for small files (JSON, captions). */
    default byte[] readAll() throws IOException {
        if (size() > Integer.MAX_VALUE - 8) {
            throw new IOException("too large to read whole: " + size() + " bytes");
        }
        ByteBuffer all = ByteBuffer.allocate((int) size());
        while (all.hasRemaining()) {
            if (read(all, all.position()) < 0) {
                throw new IOException("file ended after " + all.position() + " of " + size() + " bytes");
            }
        }
        return all.array();
    }
}
