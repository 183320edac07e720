package gateway.library;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The one reader and writer of PCM16 WAV files: the recording's audio.wav, the mono channel files the QA API serves
 * and the consent announcement. It writes the canonical 44-byte header ("RIFF", a 16-byte "fmt " chunk, "data") and
 * reads any PCM16 file by walking its RIFF chunks, so a file with extra chunks or WAVE_FORMAT_EXTENSIBLE reads as
 * well. All fields are little-endian, as RIFF requires. Stateless; safe from any thread.
 */
public final class WavCodec {

    /** Bytes of the canonical header, before the first sample. */
    public static final int HEADER_BYTES = 44;
    /** RIFF sizes are unsigned 32-bit, so the data chunk of a canonical file cannot exceed this. */
    public static final long MAX_DATA_BYTES = 0xFFFF_FFFFL - (HEADER_BYTES - 8);
    /** How much of a stored file's start is searched for the chunks before "data". */
    static final int MAX_HEADER_BYTES = 4096;

    private static final int RIFF = 0x46464952;
    private static final int WAVE = 0x45564157;
    private static final int FMT = 0x20746d66;
    private static final int DATA = 0x61746164;
    private static final int RIFF_HEADER_BYTES = 12;
    private static final int CHUNK_HEADER_BYTES = 8;
    private static final int FMT_CHUNK_BYTES = 16;
    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;
    private static final int BITS_PER_SAMPLE = 16;
    private static final int BYTES_PER_SAMPLE = BITS_PER_SAMPLE / 8;

    private WavCodec() {
    }

    /** Bytes of sample data for {@code frames} frames of {@code channels} PCM16 channels. */
    public static long dataBytes(int channels, long frames) {
        return frames * channels * BYTES_PER_SAMPLE;
    }

    /**
     * Writes the canonical header for {@code frames} frames at the buffer's position and advances it by
     * {@value #HEADER_BYTES}; sets the buffer's byte order to little-endian. Allocates nothing.
     */
    public static void writeHeader(ByteBuffer dst, int sampleRate, int channels, long frames) {
        long data = dataBytes(channels, frames);
        if (frames < 0 || data > MAX_DATA_BYTES) {
            throw new IllegalArgumentException("frame count does not fit a WAV file: " + frames);
        }
        int blockAlign = channels * BYTES_PER_SAMPLE;
        dst.order(ByteOrder.LITTLE_ENDIAN);
        dst.putInt(RIFF);
        dst.putInt((int) (HEADER_BYTES - CHUNK_HEADER_BYTES + data));
        dst.putInt(WAVE);
        dst.putInt(FMT);
        dst.putInt(FMT_CHUNK_BYTES);
        dst.putShort((short) FORMAT_PCM);
        dst.putShort((short) channels);
        dst.putInt(sampleRate);
        dst.putInt(sampleRate * blockAlign);
        dst.putShort((short) blockAlign);
        dst.putShort((short) BITS_PER_SAMPLE);
        dst.putInt(DATA);
        dst.putInt((int) data);
    }

    /** The canonical header for {@code frames} frames, as bytes. */
    public static byte[] header(int sampleRate, int channels, long frames) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        writeHeader(header, sampleRate, channels, frames);
        return header.array();
    }

    /** Reads the layout of a stored file from its first {@value #MAX_HEADER_BYTES} bytes. */
    public static WavLayout layout(StoredFile file) throws IOException {
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(file.size(), MAX_HEADER_BYTES));
        int read = 0;
        while (head.hasRemaining() && read >= 0) {
            read = file.read(head, head.position());
        }
        return layout(head.flip(), file.size());
    }

    /**
     * Reads the layout of a file of {@code fileSize} bytes whose start is {@code head} (index 0 up to its limit);
     * throws IOException when it is not 16-bit PCM WAV or its data chunk does not start within {@code head}. The
     * data is cut to the whole frames the file holds.
     */
    public static WavLayout layout(ByteBuffer head, long fileSize) throws IOException {
        ByteBuffer b = head.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int limit = b.limit();
        if (limit < RIFF_HEADER_BYTES || b.getInt(0) != RIFF || b.getInt(8) != WAVE) {
            throw new IOException("not a RIFF/WAVE file");
        }
        int channels = 0;
        int sampleRate = 0;
        int blockAlign = 0;
        long position = RIFF_HEADER_BYTES;
        while (position + CHUNK_HEADER_BYTES <= limit) {
            int at = (int) position;
            int id = b.getInt(at);
            long size = Integer.toUnsignedLong(b.getInt(at + 4));
            int body = at + CHUNK_HEADER_BYTES;
            if (id == FMT) {
                if (size < FMT_CHUNK_BYTES || body + FMT_CHUNK_BYTES > limit) {
                    throw new IOException("fmt chunk too short");
                }
                int format = Short.toUnsignedInt(b.getShort(body));
                channels = Short.toUnsignedInt(b.getShort(body + 2));
                sampleRate = b.getInt(body + 4);
                blockAlign = Short.toUnsignedInt(b.getShort(body + 12));
                int bits = Short.toUnsignedInt(b.getShort(body + 14));
                if ((format != FORMAT_PCM && format != FORMAT_EXTENSIBLE) || bits != BITS_PER_SAMPLE
                        || channels < 1 || blockAlign != channels * BYTES_PER_SAMPLE) {
                    throw new IOException("not 16-bit PCM");
                }
            } else if (id == DATA) {
                if (channels == 0) {
                    throw new IOException("data chunk before fmt chunk");
                }
                long present = Math.min(size, fileSize - body);
                return new WavLayout(channels, sampleRate, blockAlign, body, present - present % blockAlign);
            }
            position = body + size + (size & 1);
        }
        throw new IOException("no data chunk in the first " + limit + " bytes");
    }

    /** The samples of channel {@code channel} (0 = left) of a whole file in memory laid out as {@code layout}. */
    public static short[] channel(ByteBuffer file, WavLayout layout, int channel) {
        if (channel < 0 || channel >= layout.channels()) {
            throw new IllegalArgumentException(
                    "no channel " + channel + " in a " + layout.channels() + "-channel file");
        }
        ByteBuffer b = file.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        short[] samples = new short[Math.toIntExact(layout.frames())];
        long at = layout.dataOffset() + (long) channel * BYTES_PER_SAMPLE;
        for (int i = 0; i < samples.length; i++) {
            samples[i] = b.getShort(Math.toIntExact(at + (long) i * layout.blockAlign()));
        }
        return samples;
    }
}
