package gateway.recorder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class WavHeaderTest {

    @Test
    void writesAll44BytesForStereo24kHz() {
        ByteBuffer buffer = ByteBuffer.allocate(50).order(ByteOrder.BIG_ENDIAN);
        buffer.position(3);
        WavHeader.write(buffer, 24_000, 2, 1000);
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
        WavHeader.write(buffer, 8000, 1, 3);
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
        WavHeader.write(buffer, 24_000, 2, 0);
        buffer.order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(36, buffer.getInt(4));
        assertEquals(0, buffer.getInt(40));
    }

    @Test
    void rejectsFrameCountsBeyondRiffLimit() {
        ByteBuffer buffer = ByteBuffer.allocate(44);
        assertThrows(IllegalArgumentException.class, () -> WavHeader.write(buffer, 24_000, 2, 1L << 30));
    }
}
