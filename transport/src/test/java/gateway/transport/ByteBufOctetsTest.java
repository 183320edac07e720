package gateway.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ByteBufOctetsTest {

    @ParameterizedTest(name = "direct buffer: {0}")
    @ValueSource(booleans = {false, true})
    void copiesEveryLengthFromAnyOffsetAndNothingPastIt(boolean direct) {
        byte[] octets = new byte[64];
        for (int i = 0; i < octets.length; i++) {
            octets[i] = (byte) (i * 37 + 5);
        }
        ByteBuf buf = direct ? Unpooled.directBuffer(octets.length) : Unpooled.buffer(octets.length);
        try {
            buf.writeBytes(octets);
            for (int offset = 0; offset < 4; offset++) {
                for (int length = 0; length <= 20; length++) {
                    byte[] dst = new byte[24];
                    Arrays.fill(dst, (byte) 0x55);
                    ByteBufOctets.copy(buf, offset, dst, length);
                    assertArrayEquals(Arrays.copyOfRange(octets, offset, offset + length),
                            Arrays.copyOf(dst, length), "offset " + offset + ", length " + length);
                    for (int i = length; i < dst.length; i++) {
                        assertEquals((byte) 0x55, dst[i], "written past the length at " + i);
                    }
                }
            }
            assertThrows(IndexOutOfBoundsException.class, () -> ByteBufOctets.copy(buf, 60, new byte[8], 8));
        } finally {
            buf.release();
        }
    }
}
