package gateway.library;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Where the samples of a PCM16 WAV file are: its format and the offset and length of its data chunk, found by walking
 * the RIFF chunks (so a file with extra chunks is read as well as the recorder's canonical 44-byte header).
 *
 * @param dataBytes whole frames of the data chunk present in the file: the declared size, cut to the file's length
 */
public record WavLayout(int channels, int sampleRate, int blockAlign, long dataOffset, long dataBytes) {

    /** How much of the file start is searched for the chunks before "data". */
    static final int MAX_HEADER_BYTES = 4096;
    private static final int RIFF = 0x46464952;
    private static final int WAVE = 0x45564157;
    private static final int FMT = 0x20746d66;
    private static final int DATA = 0x61746164;
    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;
    private static final int BITS_PER_SAMPLE = 16;
    private static final int MIN_FMT_BYTES = 16;

    /** Frames in the data chunk. */
    public long frames() {
        return dataBytes / blockAlign;
    }

    /** Reads the layout of {@code file}; throws IOException when it is not 16-bit PCM WAV. */
    public static WavLayout of(StoredFile file) throws IOException {
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(file.size(), MAX_HEADER_BYTES))
                .order(ByteOrder.LITTLE_ENDIAN);
        int read = 0;
        while (head.hasRemaining() && read >= 0) {
            read = file.read(head, head.position());
        }
        head.flip();
        if (head.limit() < 12 || head.getInt(0) != RIFF || head.getInt(8) != WAVE) {
            throw new IOException("not a RIFF/WAVE file");
        }
        int channels = 0;
        int sampleRate = 0;
        int blockAlign = 0;
        int position = 12;
        while (position + 8 <= head.limit()) {
            int id = head.getInt(position);
            long size = Integer.toUnsignedLong(head.getInt(position + 4));
            int body = position + 8;
            if (id == FMT) {
                if (size < MIN_FMT_BYTES || body + MIN_FMT_BYTES > head.limit()) {
                    throw new IOException("fmt chunk too short");
                }
                int format = Short.toUnsignedInt(head.getShort(body));
                channels = Short.toUnsignedInt(head.getShort(body + 2));
                sampleRate = head.getInt(body + 4);
                blockAlign = Short.toUnsignedInt(head.getShort(body + 12));
                int bits = Short.toUnsignedInt(head.getShort(body + 14));
                if ((format != FORMAT_PCM && format != FORMAT_EXTENSIBLE) || bits != BITS_PER_SAMPLE
                        || channels < 1 || blockAlign != channels * 2) {
                    throw new IOException("not 16-bit PCM");
                }
            } else if (id == DATA) {
                if (channels == 0) {
                    throw new IOException("data chunk before fmt chunk");
                }
                long present = Math.min(size, file.size() - body);
                return new WavLayout(channels, sampleRate, blockAlign, body, present - present % blockAlign);
            }
            position = body + (int) Math.min(size + (size & 1), MAX_HEADER_BYTES);
        }
        throw new IOException("no data chunk in the first " + MAX_HEADER_BYTES + " bytes");
    }
}
