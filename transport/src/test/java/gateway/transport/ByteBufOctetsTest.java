package gateway.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.testkit.Allocations;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
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

    @ParameterizedTest(name = "direct buffer: {0}")
    @ValueSource(booleans = {false, true})
    void copiesALongRunInOneReadAndNothingElse(boolean direct) {
        byte[] octets = new byte[3 * ByteBufOctets.BULK_MIN];
        for (int i = 0; i < octets.length; i++) {
            octets[i] = (byte) (i * 31 + 7);
        }
        // Outside Netty's leak detector, whose paranoid mode (set for all tests) allocates on every access.
        UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(true, true);
        ByteBuf buf = direct ? allocator.directBuffer(octets.length) : allocator.heapBuffer(octets.length);
        try {
            buf.writeBytes(octets).readerIndex(5);
            int length = 2 * ByteBufOctets.BULK_MIN + 3;
            byte[] dst = new byte[length + 8];
            Arrays.fill(dst, (byte) 0x55);
            Allocations.Measurement measured = Allocations.leastOf(1_000, 20,
                    () -> ByteBufOctets.copy(buf, 7, dst, length));
            assertArrayEquals(Arrays.copyOfRange(octets, 7, 7 + length), Arrays.copyOf(dst, length));
            for (int i = length; i < dst.length; i++) {
                assertEquals((byte) 0x55, dst[i], "written past the length at " + i);
            }
            assertEquals(5, buf.readerIndex(), "the buffer's indexes are left as they were");
            assertTrue(measured.bytes() < Allocations.BOUND_BYTES, measured.bytes() + " bytes for one copy");
            int pastTheEnd = octets.length - ByteBufOctets.BULK_MIN + 1;
            assertThrows(IndexOutOfBoundsException.class,
                    () -> ByteBufOctets.copy(buf, pastTheEnd, dst, ByteBufOctets.BULK_MIN));
        } finally {
            buf.release();
        }
    }
}
