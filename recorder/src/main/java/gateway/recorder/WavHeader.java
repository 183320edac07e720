package gateway.recorder;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The 44-byte RIFF/WAVE header of a PCM16 file (canonical layout: "RIFF", "fmt " chunk of 16 bytes, "data"). */
final class WavHeader {

    /** Bytes before the first sample. */
    static final int SIZE = 44;

    private static final int FMT_CHUNK_SIZE = 16;
    private static final short FORMAT_PCM = 1;
    private static final int BITS_PER_SAMPLE = 16;
    private static final int BYTES_PER_SAMPLE = BITS_PER_SAMPLE / 8;
    /** RIFF sizes are unsigned 32-bit, so the data chunk cannot exceed this. */
    static final long MAX_DATA_BYTES = 0xFFFF_FFFFL - (SIZE - 8);

    private WavHeader() {
    }

    /** Bytes of sample data for {@code frames} frames of {@code channels} PCM16 channels. */
    static long dataBytes(int channels, long frames) {
        return frames * channels * BYTES_PER_SAMPLE;
    }

    /**
     * Writes the header at the buffer's position and advances it by 44; the buffer's byte order is set to
     * little-endian, as RIFF requires.
     */
    static void write(ByteBuffer dst, int sampleRate, int channels, long frames) {
        long data = dataBytes(channels, frames);
        if (frames < 0 || data > MAX_DATA_BYTES) {
            throw new IllegalArgumentException("frame count does not fit a WAV file: " + frames);
        }
        int blockAlign = channels * BYTES_PER_SAMPLE;
        dst.order(ByteOrder.LITTLE_ENDIAN);
        putTag(dst, "RIFF");
        dst.putInt((int) (SIZE - 8 + data));
        putTag(dst, "WAVE");
        putTag(dst, "fmt ");
        dst.putInt(FMT_CHUNK_SIZE);
        dst.putShort(FORMAT_PCM);
        dst.putShort((short) channels);
        dst.putInt(sampleRate);
        dst.putInt(sampleRate * blockAlign);
        dst.putShort((short) blockAlign);
        dst.putShort((short) BITS_PER_SAMPLE);
        putTag(dst, "data");
        dst.putInt((int) data);
    }

    private static void putTag(ByteBuffer dst, String tag) {
        for (int i = 0; i < 4; i++) {
            dst.put((byte) tag.charAt(i));
        }
    }
}
