package gateway.library;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One channel of a PCM16 WAV file as a mono WAV file of its own: a canonical 44-byte header for one channel at the
 * source's rate, then that channel's samples. Any byte range of it is computed from the source on demand, so a
 * player can seek in it like in a file. Not thread-safe (it reuses a scratch buffer).
 */
public final class MonoWav {

    private static final int HEADER_BYTES = WavCodec.HEADER_BYTES;
    private static final int BYTES_PER_SAMPLE = Short.BYTES;
    /** RIFF sizes are unsigned 32-bit; a longer channel is cut to what fits. */
    private static final long MAX_DATA_BYTES = WavCodec.MAX_DATA_BYTES - WavCodec.MAX_DATA_BYTES % BYTES_PER_SAMPLE;

    private final WavLayout source;
    private final int channel;
    private final long dataBytes;
    private final byte[] header;
    private ByteBuffer scratch = ByteBuffer.allocate(0);

    private MonoWav(WavLayout source, int channel) {
        this.source = source;
        this.channel = channel;
        long bytes = source.frames() * BYTES_PER_SAMPLE;
        this.dataBytes = Math.min(bytes, MAX_DATA_BYTES);
        this.header = WavCodec.header(source.sampleRate(), 1, dataBytes / BYTES_PER_SAMPLE);
    }

    /** Channel {@code channel} (0 = left) of a file laid out as {@code source}. */
    public static MonoWav of(WavLayout source, int channel) {
        if (channel < 0 || channel >= source.channels()) {
            throw new IllegalArgumentException(
                    "no channel " + channel + " in a " + source.channels() + "-channel file");
        }
        return new MonoWav(source, channel);
    }

    /** Length of the mono file in bytes. */
    public long length() {
        return HEADER_BYTES + dataBytes;
    }

    /**
     * Fills {@code dst} with the mono file's bytes from {@code position} on (up to its end), reading the samples from
     * {@code file}; returns the count.
     */
    public int read(StoredFile file, long position, ByteBuffer dst) throws IOException {
        int start = dst.position();
        long pos = position;
        long end = Math.min(length(), position + dst.remaining());
        while (pos < end && pos < HEADER_BYTES) {
            dst.put(header[(int) pos++]);
        }
        if (pos < end) {
            long firstFrame = (pos - HEADER_BYTES) / BYTES_PER_SAMPLE;
            long lastFrame = (end - 1 - HEADER_BYTES) / BYTES_PER_SAMPLE;
            ByteBuffer frames = readFrames(file, firstFrame, (int) (lastFrame - firstFrame + 1));
            int offsetInFrame = channel * BYTES_PER_SAMPLE;
            for (; pos < end; pos++) {
                long b = pos - HEADER_BYTES;
                int frame = (int) (b / BYTES_PER_SAMPLE - firstFrame);
                dst.put(frames.get(frame * source.blockAlign() + offsetInFrame + (int) (b % BYTES_PER_SAMPLE)));
            }
        }
        return dst.position() - start;
    }

    private ByteBuffer readFrames(StoredFile file, long firstFrame, int count) throws IOException {
        int bytes = count * source.blockAlign();
        if (scratch.capacity() < bytes) {
            scratch = ByteBuffer.allocate(bytes);
        }
        scratch.clear().limit(bytes);
        long at = source.dataOffset() + firstFrame * source.blockAlign();
        while (scratch.hasRemaining()) {
            if (file.read(scratch, at + scratch.position()) < 0) {
                throw new IOException("audio.wav ended inside its data chunk");
            }
        }
        return scratch.flip();
    }
}
