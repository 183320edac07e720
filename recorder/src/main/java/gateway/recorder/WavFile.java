package gateway.recorder;

import gateway.library.RecordingFormat;
import gateway.library.WavCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The recording's audio.wav ({@link RecordingFormat}) being appended to: whole frames are written at the end with
 * positional writes, and {@link #sync()} makes the header ({@link WavCodec}) describe exactly the frames on disk, so
 * a crash leaves a playable file. After a failed write, {@link #repair()} cuts what a partial write left and fits the
 * header to the frames that made it. Writer thread only.
 */
final class WavFile implements AutoCloseable {

    private static final int BYTES_PER_FRAME = RecordingFormat.BYTES_PER_FRAME;
    private static final int HEADER_BYTES = WavCodec.HEADER_BYTES;

    private final FileChannel channel;
    private final ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
    private long framesOnDisk;
    private long framesInHeader = -1;

    private WavFile(FileChannel channel) {
        this.channel = channel;
    }

    /** Creates (or truncates) the file and writes a header for zero frames. */
    static WavFile create(FileOpener opener, Path path) throws IOException {
        FileChannel channel = opener.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        WavFile file = new WavFile(channel);
        try {
            file.writeHeader();
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return file;
    }

    /**
     * Cuts an audio.wav a crash left to the whole frames on disk and fits its header to them, creating an empty one
     * when there is none; returns the frames.
     */
    static long repairAfterCrash(FileOpener opener, Path path) throws IOException {
        try (FileChannel channel = opener.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long frames = Math.max(0, (channel.size() - HEADER_BYTES) / BYTES_PER_FRAME);
            frames = Math.min(frames, WavCodec.MAX_DATA_BYTES / BYTES_PER_FRAME);
            WavFile file = new WavFile(channel);
            file.framesOnDisk = frames;
            file.repair();
            channel.force(false);
            return frames;
        }
    }

    /** Appends the frames between the buffer's position and limit (a whole number of frames). */
    void append(ByteBuffer frames) throws IOException {
        int bytes = frames.remaining();
        long position = HEADER_BYTES + framesOnDisk * BYTES_PER_FRAME;
        while (frames.hasRemaining()) {
            position += channel.write(frames, position);
        }
        framesOnDisk += bytes / BYTES_PER_FRAME;
    }

    /** Rewrites the header if the frame count changed since the last rewrite. */
    void sync() throws IOException {
        if (framesInHeader != framesOnDisk) {
            writeHeader();
        }
    }

    /** Cuts the file to exactly {@code frames} frames if it holds more, finalises the header and forces it to disk. */
    void finish(long frames) throws IOException {
        if (framesOnDisk > frames) {
            channel.truncate(HEADER_BYTES + frames * BYTES_PER_FRAME);
            framesOnDisk = frames;
        }
        writeHeader();
        channel.force(false);
    }

    /** After a failed write: drops bytes past the last whole frame written and fits the header to the rest. */
    void repair() throws IOException {
        channel.truncate(HEADER_BYTES + framesOnDisk * BYTES_PER_FRAME);
        writeHeader();
    }

    /** Frames written to the file so far. */
    long framesOnDisk() {
        return framesOnDisk;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private void writeHeader() throws IOException {
        header.clear();
        WavCodec.writeHeader(header, RecordingFormat.SAMPLE_RATE, RecordingFormat.CHANNELS, framesOnDisk);
        header.flip();
        long position = 0;
        while (header.hasRemaining()) {
            position += channel.write(header, position);
        }
        framesInHeader = framesOnDisk;
    }
}
