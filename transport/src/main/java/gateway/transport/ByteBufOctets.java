package gateway.transport;

import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Copies octets (an RTP payload, a WebSocket frame's text) out of a {@link ByteBuf} without allocating: a bulk
 * {@code getBytes} of a direct buffer without {@code sun.misc.Unsafe} (Netty's choice on JDK 24 and later)
 * allocates an NIO duplicate per call. A short run is copied eight octets at a time, so the buffer's access and
 * bounds checks run once per eight octets; a long one in a single bulk read of the buffer's own NIO view.
 */
public final class ByteBufOctets {

    /** Writes a long big-endian into a byte array: the eight octets in buffer order. */
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private ByteBufOctets() {
    }

    /** From this length on, one bulk read of the NIO view beats the eight-octet steps. */
    static final int BULK_MIN = 512;

    /** Copies {@code buf[index, index + length)} to {@code dst[0, length)}. */
    public static void copy(ByteBuf buf, int index, byte[] dst, int length) {
        if (length >= BULK_MIN && buf.nioBufferCount() == 1) {
            ByteBuffer view = buf.internalNioBuffer(index, length); // the buffer's cached view: no duplicate made
            view.get(view.position(), dst, 0, length);
            return;
        }
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            LONG.set(dst, i, buf.getLong(index + i));
        }
        for (; i < length; i++) {
            dst[i] = buf.getByte(index + i);
        }
    }
}
