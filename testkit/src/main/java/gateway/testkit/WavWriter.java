package gateway.testkit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a canonical 16-bit PCM WAV file (RIFF, a 16-byte fmt chunk, one data chunk) from one array per channel,
 * written independently of the gateway's writer so tests can plant recordings and fixtures of their own.
 */
public final class WavWriter {

    private static final int HEADER_BYTES = 44;
    private static final short FORMAT_PCM = 1;
    private static final short BITS = 16;

    private WavWriter() {
    }

    /** The file's bytes: the header, then the channels interleaved frame by frame (all arrays of equal length). */
    public static byte[] bytes(int sampleRate, short[]... channels) {
        int frames = channels[0].length;
        for (short[] channel : channels) {
            if (channel.length != frames) {
                throw new IllegalArgumentException("channels differ in length");
            }
        }
        int blockAlign = channels.length * 2;
        int dataBytes = frames * blockAlign;
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("RIFF")).putInt(HEADER_BYTES - 8 + dataBytes).put(ascii("WAVE"))
                .put(ascii("fmt ")).putInt(16).putShort(FORMAT_PCM).putShort((short) channels.length)
                .putInt(sampleRate).putInt(sampleRate * blockAlign).putShort((short) blockAlign).putShort(BITS)
                .put(ascii("data")).putInt(dataBytes);
        for (int i = 0; i < frames; i++) {
            for (short[] channel : channels) {
                b.putShort(channel[i]);
            }
        }
        return b.array();
    }

    /** Writes {@link #bytes} to {@code file}, creating its directory. */
    public static Path write(Path file, int sampleRate, short[]... channels) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        return Files.write(file, bytes(sampleRate, channels));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
