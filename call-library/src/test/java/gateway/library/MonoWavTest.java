package gateway.library;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import gateway.testkit.Signals;
import gateway.testkit.WavReader;
import gateway.testkit.WavWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonoWavTest {

    private static final int RATE = 24_000;

    @TempDir
    Path root;

    @Test
    void eachChannelOfAStereoRecordingIsItsOwnWavFileSampleForSample() throws Exception {
        int frames = RATE + 123;
        short[] caller = new short[frames];
        short[] assistant = new short[frames];
        for (int i = 0; i < frames; i++) {
            caller[i] = Signals.callerPattern(i);
            assistant[i] = Signals.assistantPattern(i);
        }
        WavWriter.write(root.resolve("mono-1/audio.wav"), RATE, caller, assistant);
        LocalCallStore store = new LocalCallStore(root);
        CallId id = new CallId("mono-1");
        for (int channel = 0; channel < 2; channel++) {
            try (StoredFile audio = store.open(id, CallFile.AUDIO).orElseThrow()) {
                MonoWav mono = MonoWav.of(WavCodec.layout(audio), channel);
                assertEquals(44 + 2L * frames, mono.length());
                byte[] whole = read(mono, audio, 0, (int) mono.length());
                Path file = root.resolve("channel" + channel + ".wav");
                Files.write(file, whole);
                WavReader.Wav wav = WavReader.read(file);
                assertEquals(1, wav.channels());
                assertEquals(RATE, wav.sampleRate());
                assertArrayEquals(channel == 0 ? caller : assistant, wav.channel(0));
                assertArrayEquals(WavReader.read(root.resolve("mono-1/audio.wav")).channel(channel), wav.channel(0));
                for (int[] range : new int[][] {{0, 1}, {0, 44}, {43, 2}, {44, 1}, {45, 1}, {45, 4}, {101, 777},
                    {1000, 40_000}, {(int) mono.length() - 3, 3}}) {
                    byte[] part = read(mono, audio, range[0], range[1]);
                    assertArrayEquals(java.util.Arrays.copyOfRange(whole, range[0], range[0] + range[1]), part,
                            "bytes " + range[0] + "+" + range[1]);
                }
            }
        }
    }

    @Test
    void theLayoutIsFoundPastOtherChunksAndOnlyPcm16IsAccepted() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(12 + 24 + 8 + 26 + 8 + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(b.capacity() - 8).put("WAVE".getBytes())
                .put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 2).putInt(8000)
                .putInt(32_000).putShort((short) 4).putShort((short) 16)
                .put("LIST".getBytes()).putInt(25).put(new byte[26])
                .put("data".getBytes()).putInt(8).putShort((short) 1).putShort((short) -1).putShort((short) 2)
                .putShort((short) -2);
        Path dir = Files.createDirectories(root.resolve("odd"));
        Files.write(dir.resolve("audio.wav"), b.array());
        try (StoredFile audio = new LocalCallStore(root).open(new CallId("odd"), CallFile.AUDIO).orElseThrow()) {
            WavLayout layout = WavCodec.layout(audio);
            assertEquals(new WavLayout(2, 8000, 4, 12 + 24 + 8 + 26 + 8, 8), layout);
            MonoWav right = MonoWav.of(layout, 1);
            byte[] bytes = read(right, audio, 44, 4);
            assertArrayEquals(new byte[] {-1, -1, -2, -1}, bytes);
            assertThrows(IllegalArgumentException.class, () -> MonoWav.of(layout, 2));
        }
        b.putShort(34, (short) 8);
        Files.write(dir.resolve("audio.wav"), b.array());
        try (StoredFile audio = new LocalCallStore(root).open(new CallId("odd"), CallFile.AUDIO).orElseThrow()) {
            assertEquals("not 16-bit PCM", assertThrows(IOException.class, () -> WavCodec.layout(audio)).getMessage());
        }
    }

    private static byte[] read(MonoWav mono, StoredFile audio, long position, int length) throws IOException {
        ByteBuffer dst = ByteBuffer.allocate(length);
        assertEquals(length, mono.read(audio, position, dst));
        return dst.array();
    }
}
