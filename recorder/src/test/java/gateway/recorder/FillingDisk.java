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
 * {@link #full} is set no new block can be allocated. As on a real file system with 4 KiB blocks, a write within the
 * blocks a file already has (a header rewrite, the tail of its last block) and truncation still work; a write that
 * runs past them writes what fits (a short write), and the next one goes to {@code /dev/full}, so the kernel answers
 * it with ENOSPC ("No space left on device") exactly as a full disk does.
 */
final class FillingDisk implements FileOpener {

    private static final Path DEV_FULL = Path.of("/dev/full");
    private static final int BLOCK_BYTES = 4096;

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

        /** Bytes from {@code position} that fit the blocks the file has, or -1 when no limit applies. */
        private long room(long position, int bytes) throws IOException {
            long allocated = (real.size() + BLOCK_BYTES - 1) / BLOCK_BYTES * BLOCK_BYTES;
            return full && position + bytes > allocated ? Math.max(0, allocated - position) : -1;
        }

        private int enospc(ByteBuffer src) throws IOException {
            try (FileChannel devFull = FileChannel.open(DEV_FULL, StandardOpenOption.WRITE)) {
                return devFull.write(src);
            }
        }

        /** Writes at most {@code room} bytes of {@code src} to the real file at {@code position}. */
        private int shortWrite(ByteBuffer src, long position, long room) throws IOException {
            ByteBuffer part = src.duplicate();
            part.limit(part.position() + (int) room);
            int written = real.write(part, position);
            src.position(src.position() + written);
            return written;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int written = write(src, real.position());
            real.position(real.position() + written);
            return written;
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            long room = room(position, src.remaining());
            if (room < 0) {
                return real.write(src, position);
            }
            return room > 0 ? shortWrite(src, position, room) : enospc(src);
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
