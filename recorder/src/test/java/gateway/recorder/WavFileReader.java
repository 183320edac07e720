package gateway.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helper: parses a canonical 44-byte-header WAV file written by the recorder, independently of it. */
record WavFileReader(int riffSize, int formatTag, int channels, int sampleRate, int byteRate, int blockAlign,
        int bits, int dataSize, short[] samples) {

    static WavFileReader read(Path path) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("RIFF", tag(bytes, 0));
        assertEquals("WAVE", tag(bytes, 8));
        assertEquals("fmt ", tag(bytes, 12));
        assertEquals(16, bytes.getInt(16));
        assertEquals("data", tag(bytes, 36));
        int dataSize = bytes.getInt(40);
        int available = (bytes.capacity() - 44) / 2;
        short[] samples = new short[Math.min(available, dataSize / 2)];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = bytes.getShort(44 + 2 * i);
        }
        return new WavFileReader(bytes.getInt(4), bytes.getShort(20), bytes.getShort(22), bytes.getInt(24),
                bytes.getInt(28), bytes.getShort(32), bytes.getShort(34), dataSize, samples);
    }

    int frames() {
        return dataSize / blockAlign;
    }

    short left(int frame) {
        return samples[2 * frame];
    }

    short right(int frame) {
        return samples[2 * frame + 1];
    }

    private static String tag(ByteBuffer bytes, int at) {
        byte[] raw = new byte[4];
        bytes.get(at, raw);
        return new String(raw, StandardCharsets.US_ASCII);
    }
}
