package gateway.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavReaderTest {

    @TempDir
    Path dir;

    /** A RIFF/WAVE file assembled chunk by chunk, so each test can break one part of it. */
    private static final class Riff {
        private final ByteArrayOutputStream chunks = new ByteArrayOutputStream();

        Riff chunk(String id, byte[] body) {
            chunks.writeBytes(id.getBytes(StandardCharsets.US_ASCII));
            chunks.writeBytes(le(4).putInt(body.length).array());
            chunks.writeBytes(body);
            if (body.length % 2 == 1) {
                chunks.write(0);
            }
            return this;
        }

        Riff fmt(int tag, int channels, int rate, int bits) {
            int blockAlign = channels * bits / 8;
            return chunk("fmt ", le(16).putShort((short) tag).putShort((short) channels).putInt(rate)
                    .putInt(rate * blockAlign).putShort((short) blockAlign).putShort((short) bits).array());
        }

        Riff data(short... interleaved) {
            ByteBuffer b = le(2 * interleaved.length);
            for (short s : interleaved) {
                b.putShort(s);
            }
            return chunk("data", b.array());
        }

        byte[] bytes() {
            byte[] body = chunks.toByteArray();
            ByteBuffer b = le(12 + body.length).put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(4 + body.length)
                    .put("WAVE".getBytes(StandardCharsets.US_ASCII)).put(body);
            return b.array();
        }
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private IOException failure(String name, byte[] bytes) throws IOException {
        Path file = write(name, bytes);
        IOException e = assertThrows(IOException.class, () -> WavReader.read(file));
        assertTrue(e.getMessage().startsWith(file + " (" + bytes.length + " bytes): "), e.getMessage());
        return e;
    }

    @Test
    void readsAStereoFileIntoOneArrayPerChannelSkippingUnknownChunks() throws Exception {
        byte[] bytes = new Riff().chunk("LIST", new byte[] {1, 2, 3}).fmt(1, 2, 24_000, 16)
                .data((short) 1, (short) -1, (short) 32767, (short) -32768, (short) 0, (short) 7).bytes();
        WavReader.Wav wav = WavReader.read(write("stereo.wav", bytes));
        assertEquals(24_000, wav.sampleRate());
        assertEquals(2, wav.channels());
        assertEquals(4, wav.blockAlign());
        assertEquals(96_000, wav.byteRate());
        assertEquals(16, wav.bitsPerSample());
        assertEquals(bytes.length - 8, wav.riffSize());
        assertEquals(12, wav.dataSize());
        assertEquals(3, wav.frames());
        assertArrayEquals(new short[] {1, 32767, 0}, wav.channel(0));
        assertArrayEquals(new short[] {-1, -32768, 7}, wav.channel(1));
        assertEquals(-32768, wav.right(1));
        assertEquals(0.125, wav.durationMs());
    }

    @Test
    void readsWhatTheJdkWrites() throws Exception {
        short[] mono = Signals.sine(440, 8000, 9000, 800);
        ByteBuffer pcm = le(2 * mono.length);
        for (short s : mono) {
            pcm.putShort(s);
        }
        AudioFormat format = new AudioFormat(8000, 16, 1, true, false);
        File file = dir.resolve("jdk.wav").toFile();
        AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(pcm.array()), format, mono.length),
                AudioFileFormat.Type.WAVE, file);
        WavReader.Wav wav = WavReader.read(file.toPath());
        assertEquals(8000, wav.sampleRate());
        assertEquals(1, wav.channels());
        assertArrayEquals(mono, wav.channel(0));
    }

    @Test
    void bytesAfterTheDeclaredDataAreNotSamples() throws Exception {
        byte[] bytes = new Riff().fmt(1, 1, 8000, 16).data((short) 5).bytes();
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 6);
        assertArrayEquals(new short[] {5}, WavReader.read(write("appended.wav", longer)).channel(0));
    }

    @Test
    void anEmptyFileIsReportedAsShorterThanItsHeader() throws Exception {
        IOException e = failure("empty.wav", new byte[0]);
        assertTrue(e.getMessage().contains("shorter than the 12-byte RIFF/WAVE header"), e.getMessage());
    }

    @Test
    void aFileCutInsideTheFmtChunkSaysWhatIsMissing() throws Exception {
        byte[] whole = new Riff().fmt(1, 2, 24_000, 16).data(new short[4]).bytes();
        IOException e = failure("cut-fmt.wav", Arrays.copyOf(whole, 30));
        assertTrue(e.getMessage().contains("'fmt ' chunk at byte 12 declares 16 bytes, the file has 10"),
                e.getMessage());
    }

    @Test
    void aFileCutInsideAChunkHeaderSaysWhere() throws Exception {
        byte[] whole = new Riff().fmt(1, 2, 24_000, 16).data(new short[4]).bytes();
        IOException e = failure("cut-header.wav", Arrays.copyOf(whole, 40));
        assertTrue(e.getMessage().contains("cut inside a chunk header at byte 36"), e.getMessage());
    }

    @Test
    void dataShorterThanDeclaredSaysHowMuchIsThere() throws Exception {
        byte[] whole = new Riff().fmt(1, 2, 24_000, 16).data(new short[4]).bytes();
        IOException e = failure("cut-data.wav", Arrays.copyOf(whole, whole.length - 3));
        assertTrue(e.getMessage().contains("'data' chunk at byte 36 declares 8 bytes, the file has 5"),
                e.getMessage());
    }

    @Test
    void aForeignFileWhoseDataChunkOverstatesItsSizeYieldsTheWholeFramesItHolds() throws Exception {
        byte[] whole = new Riff().fmt(1, 2, 8000, 16).data((short) 1, (short) 2, (short) 3, (short) 4).bytes();
        byte[] cut = Arrays.copyOf(whole, whole.length - 3);   // the second frame is cut inside its left sample
        WavReader.Wav wav = WavReader.readForeign(write("foreign.wav", cut));
        assertArrayEquals(new short[] {1}, wav.channel(0));
        assertArrayEquals(new short[] {2}, wav.channel(1));
    }

    @Test
    void aBadLayoutIsNamed() throws Exception {
        byte[] notRiff = new Riff().fmt(1, 1, 8000, 16).data((short) 1).bytes();
        notRiff[0] = 'X';
        assertTrue(failure("not-riff.wav", notRiff).getMessage().contains("no RIFF/WAVE signature"));
        assertTrue(failure("data-first.wav", new Riff().data((short) 1).fmt(1, 1, 8000, 16).bytes()).getMessage()
                .contains("data chunk at byte 12 comes before any fmt chunk"));
        assertTrue(failure("no-data.wav", new Riff().fmt(1, 1, 8000, 16).bytes()).getMessage()
                .endsWith("no data chunk"));
        assertTrue(failure("no-fmt.wav", new Riff().chunk("LIST", new byte[2]).bytes()).getMessage()
                .endsWith("no fmt chunk"));
        assertTrue(failure("short-fmt.wav", new Riff().chunk("fmt ", new byte[14]).data((short) 1).bytes())
                .getMessage().contains("fmt chunk at byte 12 is 14 bytes, needs 16"));
        assertTrue(failure("8-bit.wav", new Riff().fmt(1, 1, 8000, 8).data((short) 1).bytes()).getMessage()
                .contains("not 16-bit PCM (format tag 1, 8 bits)"));
        assertTrue(failure("float.wav", new Riff().fmt(3, 1, 8000, 16).data((short) 1).bytes()).getMessage()
                .contains("not 16-bit PCM (format tag 3, 16 bits)"));
        assertTrue(failure("half-frame.wav", new Riff().fmt(1, 2, 8000, 16).data((short) 1).bytes()).getMessage()
                .contains("data chunk of 2 bytes is not a whole number of 4-byte frames"));
    }
}
