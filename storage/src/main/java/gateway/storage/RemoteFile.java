package gateway.storage;

import gateway.library.StoredFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Instant;
import java.util.Optional;

/**
 * A call's file in the bucket, read with range GETs of up to {@value #WINDOW_BYTES} bytes that are kept for the
 * reads that follow: the API reads 64 KiB at a time, so a download costs one request per window, and a range or a
 * mono channel fetches only the part it needs. Every GET is conditional on the tag seen when the file was opened,
 * so a replaced object fails the read instead of mixing two versions. Threading: one thread at a time, as
 * {@link StoredFile} says.
 */
final class RemoteFile implements StoredFile {

    /** Bytes per GET: a 1-hour stereo call (345 MB) in about 330 requests, and 1 MiB held per open download. */
    static final int WINDOW_BYTES = 1 << 20;

    private final ObjectStore store;
    private final String key;
    private final ObjectInfo info;
    private byte[] window = new byte[0];
    private long windowStart;

    RemoteFile(ObjectStore store, String key, ObjectInfo info) {
        this.store = store;
        this.key = key;
        this.info = info;
    }

    @Override
    public long size() {
        return info.size();
    }

    @Override
    public Instant lastModified() {
        return info.lastModified();
    }

    /** The object's entity tag: it changes whenever the object does. */
    @Override
    public String version() {
        return "s3-" + info.etag();
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        if (position >= info.size()) {
            return -1;
        }
        if (position < windowStart || position >= windowStart + window.length) {
            fill(position);
        }
        int offset = (int) (position - windowStart);
        int n = Math.min(dst.remaining(), window.length - offset);
        dst.put(window, offset, n);
        return n;
    }

    private void fill(long position) throws IOException {
        long last = Math.min(info.size(), position + WINDOW_BYTES) - 1;
        byte[] bytes;
        try (InputStream in = store.get(key, info.etag(), position, last)) {
            bytes = in.readAllBytes();
        }
        if (bytes.length != last - position + 1) {
            throw new IOException("GET " + key + " bytes " + position + "-" + last + " returned " + bytes.length
                    + " bytes");
        }
        window = bytes;
        windowStart = position;
    }

    @Override
    public Optional<FileChannel> localChannel() {
        return Optional.empty();
    }

    @Override
    public void close() {
        window = new byte[0];
    }
}
