package gateway.recorder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A stereo PCM16 WAV file being appended to: frames go through a reused little-endian buffer to a FileChannel,
 * and {@link #sync()} makes the header describe exactly the frames on disk, so a crash leaves a playable file.
 * Used by the writer thread only.
 */
final class WavFile implements StereoWindow.Sink, AutoCloseable {

    /** Bytes gathered before a write to the channel: about 0.7 s of stereo audio, to keep system calls few. */
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final int BYTES_PER_FRAME = StereoWindow.CHANNELS * 2;

    private final FileChannel channel;
    private final int sampleRate;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer header = ByteBuffer.allocate(WavHeader.SIZE);
    private long framesOnDisk;
    private long framesInHeader = -1;

    private WavFile(FileChannel channel, int sampleRate) {
        this.channel = channel;
        this.sampleRate = sampleRate;
    }

    /** Creates (or truncates) the file and writes a header for zero frames. */
    static WavFile create(Path path, int sampleRate) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
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

    @Override
    public void frames(short[] interleaved, int offset, int frames) throws IOException {
        int end = offset + frames * StereoWindow.CHANNELS;
        for (int i = offset; i < end; i++) {
            if (buffer.remaining() < 2) {
                drain();
            }
            buffer.putShort(interleaved[i]);
        }
    }

    /** Writes buffered frames and, if the count changed, rewrites the header to match the bytes on disk. */
    void sync() throws IOException {
        drain();
        if (framesInHeader != framesOnDisk) {
            writeHeader();
        }
    }

    /** Writes everything, cuts the file to exactly {@code frames} frames if it holds more, and finalises the header. */
    void finish(long frames) throws IOException {
        drain();
        if (framesOnDisk > frames) {
            channel.truncate(WavHeader.SIZE + frames * BYTES_PER_FRAME);
            framesOnDisk = frames;
        }
        writeHeader();
        channel.force(false);
    }

    /** Frames written to the channel so far. */
    long framesOnDisk() {
        return framesOnDisk;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private void drain() throws IOException {
        buffer.flip();
        long position = WavHeader.SIZE + framesOnDisk * BYTES_PER_FRAME;
        int bytes = buffer.remaining();
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
        buffer.clear();
        framesOnDisk += bytes / BYTES_PER_FRAME;
    }

    private void writeHeader() throws IOException {
        header.clear();
        WavHeader.write(header, sampleRate, StereoWindow.CHANNELS, framesOnDisk);
        header.flip();
        long position = 0;
        while (header.hasRemaining()) {
            position += channel.write(header, position);
        }
        framesInHeader = framesOnDisk;
    }
}
