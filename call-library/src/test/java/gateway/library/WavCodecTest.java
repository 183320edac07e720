package gateway.library;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import gateway.testkit.WavWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class WavCodecTest {

    @Test
    void writesAll44BytesForStereo24kHz() {
        ByteBuffer buffer = ByteBuffer.allocate(50).order(ByteOrder.BIG_ENDIAN);
        buffer.position(3);
        WavCodec.writeHeader(buffer, 24_000, 2, 1000);
        assertEquals(47, buffer.position());
        byte[] bytes = new byte[44];
        buffer.position(3);
        buffer.get(bytes);
        byte[] expected = {
            'R', 'I', 'F', 'F',
            (byte) 0xC4, 0x0F, 0x00, 0x00,          // RIFF size 36 + 4000 = 4036
            'W', 'A', 'V', 'E',
            'f', 'm', 't', ' ',
            16, 0, 0, 0,                            // fmt chunk size
            1, 0,                                   // format tag PCM
            2, 0,                                   // channels
            (byte) 0xC0, 0x5D, 0x00, 0x00,          // 24000 Hz
            0x00, 0x77, 0x01, 0x00,                 // byte rate 96000
            4, 0,                                   // block align
            16, 0,                                  // bits per sample
            'd', 'a', 't', 'a',
            (byte) 0xA0, 0x0F, 0x00, 0x00,          // data bytes 4000
        };
        assertArrayEquals(expected, bytes);
    }

    @Test
    void fieldsReadBackLittleEndian() {
        ByteBuffer buffer = ByteBuffer.allocate(44);
        WavCodec.writeHeader(buffer, 8000, 1, 3);
        buffer.flip().order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(36 + 6, buffer.getInt(4));
        assertEquals(1, buffer.getShort(20));
        assertEquals(1, buffer.getShort(22));
        assertEquals(8000, buffer.getInt(24));
        assertEquals(16000, buffer.getInt(28));
        assertEquals(2, buffer.getShort(32));
        assertEquals(16, buffer.getShort(34));
        assertEquals(6, buffer.getInt(40));
    }

    @Test
    void zeroFramesGivesEmptyDataChunk() {
        ByteBuffer buffer = ByteBuffer.allocate(44);
        WavCodec.writeHeader(buffer, 24_000, 2, 0);
        buffer.order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(36, buffer.getInt(4));
        assertEquals(0, buffer.getInt(40));
    }

    @Test
    void rejectsFrameCountsBeyondRiffLimit() {
        ByteBuffer buffer = ByteBuffer.allocate(44);
        assertThrows(IllegalArgumentException.class, () -> WavCodec.writeHeader(buffer, 24_000, 2, 1L << 30));
    }

    @Test
    void theMonoHeaderOfTheQaApiIsTheCanonicalOne() {
        assertArrayEquals(HexFormat.of().parseHex("52494646" + "2e000000" + "57415645" + "666d7420" + "10000000"
                + "0100" + "0100" + "c05d0000" + "80bb0000" + "0200" + "1000" + "64617461" + "0a000000"),
                WavCodec.header(24_000, 1, 5));
    }

    @Test
    void whatTheWriterWritesTheReaderFindsSampleForSample() throws Exception {
        short[] left = {1, -2, 3, Short.MIN_VALUE};
        short[] right = {-5, 6, Short.MAX_VALUE, 0};
        byte[] file = WavWriter.bytes(8000, left, right);
        ByteBuffer whole = ByteBuffer.wrap(file);
        WavLayout layout = WavCodec.layout(whole, file.length);
        assertEquals(new WavLayout(2, 8000, 4, 44, 16), layout);
        assertArrayEquals(left, WavCodec.channel(whole, layout, 0));
        assertArrayEquals(right, WavCodec.channel(whole, layout, 1));
        assertThrows(IllegalArgumentException.class, () -> WavCodec.channel(whole, layout, 2));
        ByteBuffer header = ByteBuffer.allocate(WavCodec.HEADER_BYTES);
        WavCodec.writeHeader(header, 8000, 2, 4);
        assertArrayEquals(Arrays.copyOf(file, WavCodec.HEADER_BYTES), header.array(),
                "the testkit's independent writer agrees on every header byte");
    }

    @Test
    void aDataChunkLongerThanTheFileIsCutToTheWholeFramesPresent() throws Exception {
        byte[] file = WavWriter.bytes(24_000, new short[] {1, 2, 3}, new short[] {4, 5, 6});
        byte[] torn = Arrays.copyOf(file, file.length - 3);
        WavLayout layout = WavCodec.layout(ByteBuffer.wrap(torn), torn.length);
        assertEquals(2, layout.frames(), "a header that was not rewritten after the last write still reads");
        assertEquals(8, layout.dataBytes());
    }

    @Test
    void whatIsNotPcm16WavIsRefusedWithTheReason() {
        assertEquals("not a RIFF/WAVE file", refusal(new byte[] {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'A', 'V'}));
        byte[] eightBit = WavWriter.bytes(8000, new short[] {1});
        eightBit[34] = 8;
        assertEquals("not 16-bit PCM", refusal(eightBit));
        byte[] noFmt = WavWriter.bytes(8000, new short[] {1});
        noFmt[12] = 'x';
        assertEquals("data chunk before fmt chunk", refusal(noFmt), "an unknown chunk is passed over");
        byte[] noData = Arrays.copyOf(WavWriter.bytes(8000, new short[] {1}), 36);
        assertEquals("no data chunk in the first 36 bytes", refusal(noData));
    }

    private static String refusal(byte[] file) {
        return assertThrows(IOException.class, () -> WavCodec.layout(ByteBuffer.wrap(file), file.length))
                .getMessage();
    }
}
