package gateway.recorder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A stereo PCM16 WAV file being appended to: whole frames are written at the end with positional writes, and
 * {@link #sync()} makes the header describe exactly the frames on disk, so a crash leaves a playable file. After a
 * failed write, {@link #repair()} cuts what a partial write left and fits the header to the frames that made it.
 * Writer thread only.
 */
final class WavFile implements AutoCloseable {

    static final int BYTES_PER_FRAME = CallAudio.CHANNELS * Short.BYTES;

    private final FileChannel channel;
    private final int sampleRate;
    private final ByteBuffer header = ByteBuffer.allocate(WavHeader.SIZE);
    private long framesOnDisk;
    private long framesInHeader = -1;

    private WavFile(FileChannel channel, int sampleRate) {
        this.channel = channel;
        this.sampleRate = sampleRate;
    }

    /** Creates (or truncates) the file and writes a header for zero frames. */
    static WavFile create(FileOpener opener, Path path, int sampleRate) throws IOException {
        FileChannel channel = opener.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        WavFile file = new WavFile(channel, sampleRate);
        try {
            file.writeHeader();
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return file;
    }

    /** Appends the frames between the buffer's position and limit (a whole number of frames). */
    void append(ByteBuffer frames) throws IOException {
        int bytes = frames.remaining();
        long position = WavHeader.SIZE + framesOnDisk * BYTES_PER_FRAME;
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
            channel.truncate(WavHeader.SIZE + frames * BYTES_PER_FRAME);
            framesOnDisk = frames;
        }
        writeHeader();
        channel.force(false);
    }

    /** After a failed write: drops bytes past the last whole frame written and fits the header to the rest. */
    void repair() throws IOException {
        channel.truncate(WavHeader.SIZE + framesOnDisk * BYTES_PER_FRAME);
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
        WavHeader.write(header, sampleRate, CallAudio.CHANNELS, framesOnDisk);
        header.flip();
        long position = 0;
        while (header.hasRemaining()) {
            position += channel.write(header, position);
        }
        framesInHeader = framesOnDisk;
    }
}
