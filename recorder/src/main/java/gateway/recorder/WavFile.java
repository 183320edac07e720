package gateway.recorder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A stereo PCM16 WAV file being appended to: frames are bulk-copied into a reused little-endian buffer for a FileChannel,
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
    /** The same memory as samples: frames are bulk-copied in (one intrinsic copy, byte-swapped if the CPU is BE). */
    private final ShortBuffer samples = buffer.asShortBuffer();
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
        int from = offset;
        int left = frames * StereoWindow.CHANNELS;
        while (left > 0) {
            if (!samples.hasRemaining()) {
                drain();
            }
            int n = Math.min(left, samples.remaining());
            samples.put(interleaved, from, n);
            from += n;
            left -= n;
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
        buffer.limit(samples.position() * 2).position(0);
        long position = WavHeader.SIZE + framesOnDisk * BYTES_PER_FRAME;
        int bytes = buffer.remaining();
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
        buffer.clear();
        samples.clear();
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
