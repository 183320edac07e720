package gateway.recorder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A disk that fills up, for the recorder's {@link FileOpener} seam: files under {@code dir} are real files, but while
 * {@link #full} is set every write that would grow one goes to {@code /dev/full} instead, so the kernel answers it
 * with ENOSPC ("No space left on device") exactly as a full disk does. Writes within a file's current size (a header
 * rewrite) and truncation still reach the real file, as they do on a full disk, which needs no new blocks for them.
 */
final class FillingDisk implements FileOpener {

    private static final Path DEV_FULL = Path.of("/dev/full");

    private final Path dir;
    volatile boolean full;

    FillingDisk(Path dir) {
        this.dir = dir;
    }

    @Override
    public FileChannel open(Path path, OpenOption... options) throws IOException {
        FileChannel real = FileChannel.open(path, options);
        return path.startsWith(dir) ? new Channel(real) : real;
    }

    /** A real file channel whose growing writes go to /dev/full while the disk is full. */
    private final class Channel extends FileChannel {

        private final FileChannel real;

        Channel(FileChannel real) {
            this.real = real;
        }

        private boolean grows(long position, int bytes) throws IOException {
            return full && position + bytes > real.size();
        }

        private int enospc(ByteBuffer src) throws IOException {
            try (FileChannel devFull = FileChannel.open(DEV_FULL, StandardOpenOption.WRITE)) {
                return devFull.write(src);
            }
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return grows(real.position(), src.remaining()) ? enospc(src) : real.write(src);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return grows(position, src.remaining()) ? enospc(src) : real.write(src, position);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            throw new UnsupportedOperationException("the recorder does not gather");
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return real.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return real.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return real.read(dst, position);
        }

        @Override
        public long position() throws IOException {
            return real.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            real.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return real.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            real.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            real.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) {
            throw new UnsupportedOperationException("the recorder does not transfer");
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) {
            throw new UnsupportedOperationException("the recorder does not transfer");
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) {
            throw new UnsupportedOperationException("the recorder does not map");
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException("the recorder does not lock");
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException("the recorder does not lock");
        }

        @Override
        protected void implCloseChannel() throws IOException {
            real.close();
        }
    }
}
