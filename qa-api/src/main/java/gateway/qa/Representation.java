package gateway.qa;

import gateway.library.MonoWav;
import gateway.library.StoredFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Optional;

/**
 * What a GET sends for a resource (RFC 9110 §3.2): its bytes, media type and validators. A stored file is sent as
 * it is (zero-copy when it is on local disk); a derived one (one channel of the audio, the plain-text transcript)
 * is computed range by range. Reads block: they run on the API's I/O threads, never on an event loop.
 */
interface Representation extends Closeable {

    long length();

    Validators validators();

    String contentType();

    /** Content-Disposition, or null. */
    String disposition();

    /** Reads up to {@code dst.remaining()} bytes from {@code position}; returns the count, or -1 at the end. */
    int read(long position, ByteBuffer dst) throws IOException;

    /** The local file whose bytes are exactly this representation, to send with a FileRegion; it then owns it. */
    default Optional<FileChannel> file() {
        return Optional.empty();
    }

    @Override
    default void close() throws IOException {
    }

    /** A stored file as it is. */
    static Representation stored(StoredFile file, String contentType, String disposition) {
        return new Stored(file, contentType, disposition);
    }

    /** One channel of a stored WAV file as a mono WAV; {@code variant} sets its entity tag apart from the file's. */
    static Representation mono(StoredFile file, MonoWav mono, String variant, String disposition) {
        return new Mono(file, mono, variant, disposition);
    }

    /** Bytes computed in memory. */
    static Representation bytes(byte[] body, Validators validators, String contentType) {
        return new Bytes(body, validators, contentType);
    }

    /** A stored file sent as it is. */
    record Stored(StoredFile stored, String contentType, String disposition) implements Representation {
        @Override
        public long length() {
            return stored.size();
        }

        @Override
        public Validators validators() {
            return new Validators(Validators.strongTag(stored.version()), stored.lastModified());
        }

        @Override
        public int read(long position, ByteBuffer dst) throws IOException {
            return stored.read(dst, position);
        }

        @Override
        public Optional<FileChannel> file() {
            return stored.localChannel();
        }

        @Override
        public void close() throws IOException {
            stored.close();
        }
    }

    /** One channel of a stereo file, computed from it on each read. */
    record Mono(StoredFile stored, MonoWav mono, String variant, String disposition) implements Representation {
        @Override
        public long length() {
            return mono.length();
        }

        @Override
        public Validators validators() {
            return new Validators(Validators.strongTag(stored.version() + "-" + variant), stored.lastModified());
        }

        @Override
        public String contentType() {
            return CallsApi.WAV;
        }

        @Override
        public int read(long position, ByteBuffer dst) throws IOException {
            return position >= mono.length() ? -1 : mono.read(stored, position, dst);
        }

        @Override
        public void close() throws IOException {
            stored.close();
        }
    }

    /** A body held in memory. */
    record Bytes(byte[] body, Validators validators, String contentType) implements Representation {
        @Override
        public long length() {
            return body.length;
        }

        @Override
        public String disposition() {
            return null;
        }

        @Override
        public int read(long position, ByteBuffer dst) {
            if (position >= body.length) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), body.length - position);
            dst.put(body, (int) position, n);
            return n;
        }
    }
}
