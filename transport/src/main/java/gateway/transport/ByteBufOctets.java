package gateway.transport;

import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Copies octets (an RTP payload, a WebSocket frame's text) out of a {@link ByteBuf} eight at a time, so the buffer's
 * access and bounds checks run once per eight octets instead of once per octet, and nothing is allocated: a bulk
 * {@code getBytes} of a direct buffer without {@code sun.misc.Unsafe} (Netty's choice on JDK 24 and later)
 * allocates an NIO duplicate per call.
 */
public final class ByteBufOctets {

    /** Writes a long big-endian into a byte array: the eight octets in buffer order. */
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private ByteBufOctets() {
    }

    /** Copies {@code buf[index, index + length)} to {@code dst[0, length)}. */
    public static void copy(ByteBuf buf, int index, byte[] dst, int length) {
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            LONG.set(dst, i, buf.getLong(index + i));
        }
        for (; i < length; i++) {
            dst[i] = buf.getByte(index + i);
        }
    }
}
